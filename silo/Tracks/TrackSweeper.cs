using CommandCenter.Tracks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Silo.Tracks;

/// <summary>
/// The track history's retention sweep (<see cref="TrackStore.Sweep"/>) on every silo: at start and every
/// <see cref="TrackOptions.SweepInterval"/>, it makes the coming days' partitions and drops those past retention.
/// Silos take a lock for it, and a second sweep of the same hour finds nothing to do.
/// </summary>
public sealed class TrackSweeper(TrackStore store, IOptions<TrackOptions> options, TimeProvider clock, ILogger<TrackSweeper> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                await store.Sweep(clock.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                BackgroundFailures.Count("tracks.sweep");
                log.LogWarning(e, "The track history's sweep failed; trying again in {Interval}", options.Value.SweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
