using CommandCenter.Cameras;
using CommandCenter.Silo.Cameras;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CommandCenter.Web.Cameras;

/// <summary>
/// Camera snapshots, warm and cold: the latest frame of each camera is kept in Redis for
/// <see cref="CameraOptions.SnapshotTtl"/> (shared by every web node, on the backplane's connection); a request finds
/// it there, or captures a new frame (<see cref="FrameGrabber"/>) and stores it for the next ones. A captured frame
/// tells the Camera grain the camera is online (its last frame time).
/// </summary>
public sealed class SnapshotCache(BackplaneConnection redis, FrameGrabber grabber, IGrainFactory grains, TimeProvider clock,
    IOptions<CameraOptions> options)
{
    /// <summary>A frame and whether it came from the cache.</summary>
    public sealed record Frame(byte[] Jpeg, bool Warm);

    public static RedisKey KeyOf(string cameraId) => "cc:snapshot:" + cameraId;

    /// <summary>
    /// The camera's latest frame: from Redis, else captured from the stream <paramref name="streamUrl"/> finds (looked
    /// up only on a miss: the warm path touches Redis alone); null when the camera has no stream address.
    /// </summary>
    /// <exception cref="CaptureException">when no frame is cached and the capture fails.</exception>
    public async Task<Frame?> Latest(string cameraId, Func<Task<string?>> streamUrl)
    {
        var db = (await redis.Get()).GetDatabase();
        if (await db.StringGetAsync(KeyOf(cameraId)) is { HasValue: true } cached)
            return new Frame((byte[])cached!, Warm: true);
        if (await streamUrl() is not { } url)
            return null;
        var jpeg = await grabber.Capture(url);
        await db.StringSetAsync(KeyOf(cameraId), jpeg, options.Value.SnapshotTtl);
        await grains.GetGrain<ICameraGrain>(cameraId).FrameTaken(clock.GetUtcNow());
        return new Frame(jpeg, Warm: false);
    }
}
