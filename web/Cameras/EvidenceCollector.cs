using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CommandCenter.Cameras;
using CommandCenter.Incidents;
using CommandCenter.Silo.Cameras;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Cameras;

/// <summary>
/// Evidence (取证): when an incident is reported, frames of the cameras nearest it (<see cref="CameraOptions.EvidenceCameras"/>
/// within <see cref="CameraOptions.EvidenceRadiusMeters"/> of those that can give one, from this host's
/// <see cref="StreamingCameras"/>) are stored as the incident's photos in PostgreSQL and put on its timeline by
/// "camera:ID". A camera's frame is the one kept in Redis when it was taken recently enough before the report, else
/// the camera's capture shared by every incident near it meanwhile, else a new capture within evidence's own budget
/// (<see cref="Captures"/>), never waited for: with it taken the camera is busy for that incident. The report's answer
/// does not wait: reports are queued here (at most <see cref="QueueLimit"/>; beyond it a report gets no evidence).
/// Every outcome is counted on the "CommandCenter" meter (<c>cc.evidence</c>, tagged <c>outcome</c>) and summed up in
/// the log at most once per <see cref="SummaryEvery"/>.
/// </summary>
public sealed class EvidenceCollector(
    StreamingCameras cameras,
    SnapshotCache snapshots,
    AttachmentStore attachments,
    IGrainFactory grains,
    TimeProvider clock,
    IOptions<CameraOptions> options,
    ILogger<EvidenceCollector> log) : BackgroundService
{
    public const string ActorPrefix = "camera:";

    public const int QueueLimit = 2_000;

    /// <summary>Incidents whose evidence is gathered at once: most of them wait for a shared capture, which costs nothing meanwhile.</summary>
    private const int MaxGathering = 64;

    /// <summary>Frames written to PostgreSQL at once, so that evidence takes few of the connections the intake commits on.</summary>
    private const int MaxStoring = 4;

    public static readonly TimeSpan SummaryEvery = TimeSpan.FromMinutes(1);

    private static readonly Counter<long> Outcomes = ProductMeter.Meter.CreateCounter<long>("cc.evidence",
        description: "Evidence outcomes: per camera near a report warm, captured, busy or failed; per report noneNear or dropped");

    private static readonly KeyValuePair<string, object?>[] OutcomeTags =
        Enum.GetValues<EvidenceOutcome>().Select(o => new KeyValuePair<string, object?>("outcome", Json.Word(o))).ToArray();

    private readonly Channel<IncidentDetails> _queue = Channel.CreateBounded<IncidentDetails>(
        new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SemaphoreSlim _gathering = new(MaxGathering);
    private readonly SemaphoreSlim _storing = new(MaxStoring);
    private readonly EvidenceTally _tally = new(clock.GetUtcNow());

    /// <summary>Evidence captures' own budget on this host (<see cref="CameraOptions.EvidenceCaptures"/>), apart from snapshot requests'.</summary>
    public CaptureBudget Captures { get; } = new(options.Value.EvidenceCaptures);

    /// <summary>Queues a new incident for evidence; never waits (a full queue drops it, counted).</summary>
    public void Collect(IncidentDetails incident)
    {
        if (!_queue.Writer.TryWrite(incident))
            Count(EvidenceOutcome.Dropped);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var incident in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await _gathering.WaitAsync(stoppingToken);
            _ = Gather(incident).ContinueWith(_ => _gathering.Release(), TaskScheduler.Default);
        }
    }

    private async Task Gather(IncidentDetails incident)
    {
        try
        {
            var settings = options.Value;
            var near = (await cameras.Current()).Nearest(incident.Latitude, incident.Longitude, settings.EvidenceRadiusMeters, settings.EvidenceCameras);
            if (near.Count == 0)
                Count(EvidenceOutcome.NoneNear);
            await Task.WhenAll(near.Select(camera => Capture(incident, camera)));
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("evidence");
            log.LogWarning(e, "Evidence for incident {Incident} failed", incident.Id);
        }
        if (_tally.Summary(clock.GetUtcNow(), SummaryEvery) is { } summary)
        {
            log.LogInformation(
                "Evidence in the last {Seconds:0} s: frames {Warm} kept, {Captured} captured; no frame: {Busy} busy, {Failed} failed; "
                + "reports with no camera near {NoneNear}, dropped (queue full) {Dropped}",
                (summary.To - summary.From).TotalSeconds, summary[EvidenceOutcome.Warm], summary[EvidenceOutcome.Captured],
                summary[EvidenceOutcome.Busy], summary[EvidenceOutcome.Failed], summary[EvidenceOutcome.NoneNear], summary[EvidenceOutcome.Dropped]);
        }
    }

    private async Task Capture(IncidentDetails incident, StreamingCamera camera)
    {
        SnapshotCache.Frame? frame;
        try
        {
            frame = await snapshots.ForEvidence(camera.Id, camera.StreamUrl, incident.ReportedAt, Captures);
        }
        catch (CaptureException e)
        {
            Count(EvidenceOutcome.Failed);
            log.LogDebug("Evidence: camera {Camera} gave no frame for incident {Incident}: {Reason}", camera.Id, incident.Id, e.Message);
            return;
        }
        if (frame is null)
        {
            Count(EvidenceOutcome.Busy);
            return;
        }
        // A camera's frame goes the way of an upload: stored only when it decodes, served without metadata.
        if (PhotoImage.Clean(frame.Jpeg) is not { } photo)
        {
            Count(EvidenceOutcome.Failed);
            log.LogDebug("Evidence: camera {Camera} gave a frame that does not decode for incident {Incident}", camera.Id, incident.Id);
            return;
        }
        Count(frame.Source == FrameSource.Captured ? EvidenceOutcome.Captured : EvidenceOutcome.Warm);
        await _storing.WaitAsync();
        try
        {
            var stored = await attachments.Save(incident.Id, photo, ActorPrefix + camera.Id);
            await grains.GetGrain<IIncidentGrain>(incident.Id).Attach(stored.Id, stored.MediaType, ActorPrefix + camera.Id, null);
        }
        finally
        {
            _storing.Release();
        }
    }

    private void Count(EvidenceOutcome outcome)
    {
        _tally.Count(outcome);
        Outcomes.Add(1, OutcomeTags[(int)outcome]);
    }
}
