using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Feeds;

/// <summary>
/// One jurisdiction's feed. The grain is the only writer of its sequence: it stores entries in PostgreSQL before
/// counting them, so the numbers have no gaps and survive restarts, then pushes them to the walls in order.
/// Appends that arrive while a write is in flight are written together in the next one, and the silo's
/// <see cref="FeedWriter"/> commits the batches of all feeds together: that is what lets the county feed keep up
/// with every report of the county.
/// It runs only on silos that host the wall hub (see CommandCenterSilo.WithoutWallHub).
/// </summary>
public sealed class FeedGrain(
    FeedStore store,
    FeedWriter writer,
    IFeedPublisher publisher,
    TimeProvider clock,
    IOptions<FeedOptions> options,
    ILogger<FeedGrain> log) : Grain, IFeedGrain
{
    private sealed record Pending(FeedAppend Append, TaskCompletionSource<long> Sequence);

    private readonly FeedOptions _options = options.Value;
    private readonly Queue<FeedEntry> _recent = new();
    private readonly Dictionary<string, long> _recentEventIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentEventOrder = new();
    private readonly List<Pending> _waiting = [];
    private readonly Queue<FeedEntry> _unpublished = new();
    private readonly Dictionary<string, WorkerPosition> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerPosition> _unsentPositions = new(StringComparer.Ordinal);
    private bool _writing;
    private bool _publishing;
    private IGrainTimer? _positionTimer;
    private string _code = "";
    private long _head;
    private FeedStore.Totals _totals = FeedStore.Totals.Zero;
    private FeedStore.Totals _beforeToday = FeedStore.Totals.Zero;
    private DateTimeOffset _today;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _code = this.GetPrimaryKeyString();
        (_head, _totals) = await store.Head(_code);
        foreach (var entry in await store.Latest(_code, _options.RecentInMemory))
            Remember(entry);
        _today = ChinaTime.StartOfDay(clock.GetUtcNow());
        _beforeToday = await store.TotalsBefore(_code, _today);
    }

    public Task<long> Append(FeedAppend append)
    {
        if (_recentEventIds.TryGetValue(append.EventId, out var known))
            return Task.FromResult(known);
        var pending = new Pending(append, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        _waiting.Add(pending);
        if (!_writing)
        {
            // The flag is set before the loop starts: the loop may finish before this call returns.
            _writing = true;
            _ = WriteWhileWaiting();
        }
        return pending.Sequence.Task;
    }

    public async Task<FeedPage> Read(long after, int max)
    {
        max = Math.Clamp(max, 1, 1000);
        if (after >= _head || after < 0)
            return new FeedPage(_code, _head, after > _head || after < 0, []);
        if (_head - after > _options.MaxReplay)
            return new FeedPage(_code, _head, true, []);

        var oldestInMemory = _recent.Count > 0 ? _recent.Peek().Sequence : long.MaxValue;
        var entries = after + 1 >= oldestInMemory
            ? _recent.Where(e => e.Sequence > after).Take(max).ToList()
            : await store.Read(_code, after, max);
        return new FeedPage(_code, _head, false, entries);
    }

    public Task<FeedSnapshot> Snapshot()
    {
        RollDay();
        var recent = _recent.Skip(Math.Max(0, _recent.Count - _options.SnapshotRecent)).ToList();
        var counters = new FeedCounters((int)(_totals.Reported - _beforeToday.Reported), (int)_totals.Open,
            (int)_totals.Overdue, (int)_totals.Supervised, (int)(_totals.Closed - _beforeToday.Closed));
        return Task.FromResult(new FeedSnapshot(_code, _head, counters, recent, _positions.Values.ToList()));
    }

    public Task UpdatePosition(WorkerPosition position)
    {
        _positions[position.WorkerId] = position;
        _unsentPositions[position.WorkerId] = position;
        _positionTimer ??= this.RegisterGrainTimer(FlushPositions, _options.PositionFlushInterval, _options.PositionFlushInterval);
        return Task.CompletedTask;
    }

    public Task PublishCameraStatus(CameraStatusChange change) => publisher.PublishCameraStatus(change);

    /// <summary>Writes what is waiting, one batch per commit, until nothing waits. Runs as one loop per activation.</summary>
    private async Task WriteWhileWaiting()
    {
        try
        {
            while (_waiting.Count > 0)
            {
                var batch = _waiting.ToList();
                _waiting.Clear();
                try
                {
                    await Write(batch);
                }
                catch (Exception e)
                {
                    log.LogError(e, "Feed {Code}: writing {Count} entries failed", _code, batch.Count);
                    foreach (var pending in batch)
                        pending.Sequence.TrySetException(e);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private async Task Write(List<Pending> batch)
    {
        var distinct = batch.Select(p => p.Append).DistinctBy(a => a.EventId).ToList();
        IReadOnlyDictionary<string, long> written;
        try
        {
            written = await writer.Append(new FeedStore.Write(_code, _head, _totals, distinct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "cc_feed_entry_pkey")
        {
            // Another activation of this feed wrote those numbers (possible for a moment after a silo failure):
            // continue from the stored head; the appends are retried by the caller's retry of its report.
            log.LogWarning("Feed {Code}: sequence after {Head} already taken, reloading", _code, _head);
            (_head, _totals) = await store.Head(_code);
            throw;
        }

        var sequences = new Dictionary<string, long>(written, StringComparer.Ordinal);
        var alreadyThere = distinct.Select(a => a.EventId).Where(id => !sequences.ContainsKey(id)).ToList();
        if (alreadyThere.Count > 0)
        {
            foreach (var (eventId, sequence) in await store.SequencesOf(_code, alreadyThere))
                sequences[eventId] = sequence;
        }

        foreach (var append in distinct.Where(a => written.ContainsKey(a.EventId)))
        {
            var entry = new FeedEntry(_code, written[append.EventId], append.Kind, append.At, append.Incident);
            _head = entry.Sequence;
            _totals = _totals.After(append);
            Remember(entry);
            RememberEventId(append.EventId, entry.Sequence);
            _unpublished.Enqueue(entry);
        }
        foreach (var pending in batch)
            pending.Sequence.TrySetResult(sequences[pending.Append.EventId]);
        if (!_publishing)
        {
            _publishing = true;
            _ = PublishInOrder();
        }
    }

    /// <summary>
    /// Pushes written entries in sequence order. Each round hands every waiting entry to the publisher in order
    /// before awaiting them together: the backplane sends them on one connection in the order they were handed over.
    /// </summary>
    private async Task PublishInOrder()
    {
        try
        {
            while (_unpublished.Count > 0)
            {
                var round = new List<(FeedEntry Entry, Task Sent)>(_unpublished.Count);
                while (_unpublished.TryDequeue(out var entry))
                    round.Add((entry, publisher.PublishEntry(entry)));
                foreach (var (entry, sent) in round)
                {
                    try
                    {
                        await sent;
                    }
                    catch (Exception e)
                    {
                        // The entry is durable; walls that missed the push catch up by sequence.
                        log.LogWarning(e, "Feed {Code}: pushing entry {Sequence} failed", _code, entry.Sequence);
                    }
                }
            }
        }
        finally
        {
            _publishing = false;
        }
    }

    private async Task FlushPositions(CancellationToken cancellationToken)
    {
        if (_unsentPositions.Count == 0)
        {
            _positionTimer?.Dispose();
            _positionTimer = null;
            return;
        }
        var batch = new PositionBatch(_code, _unsentPositions.Values.ToList());
        _unsentPositions.Clear();
        try
        {
            await publisher.PublishPositions(batch);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Feed {Code}: pushing {Count} positions failed", _code, batch.Positions.Count);
        }
    }

    private void Remember(FeedEntry entry)
    {
        _recent.Enqueue(entry);
        while (_recent.Count > _options.RecentInMemory)
            _recent.Dequeue();
    }

    private void RememberEventId(string eventId, long sequence)
    {
        _recentEventIds[eventId] = sequence;
        _recentEventOrder.Enqueue(eventId);
        while (_recentEventOrder.Count > _options.RecentInMemory)
            _recentEventIds.Remove(_recentEventOrder.Dequeue());
    }

    private void RollDay()
    {
        var today = ChinaTime.StartOfDay(clock.GetUtcNow());
        if (today == _today)
            return;
        _today = today;
        _beforeToday = _totals;
    }
}
