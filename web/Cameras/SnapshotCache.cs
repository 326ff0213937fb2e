using System.Buffers.Binary;
using CommandCenter.Cameras;
using CommandCenter.Silo.Cameras;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CommandCenter.Web.Cameras;

/// <summary>Where a snapshot came from: kept and fresh, kept and expired (a capture is taking the next), or captured for this request.</summary>
public enum FrameSource
{
    Warm,
    Stale,
    Captured,
}

/// <summary>
/// Camera frames kept in Redis (shared by every web node, on the backplane's connection), each with the time it was
/// taken, for <see cref="CameraOptions.SnapshotKeptFor"/>. A snapshot request gets a frame younger than
/// <see cref="CameraOptions.SnapshotFreshFor"/> as it is; an older one at once as stale, while one capture on this
/// node takes the next in the background (stale-while-revalidate); none: it waits for a capture. Evidence gets a frame
/// taken recently enough before the report, or the capture of the camera running, or starts one within its own budget,
/// never waiting for a slot. Captures of a camera on this node are one at a time, shared by whoever asks meanwhile;
/// each is stored once and tells the Camera grain the camera is online (its last frame time).
/// </summary>
public sealed class SnapshotCache(BackplaneConnection redis, FrameGrabber grabber, IGrainFactory grains, TimeProvider clock,
    IOptions<CameraOptions> options, ILogger<SnapshotCache> log)
{
    /// <summary>A frame, when it was taken (to the millisecond, as kept) and where it came from.</summary>
    public sealed record Frame(byte[] Jpeg, DateTimeOffset TakenAt, FrameSource Source);

    private readonly SingleFlight<Frame> _captures = new();
    private readonly SingleFlight<Frame?> _refreshes = new();

    public static RedisKey KeyOf(string cameraId) => "cc:frame:" + cameraId;

    /// <summary>
    /// The camera's latest frame for a snapshot request: warm or stale from Redis, else captured from the stream
    /// <paramref name="streamUrl"/> finds (looked up only when a capture is due: the warm path touches Redis alone);
    /// null when nothing is kept and the camera has no stream address.
    /// </summary>
    /// <exception cref="CaptureException">when nothing is kept and the capture fails.</exception>
    public async Task<Frame?> Latest(string cameraId, Func<Task<string?>> streamUrl)
    {
        if (await Kept(cameraId) is { } kept)
        {
            if (FrameAge.IsFresh(kept.TakenAt, clock.GetUtcNow(), options.Value.SnapshotFreshFor))
                return kept;
            _ = _refreshes.Run(cameraId, () => Refresh(cameraId, streamUrl));
            return kept with { Source = FrameSource.Stale };
        }
        if (await streamUrl() is not { } url)
            return null;
        return await Capture(cameraId, url);
    }

    /// <summary>
    /// A frame of the camera as evidence of a report made at <paramref name="reportedAt"/>: the kept one when it was
    /// taken at most <see cref="CameraOptions.EvidenceFrameAge"/> before it (<see cref="FrameSource.Warm"/>), else
    /// the capture of the camera running on this node, else a new one with a slot of <paramref name="budget"/>; null
    /// when that has none free (busy).
    /// </summary>
    /// <exception cref="CaptureException">the capture failed.</exception>
    public async Task<Frame?> ForEvidence(string cameraId, string streamUrl, DateTimeOffset reportedAt, CaptureBudget budget)
    {
        if (await Kept(cameraId) is { } kept && FrameAge.ServesEvidence(kept.TakenAt, reportedAt, options.Value.EvidenceFrameAge))
            return kept;
        if (_captures.Running(cameraId) is { } running)
            return await running;
        if (grabber.TryCapture(streamUrl, budget) is not { } capture)
            return null;
        var frame = _captures.Run(cameraId, () => Store(cameraId, capture), out var started);
        if (!started)
            Observe(capture); // a capture of the camera began meanwhile and is the one shared; this one ends unawaited
        return await frame;
    }

    /// <summary>Keeps a frame taken at <paramref name="takenAt"/> as the camera's latest, for <see cref="CameraOptions.SnapshotKeptFor"/>.</summary>
    public async Task Keep(string cameraId, byte[] jpeg, DateTimeOffset takenAt)
    {
        var value = new byte[sizeof(long) + jpeg.Length];
        BinaryPrimitives.WriteInt64BigEndian(value, takenAt.ToUnixTimeMilliseconds());
        jpeg.CopyTo(value, sizeof(long));
        await (await redis.Get()).GetDatabase().StringSetAsync(KeyOf(cameraId), value, options.Value.SnapshotKeptFor);
    }

    /// <summary>The kept frame (as <see cref="FrameSource.Warm"/>), or null.</summary>
    private async Task<Frame?> Kept(string cameraId)
    {
        var value = (byte[]?)await (await redis.Get()).GetDatabase().StringGetAsync(KeyOf(cameraId));
        if (value is null || value.Length <= sizeof(long))
            return null;
        var takenAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(value));
        return new Frame(value[sizeof(long)..], takenAt, FrameSource.Warm);
    }

    /// <summary>The camera's capture running on this node, or a new one (waiting for a snapshot request's slot), kept once taken.</summary>
    private Task<Frame> Capture(string cameraId, string url) => _captures.Run(cameraId, () => Store(cameraId, grabber.Capture(url)));

    private async Task<Frame> Store(string cameraId, Task<byte[]> capture)
    {
        var jpeg = await capture;
        var now = clock.GetUtcNow();
        var takenAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        await Keep(cameraId, jpeg, takenAt);
        await grains.GetGrain<ICameraGrain>(cameraId).FrameTaken(takenAt);
        return new Frame(jpeg, takenAt, FrameSource.Captured);
    }

    /// <summary>The background capture after a stale answer: whatever fails is logged and counted, and nobody awaits it.</summary>
    private async Task<Frame?> Refresh(string cameraId, Func<Task<string?>> streamUrl)
    {
        try
        {
            return await streamUrl() is { } url ? await Capture(cameraId, url) : null;
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("snapshot.refresh");
            if (e is CaptureException)
                log.LogInformation("Refreshing the kept frame of camera {Camera} failed: {Reason}", cameraId, e.Message);
            else
                log.LogWarning(e, "Refreshing the kept frame of camera {Camera} failed", cameraId);
            return null;
        }
    }

    private static void Observe(Task capture) =>
        capture.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
