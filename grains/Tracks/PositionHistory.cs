using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CommandCenter.Feeds;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Tracks;

/// <summary>
/// Writes accepted positions to the track history off the request path: <see cref="Append"/> only queues (at most
/// <see cref="TrackOptions.QueueCapacity"/> per host), and one loop writes whatever waits, up to
/// <see cref="TrackOptions.BatchSize"/> at a time, in one COPY. A failed write is retried with the same positions
/// (100 ms doubling to 5 s) while new ones queue behind it, so a slow or absent database delays the history and never
/// the intake. A day without its partition is made and the write retried. What cannot be kept is counted, never lost
/// silently: <c>cc.positions.history</c> on the <see cref="ProductMeter"/>, tagged <c>written</c>, or <c>dropped</c>
/// for a position that found the queue full or was still unwritten when the host stopped.
/// </summary>
public sealed class PositionHistory : IAsyncDisposable
{
    private static readonly Counter<long> Positions = ProductMeter.Meter.CreateCounter<long>("cc.positions.history", "{position}",
        "Positions written to the track history, or dropped (queue full, host stopping)");
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly TrackStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly int _batchSize;
    private readonly int _capacity;
    private readonly Channel<WorkerPosition> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _queueFull;

    public PositionHistory(TrackStore store, IOptions<TrackOptions> options, TimeProvider clock, ILogger<PositionHistory> log)
    {
        _store = store;
        _clock = clock;
        _log = log;
        _batchSize = options.Value.BatchSize;
        _capacity = options.Value.QueueCapacity;
        _queue = Channel.CreateBounded<WorkerPosition>(new BoundedChannelOptions(_capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(WriteLoop);
    }

    /// <summary>Queues an accepted position for the history; never waits.</summary>
    public void Append(WorkerPosition position)
    {
        if (_queue.Writer.TryWrite(position))
            return;
        Positions.Add(1, ProductMeter.Outcome("dropped"));
        // One log line per spell of a full queue; the counter has every position.
        if (Interlocked.Exchange(ref _queueFull, 1) == 0)
            _log.LogError("Track history: the queue is full ({Capacity}); positions are dropped until a write gets through", _capacity);
    }

    /// <summary>Writes what is queued (for up to 5 s while the database fails) and counts the rest as dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(StopGrace, _clock)) != _loop)
            await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }

    private async Task WriteLoop()
    {
        var batch = new List<WorkerPosition>(_batchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var position))
                batch.Add(position);
            if (!await Write(batch))
            {
                var left = batch.Count;
                while (_queue.Reader.TryRead(out _))
                    left++;
                Positions.Add(left, ProductMeter.Outcome("dropped"));
                _log.LogError("Track history: {Count} positions dropped: the host stopped while the database failed", left);
                return;
            }
        }
    }

    /// <summary>Writes the batch, retrying until it is written (true) or the host stops trying (false).</summary>
    private async Task<bool> Write(List<WorkerPosition> batch)
    {
        var wait = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.Append(batch, _stopping.Token);
                Positions.Add(batch.Count, ProductMeter.Outcome("written"));
                Volatile.Write(ref _queueFull, 0);
                if (attempt > 1)
                    _log.LogInformation("Track history: {Count} positions written after {Attempts} attempts", batch.Count, attempt);
                return true;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                BackgroundFailures.Count("positions.history");
                if (attempt == 1)
                    _log.LogWarning(e, "Track history: writing {Count} positions failed; retrying while new ones queue", batch.Count);
                try
                {
                    // No partition for a day of the batch: the sweep has not run since the clock passed its days ahead.
                    if (e is PostgresException { SqlState: PostgresErrorCodes.CheckViolation })
                        await _store.EnsurePartitions(batch.Select(p => PositionPartitions.DayOf(p.At)));
                    await Task.Delay(wait, _clock, _stopping.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return false;
                }
                catch (Exception ensure)
                {
                    _log.LogWarning(ensure, "Track history: making the partitions of a batch's days failed");
                }
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LastRetry.Ticks));
            }
        }
    }
}
