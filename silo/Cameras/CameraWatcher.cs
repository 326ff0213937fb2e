using CommandCenter.Cameras;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Silo.Cameras;

/// <summary>
/// Keeps every camera with a stream address watched (<see cref="ICameraGrain.Watch"/>: its probe reminder registered,
/// its address current): at start-up and whenever a camera gains or changes its address, looked for every
/// <see cref="CheckEvery"/>. Watches are sent a few at a time (<see cref="CameraOptions.MaxConcurrentProbes"/> a
/// second), since a camera never probed is probed when first watched. Runs on every silo; a second watch is a no-op.
/// </summary>
public sealed class CameraWatcher(JurisdictionStore store, IGrainFactory grains, IOptions<CameraOptions> options,
    ILogger<CameraWatcher> log) : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    /// <summary>What this silo last watched: camera id → a fingerprint of its address.</summary>
    private readonly Dictionary<string, string> _watched = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        do
        {
            try
            {
                await WatchChanged(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                BackgroundFailures.Count("cameras.watch");
                log.LogWarning(e, "Watching the cameras failed; trying again in {Interval}", CheckEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task WatchChanged(CancellationToken stoppingToken)
    {
        var current = await store.StreamFingerprints();
        var changed = current.Where(c => _watched.GetValueOrDefault(c.Key) != c.Value).Select(c => c.Key).ToList();
        foreach (var gone in _watched.Keys.Where(id => !current.ContainsKey(id)).ToList())
            _watched.Remove(gone);
        var perSecond = Math.Max(1, options.Value.MaxConcurrentProbes);
        foreach (var batch in changed.Chunk(perSecond))
        {
            foreach (var id in batch)
            {
                await grains.GetGrain<ICameraGrain>(id).Watch();
                _watched[id] = current[id];
            }
            if (batch.Length == perSecond)
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
        if (changed.Count > 0)
            log.LogInformation("Watching {Count} cameras with a new or changed stream address", changed.Count);
    }
}
