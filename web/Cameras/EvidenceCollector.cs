using System.Threading.Channels;
using CommandCenter.Cameras;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Silo.Cameras;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Cameras;

/// <summary>
/// Evidence (取证): when an incident is reported, frames of the cameras nearest it (<see cref="CameraOptions.EvidenceCameras"/>
/// within <see cref="CameraOptions.EvidenceRadiusMeters"/>, those with a stream address that are not offline) are captured in parallel,
/// stored as the incident's photos in PostgreSQL and put on its timeline by "camera:ID". The report's answer does not
/// wait: reports are queued here (a bounded queue; beyond it a report gets no evidence, and the log says so).
/// A camera whose capture fails is skipped.
/// </summary>
public sealed class EvidenceCollector(
    JurisdictionDirectory directory,
    JurisdictionStore store,
    CameraHealthStore health,
    SnapshotCache snapshots,
    AttachmentStore attachments,
    IGrainFactory grains,
    IOptions<CameraOptions> options,
    ILogger<EvidenceCollector> log) : BackgroundService
{
    public const string ActorPrefix = "camera:";

    private readonly Channel<IncidentDetails> _queue = Channel.CreateBounded<IncidentDetails>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SemaphoreSlim _gathering = new(8);

    public void Collect(IncidentDetails incident)
    {
        if (!_queue.Writer.TryWrite(incident))
            log.LogWarning("Evidence queue full: incident {Incident} gets no camera frames", incident.Id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var incident in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await _gathering.WaitAsync(stoppingToken);
            _ = Gather(incident).ContinueWith(_ => _gathering.Release(), TaskScheduler.Default);
        }
    }

    /// <summary>The cameras nearest a point, nearest first, within the radius.</summary>
    public static IReadOnlyList<CameraRecord> Nearest(IEnumerable<CameraRecord> cameras, double latitude, double longitude, double radiusMeters, int count) =>
        cameras
            .Select(c => (Camera: c, Meters: Distance.Meters(latitude, longitude, c.Latitude, c.Longitude)))
            .Where(c => c.Meters <= radiusMeters)
            .OrderBy(c => c.Meters)
            .Take(count)
            .Select(c => c.Camera)
            .ToList();

    private async Task Gather(IncidentDetails incident)
    {
        try
        {
            var settings = options.Value;
            var near = Nearest(directory.CamerasIn(incident.Path[^1]), incident.Latitude, incident.Longitude, settings.EvidenceRadiusMeters,
                4 * settings.EvidenceCameras);
            if (near.Count == 0)
                return;
            var urls = await store.StreamUrlsOf(near.Select(c => c.Id).ToList());
            var offline = await health.Offline(near.Select(c => c.Id).ToList());
            var chosen = near.Where(c => urls.ContainsKey(c.Id) && !offline.Contains(c.Id)).Take(settings.EvidenceCameras).ToList();
            await Task.WhenAll(chosen.Select(camera => Capture(incident.Id, camera.Id, urls[camera.Id])));
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("evidence");
            log.LogWarning(e, "Evidence for incident {Incident} failed", incident.Id);
        }
    }

    private async Task Capture(Guid incident, string cameraId, string streamUrl)
    {
        try
        {
            var frame = (await snapshots.Latest(cameraId, () => Task.FromResult<string?>(streamUrl)))!;
            var stored = await attachments.Save(incident, frame.Jpeg, ActorPrefix + cameraId);
            await grains.GetGrain<IIncidentGrain>(incident).Attach(stored.Id, stored.MediaType, ActorPrefix + cameraId, null);
        }
        catch (CaptureException e)
        {
            log.LogInformation("Evidence: camera {Camera} gave no frame for incident {Incident}: {Reason}", cameraId, incident, e.Message);
        }
    }
}
