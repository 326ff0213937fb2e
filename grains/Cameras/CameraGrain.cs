using CommandCenter.Access;
using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Reminders;

namespace CommandCenter.Cameras;

/// <summary>
/// One camera's health. An Orleans reminder probes its stream every <see cref="CameraOptions.ProbeInterval"/>, first
/// due at an offset derived from the camera's id so that a county's probes spread over the interval; the
/// <see cref="StreamProbe"/> bounds how many run at once. A status change is written to PostgreSQL
/// (<see cref="CameraHealthStore"/>), makes this host's <see cref="StreamingCameras"/> read again (an offline camera
/// gives no evidence) and is pushed to the walls of the camera's grid and every ancestor. A camera offline
/// for <see cref="CameraOptions.OfflineAlarmAfter"/> raises a camera-offline incident for its grid (source cameraAlarm,
/// reported by "camera:ID", audited); when it comes back, the incident is closed on the spot if nobody has taken it up
/// yet, else its timeline says so. The clock is the reminder service's, like the Incident grain's.
/// </summary>
public sealed class CameraGrain(
    JurisdictionDirectory directory,
    JurisdictionStore registry,
    CameraHealthStore store,
    StreamProbe prober,
    StreamingCameras streaming,
    AuditLog audit,
    IOptions<CameraOptions> options,
    [FromKeyedServices(ReminderTimeProviderNames.Reminders)] TimeProvider clock,
    ILogger<CameraGrain> log) : Grain, ICameraGrain, IRemindable
{
    public const string ProbeReminder = "probe";
    public const string ActorPrefix = "camera:";
    public const string AlarmCategory = "facility.camera";

    /// <summary>Times alone (last seen, last frame) are written at most this often; status and alarm changes at once.</summary>
    private static readonly TimeSpan TimesWrittenEvery = TimeSpan.FromMinutes(5);

    private CameraHealth _health = CameraHealth.Unknown;
    private DateTimeOffset _written = DateTimeOffset.MinValue;
    private CameraRecord? _camera;
    private string? _streamUrl;
    /// <summary>The newest segment's sequence at the last probe of a live HLS stream, to tell a stalled one.</summary>
    private (long Sequence, DateTimeOffset At)? _lastSegment;

    private string Id => this.GetPrimaryKeyString();

    private CameraOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _health = await store.Load(Id) ?? CameraHealth.Unknown;
        await Load();
    }

    public Task<CameraView?> Get() => Task.FromResult(_camera is { } camera ? new CameraView(camera, _health) : null);

    public async Task Watch()
    {
        await Load();
        if (_streamUrl is null || !Options.Probing)
        {
            if (await this.GetReminder(ProbeReminder) is { } reminder)
                await this.UnregisterReminder(reminder);
            return;
        }
        await this.RegisterOrUpdateReminder(ProbeReminder, FirstDue(Id, Options.ProbeInterval), Options.ProbeInterval);
        if (_health.Status == CameraStatus.Unknown)
            await Probe();
    }

    /// <summary>When a camera's first probe is due: a stable offset within the interval, so that probes spread over it.</summary>
    public static TimeSpan FirstDue(string cameraId, TimeSpan interval)
    {
        var hash = 2166136261u; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var c in cameraId)
            hash = (hash ^ c) * 16777619u;
        return TimeSpan.FromMilliseconds(hash % (ulong)Math.Max(1, interval.TotalMilliseconds));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ProbeReminder ? Probe() : Task.CompletedTask;

    public async Task<CameraHealth> Probe()
    {
        if (_streamUrl is null)
            return _health;
        var result = await prober.Probe(_streamUrl);
        var now = clock.GetUtcNow();
        if (result.Ok && Stalled(result, now) is { } stalled)
            result = ProbeResult.Failed(stalled);
        var next = result.Ok
            ? CameraHealthRules.Seen(_health, now)
            : CameraHealthRules.Failed(_health, now, result.Reason!, Options.FailuresForOffline);
        await Apply(next, now);
        return _health;
    }

    public async Task FrameTaken(DateTimeOffset at)
    {
        if (_health.LastFrameAt is { } last && last >= at)
            return;
        await Apply(CameraHealthRules.Seen(_health, at, frame: true), at);
    }

    /// <summary>
    /// A live HLS stream whose newest segment has not moved for three segment lengths has stalled (the encoder stopped
    /// without a word); one that was live and now ends its playlist has ended (the encoder stopped and said so).
    /// </summary>
    private string? Stalled(ProbeResult result, DateTimeOffset now)
    {
        if (result.Sequence is not { } sequence)
            return _lastSegment is null ? null : "its live stream has ended";
        if (_lastSegment is { } last && last.Sequence == sequence)
        {
            var target = result.TargetDuration ?? TimeSpan.FromSeconds(10);
            return now - last.At >= 3 * target ? $"its playlist has not moved on for {(now - last.At).TotalSeconds:0} s" : null;
        }
        _lastSegment = (sequence, now);
        return null;
    }

    private async Task Apply(CameraHealth next, DateTimeOffset now)
    {
        var previous = _health;
        _health = next;
        var step = CameraHealthRules.Alarm(next, now, Options.OfflineAlarmAfter);
        if (step == AlarmStep.Raise)
            _health = _health with { Alarm = await RaiseAlarm(next, now) };
        else if (step == AlarmStep.Clear)
        {
            await ClearAlarm(previous, next.Alarm!.Value, now);
            _health = _health with { Alarm = null };
        }
        var changed = previous.Status != _health.Status || previous.Alarm != _health.Alarm || previous.Failures != _health.Failures;
        if (changed || now - _written >= TimesWrittenEvery)
        {
            await store.Save(Id, _health, now);
            _written = now;
        }
        if (previous.Status != _health.Status)
        {
            streaming.Invalidate();
            log.Log(previous.Status == CameraStatus.Unknown && _health.Status == CameraStatus.Online ? LogLevel.Debug : LogLevel.Information,
                "Camera {Camera}: {Previous} → {Status} ({Reason})", Id, previous.Status, _health.Status, _health.Reason ?? "seen");
            await Publish(previous.Status, now);
        }
    }

    private async Task Publish(CameraStatus previous, DateTimeOffset now)
    {
        if (Path() is not { } path)
            return;
        foreach (var code in path)
            await GrainFactory.GetGrain<IFeedGrain>(code).PublishCameraStatus(new CameraStatusChange(code, Id, _health.Status, previous, now));
    }

    /// <summary>Reports the camera-offline incident (idempotent: its id derives from the camera and when it went offline).</summary>
    private async Task<Guid?> RaiseAlarm(CameraHealth health, DateTimeOffset now)
    {
        if (_camera is not { } camera || Path() is not { } path)
            return null;
        var since = health.Since!.Value;
        var caller = Caller(camera);
        var id = IncidentIds.FromIdempotencyKey(caller.Id, "offline:" + since.ToUnixTimeMilliseconds());
        var report = new ReportIncident(IncidentSource.CameraAlarm, AlarmCategory, $"摄像头离线：{camera.Name}",
            $"摄像头 {camera.Name}（{Id}）自 {ChinaTime.Of(since):yyyy-MM-dd HH:mm} 起离线：{health.Reason}。",
            camera.Latitude, camera.Longitude, null, camera.GridCode, path, caller.Id, caller.Role.ToString(), new AuditedBy(caller, null));
        var result = await GrainFactory.GetGrain<IIncidentGrain>(id).Report(report);
        if (result.Outcome == ReportOutcome.KeyReused)
            return null;
        if (result.Outcome == ReportOutcome.Replayed)
            await audit.Append(caller, AuditActions.ReportIncident, id.ToString(), AuditLog.Outcomes.Replayed,
                AuditActions.ReportDetail(result.Incident));
        log.LogWarning("Camera {Camera} offline since {Since}: incident {Incident} raised", Id, since, id);
        return id;
    }

    /// <summary>
    /// The camera is back: its alarm, when nobody has verified it yet, is closed on the spot by the camera (resolve);
    /// otherwise the people working it learn from its timeline (cameraRecovered).
    /// </summary>
    private async Task ClearAlarm(CameraHealth offline, Guid alarm, DateTimeOffset now)
    {
        if (_camera is not { } camera)
            return;
        var caller = Caller(camera);
        var minutes = offline.Since is { } since ? $"，离线约 {Math.Max(1, (int)Math.Round((now - since).TotalMinutes))} 分钟" : "";
        var note = $"摄像头已于 {ChinaTime.Of(now):HH:mm} 恢复在线{minutes}";
        var grain = GrainFactory.GetGrain<IIncidentGrain>(alarm);
        if (await grain.Get() is { Status: IncidentStatus.Reported })
        {
            var result = await grain.Act(new IncidentCommand(IncidentAction.Resolve, caller, "recovered:" + now.ToUnixTimeMilliseconds(), note,
                Audit: new AuditedBy(caller, null)));
            if (result.Outcome == ActionOutcome.Replayed)
            {
                await audit.Append(caller, AuditActions.IncidentAction(IncidentAction.Resolve), alarm.ToString(), AuditLog.Outcomes.Replayed,
                    AuditActions.ActionDetail(result.Incident!));
            }
            if (result.Outcome is ActionOutcome.Done or ActionOutcome.Replayed)
                return;
        }
        await grain.CameraRecovered(caller.Id, note);
    }

    private static Caller Caller(CameraRecord camera) =>
        new(ActorPrefix + camera.Id, camera.Name, Role.Integration, [camera.GridCode]);

    /// <summary>The camera's record and stream address as stored (this grain reads them itself: the registry copy has no addresses).</summary>
    private async Task Load()
    {
        var stored = await registry.CameraOf(Id);
        (_camera, _streamUrl) = stored is { } found ? (found.Camera, found.StreamUrl) : (null, null);
    }

    /// <summary>The camera's grid and its ancestors up to the county; null while the grid is not in this host's registry copy.</summary>
    private IReadOnlyList<string>? Path() =>
        _camera is { } camera && directory.Tree is { } tree && tree.Find(camera.GridCode) is not null ? tree.PathToRoot(camera.GridCode) : null;
}
