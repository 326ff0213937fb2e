namespace CommandCenter.Cameras;

/// <summary>What the health rules ask of the camera after a change: raise its offline alarm, clear it, or nothing.</summary>
public enum AlarmStep
{
    None,
    Raise,
    Clear,
}

/// <summary>The health rules, plain code: how probes and captures move a camera's status, and when its alarm is raised or cleared.</summary>
public static class CameraHealthRules
{
    /// <summary>A probe or a capture reached the stream at <paramref name="now"/>: online.</summary>
    public static CameraHealth Seen(CameraHealth health, DateTimeOffset now, bool frame = false) => health with
    {
        Status = CameraStatus.Online,
        Since = health.Status == CameraStatus.Online ? health.Since : now,
        LastSeenAt = now,
        LastFrameAt = frame ? now : health.LastFrameAt,
        Reason = null,
        Failures = 0,
        FailingSince = null,
    };

    /// <summary>
    /// A probe failed at <paramref name="now"/>: offline once <paramref name="failuresForOffline"/> probes in a row failed,
    /// from the first of them.
    /// </summary>
    public static CameraHealth Failed(CameraHealth health, DateTimeOffset now, string reason, int failuresForOffline)
    {
        var failingSince = health.FailingSince ?? now;
        var offline = health.Status == CameraStatus.Offline || health.Failures + 1 >= Math.Max(1, failuresForOffline);
        return health with
        {
            Status = offline ? CameraStatus.Offline : health.Status,
            Since = offline && health.Status != CameraStatus.Offline ? failingSince : health.Since,
            Reason = reason,
            Failures = health.Failures + 1,
            FailingSince = failingSince,
        };
    }

    /// <summary>
    /// Raise when the camera has been offline for <paramref name="alarmAfter"/> and no alarm is open; clear when it is
    /// online again with one open.
    /// </summary>
    public static AlarmStep Alarm(CameraHealth health, DateTimeOffset now, TimeSpan alarmAfter) => health switch
    {
        { Status: CameraStatus.Offline, Alarm: null, Since: { } since } when now - since >= alarmAfter => AlarmStep.Raise,
        { Status: CameraStatus.Online, Alarm: not null } => AlarmStep.Clear,
        _ => AlarmStep.None,
    };
}
