using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Feeds;

/// <summary>
/// One jurisdiction's feed. The grain is the only writer of its sequence: it stores each entry in PostgreSQL
/// before counting it, so the numbers have no gaps and survive restarts, then pushes it to the walls.
/// It runs only on silos that host the wall hub (see FeedPlacement in the silo host).
/// </summary>
public sealed class FeedGrain(
    FeedStore store,
    IFeedPublisher publisher,
    TimeProvider clock,
    IOptions<FeedOptions> options,
    ILogger<FeedGrain> log) : Grain, IFeedGrain
{
    private readonly FeedOptions _options = options.Value;
    private readonly Queue<FeedEntry> _recent = new();
    private readonly Dictionary<string, long> _recentEventIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentEventOrder = new();
    private readonly Dictionary<string, WorkerPosition> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerPosition> _unsentPositions = new(StringComparer.Ordinal);
    private IGrainTimer? _positionTimer;
    private string _code = "";
    private long _head;
    private DateTimeOffset _today;
    private int _reportedToday;
    private int _open;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _code = this.GetPrimaryKeyString();
        _head = await store.Head(_code);
        foreach (var entry in await store.Latest(_code, _options.RecentInMemory))
            Remember(entry);
        _today = ChinaTime.StartOfDay(clock.GetUtcNow());
        var counters = await store.Counters(_code, _today);
        (_reportedToday, _open) = (counters.ReportedToday, counters.Open);
    }

    public async Task<long> Append(FeedAppend append)
    {
        if (_recentEventIds.TryGetValue(append.EventId, out var known))
            return known;

        for (var attempt = 0; ; attempt++)
        {
            var entry = new FeedEntry(_code, _head + 1, append.Kind, append.At, append.Incident);
            try
            {
                if (!await store.TryInsert(entry, append.EventId))
                    return await store.SequenceOf(_code, append.EventId)
                        ?? throw new InvalidOperationException($"Feed {_code}: event {append.EventId} vanished.");
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // Another activation of this feed wrote the sequence (possible for a moment after a silo failure):
                // continue from the stored head rather than overwrite.
                log.LogWarning("Feed {Code}: sequence {Sequence} already taken, reloading head", _code, entry.Sequence);
                _head = await store.Head(_code);
                continue;
            }

            _head = entry.Sequence;
            Remember(entry);
            RememberEventId(append.EventId, entry.Sequence);
            Count(entry);
            await Publish(entry);
            return entry.Sequence;
        }
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
        return Task.FromResult(new FeedSnapshot(
            _code, _head, new FeedCounters(_reportedToday, _open), recent, _positions.Values.ToList()));
    }

    public Task UpdatePosition(WorkerPosition position)
    {
        _positions[position.WorkerId] = position;
        _unsentPositions[position.WorkerId] = position;
        _positionTimer ??= this.RegisterGrainTimer(FlushPositions, _options.PositionFlushInterval, _options.PositionFlushInterval);
        return Task.CompletedTask;
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

    private async Task Publish(FeedEntry entry)
    {
        try
        {
            await publisher.PublishEntry(entry);
        }
        catch (Exception e)
        {
            // The entry is durable; walls that missed the push catch up by sequence.
            log.LogWarning(e, "Feed {Code}: pushing entry {Sequence} failed", _code, entry.Sequence);
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

    private void Count(FeedEntry entry)
    {
        RollDay();
        if (entry.Kind != FeedKinds.IncidentReported)
            return;
        if (entry.At >= _today)
            _reportedToday++;
        _open++;
    }

    private void RollDay()
    {
        var today = ChinaTime.StartOfDay(clock.GetUtcNow());
        if (today == _today)
            return;
        _today = today;
        _reportedToday = 0;
    }
}
