namespace CommandCenter.Cameras;

[GenerateSerializer]
public enum CameraStatus
{
    /// <summary>Not probed yet, or no stream address.</summary>
    Unknown,
    Online,
    Offline,
}

/// <summary>
/// A camera's health as its probes and captures leave it. <see cref="Since"/>: when the current status began (for
/// offline, the first failed probe of the run); <see cref="Failures"/>: failed probes in a row, from
/// <see cref="FailingSince"/>; <see cref="Alarm"/>: the open camera-offline incident raised for it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CameraHealth(
    [property: Id(0)] CameraStatus Status,
    [property: Id(1)] DateTimeOffset? Since = null,
    [property: Id(2)] DateTimeOffset? LastSeenAt = null,
    [property: Id(3)] DateTimeOffset? LastFrameAt = null,
    [property: Id(4)] string? Reason = null,
    [property: Id(5)] int Failures = 0,
    [property: Id(6)] DateTimeOffset? FailingSince = null,
    [property: Id(7)] Guid? Alarm = null)
{
    public static readonly CameraHealth Unknown = new(CameraStatus.Unknown);
}

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
