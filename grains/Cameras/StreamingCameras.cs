using CommandCenter.Jurisdictions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Cameras;

/// <summary>
/// This host's list of the cameras that can give a frame (<see cref="JurisdictionStore.StreamingCameras"/>: with a stream
/// address, not offline), indexed by place (<see cref="CameraIndex"/>), so that evidence finds the cameras near a report
/// without a query. Read again when it is older than <see cref="RefreshEvery"/> at the next use (what another host
/// changed shows within that), and at once after <see cref="Invalidate"/>: this host's imports and edits, and status
/// changes of the Camera grains it runs. One read at a time; whoever needs it meanwhile waits for that one.
/// </summary>
public sealed class StreamingCameras(JurisdictionStore store, TimeProvider clock, IOptions<CameraOptions> options)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private sealed record Loaded(CameraIndex Index, long Generation, DateTimeOffset At);

    private readonly SingleFlight<Loaded> _loads = new();
    private long _generation;
    private volatile Loaded? _loaded;

    /// <summary>The index, read again first when it is older than <see cref="RefreshEvery"/> or was invalidated since it was read.</summary>
    public async Task<CameraIndex> Current()
    {
        var wanted = Interlocked.Read(ref _generation);
        var readSince = clock.GetUtcNow() - RefreshEvery;
        var loaded = _loaded;
        // A read that began before the invalidation or too long ago does not do: wait for the next.
        while (loaded is null || loaded.Generation < wanted || loaded.At < readSince)
            loaded = await _loads.Run(nameof(StreamingCameras), Load);
        return loaded.Index;
    }

    /// <summary>Makes the next <see cref="Current"/> read the list again: a camera, its address or its status changed.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    private async Task<Loaded> Load()
    {
        var generation = Interlocked.Read(ref _generation);
        var at = clock.GetUtcNow();
        var loaded = new Loaded(new CameraIndex(await store.StreamingCameras(), options.Value.EvidenceRadiusMeters), generation, at);
        _loaded = loaded;
        return loaded;
    }
}
