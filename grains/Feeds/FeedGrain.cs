using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Feeds;

/// <summary>
/// One jurisdiction's feed. Its entries are written by the commits of the changes themselves (IncidentCommits numbers
/// them from the feed's head row in the same transaction, so the numbers have no gaps and survive restarts); the
/// committing silo then tells this grain, which keeps the recent entries and the counters and pushes each entry to
/// the walls once, in sequence order. Entries it was not told of (another silo's commit told out of order, or a silo
/// that died between its commit and telling) are read from PostgreSQL when a later entry shows the gap. An activation
/// reads the head as stored, which already holds the entries of the commit whose telling activated it: entries at or
/// below that head that it is told of are pushed too (once each, in order), because no earlier activation may have;
/// walls skip what they already applied.
/// It runs only on silos that host the wall hub (see CommandCenterSilo.WithoutWallHub). Each push is a span
/// <c>cc.feed_push</c> (<see cref="Tracing"/>) linked to the calls that told it of its entries, and each pushed entry
/// is measured: <c>cc.feed.lag</c>, from the entry's time (its commit's) to the end of its push to the hub.
/// </summary>
public sealed class FeedGrain(
    FeedStore store,
    IFeedPublisher publisher,
    TimeProvider clock,
    IOptions<FeedOptions> options,
    IOptions<Workers.WorkerOptions> workers,
    ILogger<FeedGrain> log) : Grain, IFeedGrain
{
    /// <summary>The most entries one push carries (a wall far behind reads the rest back by sequence anyway).</summary>
    public const int MaxEntriesPerMessage = 200;

    private static readonly Histogram<double> Lag = ProductMeter.Meter.CreateHistogram<double>("cc.feed.lag", "ms",
        "From an entry's time to the end of its push to the hub");

    private readonly FeedOptions _options = options.Value;
    private readonly Queue<FeedEntry> _recent = new();
    private readonly Queue<(FeedEntry Entry, ActivityContext Told)> _unpublished = new();
    private readonly Dictionary<string, WorkerPosition> _positions = new(StringComparer.Ordinal);
    /// <summary>The positions of those available as their last position says: what <see cref="NearestAvailable"/> passes over.</summary>
    private readonly Dictionary<string, WorkerPosition> _available = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerPosition> _unsentPositions = new(StringComparer.Ordinal);
    private bool _publishing;
    /// <summary>The highest sequence this activation has queued for pushing.</summary>
    private long _queuedUpTo;
    private IGrainTimer? _positionTimer;
    private string _code = "";
    private long _head;
    private FeedTotals _totals = FeedTotals.Zero;
    private FeedTotals _beforeToday = FeedTotals.Zero;
    private DateTimeOffset _today;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _code = this.GetPrimaryKeyString();
        await Reload();
        _today = ChinaTime.StartOfDay(clock.GetUtcNow());
        _beforeToday = await store.TotalsBefore(_code, _today);
    }

    public async Task Written(IReadOnlyList<FeedWritten> entries)
    {
        var fresh = entries.Where(w => w.Entry.Sequence > _queuedUpTo).OrderBy(w => w.Entry.Sequence).ToList();
        if (fresh.Count == 0)
            return;
        var told = Activity.Current?.Context ?? default;
        foreach (var written in fresh.Where(w => w.Entry.Sequence > _queuedUpTo))
        {
            if (written.Entry.Sequence <= _head)
            {
                // Read as stored at activation, not yet pushed by this activation.
                Queue(written.Entry, told);
                continue;
            }
            if (written.Entry.Sequence != _head + 1)
                await CatchUp(written.Entry.Sequence - 1);
            Add(written.Entry, told);
            _totals = written.Totals;
        }
        if (!_publishing)
        {
            _publishing = true;
            _ = PublishInOrder();
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
        var counters = new FeedCounters((int)(_totals.Reported - _beforeToday.Reported), (int)_totals.Open,
            (int)_totals.Overdue, (int)_totals.Supervised, (int)(_totals.Closed - _beforeToday.Closed));
        return Task.FromResult(new FeedSnapshot(_code, _head, counters, recent, _positions.Values.ToList(), clock.GetUtcNow(),
            (int)workers.Value.LostContactAfter.TotalSeconds));
    }

    public Task UpdatePosition(WorkerPosition position)
    {
        _positions[position.WorkerId] = position;
        if (Workers.DutyRules.Available(position.Status))
            _available[position.WorkerId] = position;
        else
            _available.Remove(position.WorkerId);
        _unsentPositions[position.WorkerId] = position;
        _positionTimer ??= this.RegisterGrainTimer(FlushPositions, _options.PositionFlushInterval, _options.PositionFlushInterval);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerPosition>> NearestAvailable(double latitude, double longitude, int max)
    {
        // The max nearest in one pass: a heap whose top is the farthest kept so far.
        var nearest = new PriorityQueue<WorkerPosition, double>(max + 1, Comparer<double>.Create((a, b) => b.CompareTo(a)));
        foreach (var p in _available.Values)
        {
            nearest.Enqueue(p, Incidents.Distance.Meters(latitude, longitude, p.Latitude, p.Longitude));
            if (nearest.Count > max)
                nearest.Dequeue();
        }
        var kept = new WorkerPosition[nearest.Count];
        for (var i = kept.Length - 1; i >= 0; i--)
            kept[i] = nearest.Dequeue();
        return Task.FromResult<IReadOnlyList<WorkerPosition>>(kept);
    }

    public Task PublishCameraStatus(CameraStatusChange change) => publisher.PublishCameraStatus(change);

    public Task PublishPatrolsMissed(Patrols.PatrolsMissed missed) => publisher.PublishPatrolsMissed(missed);

    public Task PublishAlertsEscalated(Alerts.AlertsEscalated escalated) => publisher.PublishAlertsEscalated(escalated);

    public Task PublishAlertNudge(Alerts.AlertNudge nudge) => publisher.PublishAlertNudge(nudge);

    public Task PublishInstruction(Command.InstructionNotice notice) => publisher.PublishInstruction(notice);

    public Task PublishZeroReportDue(ZeroReports.ZeroReportDue due) => publisher.PublishZeroReportDue(due);

    public Task PublishZeroReportsMissing(ZeroReports.ZeroReportsMissing missing) => publisher.PublishZeroReportsMissing(missing);

    public Task PublishRollCall(RollCalls.RollCallNotice notice) => publisher.PublishRollCall(notice);

    /// <summary>
    /// Takes the entries after the head up to <paramref name="upTo"/> from PostgreSQL (they are committed: a later one
    /// was numbered after them). A gap longer than the entries kept in memory reloads the head instead: walls that
    /// miss those pushes see the jump in sequence and read the entries back.
    /// </summary>
    private async Task CatchUp(long upTo)
    {
        var missing = upTo - _head;
        if (missing > _options.RecentInMemory)
        {
            log.LogWarning("Feed {Code}: {Missing} entries after {Head} were not told to this activation, reloading", _code, missing, _head);
            await Reload();
            return;
        }
        foreach (var entry in await store.Read(_code, _head, (int)missing))
            Add(entry, default);
    }

    /// <summary>
    /// The head, its totals and the recent entries up to it as stored. Commits go on meanwhile: entries after the head
    /// read here come as told (or as a gap), never twice.
    /// </summary>
    private async Task Reload()
    {
        (_head, _totals) = await store.Head(_code);
        _recent.Clear();
        foreach (var entry in await store.Latest(_code, _head, _options.RecentInMemory))
            _recent.Enqueue(entry);
    }

    private void Add(FeedEntry entry, ActivityContext told)
    {
        _head = entry.Sequence;
        _recent.Enqueue(entry);
        while (_recent.Count > _options.RecentInMemory)
            _recent.Dequeue();
        Queue(entry, told);
    }

    private void Queue(FeedEntry entry, ActivityContext told)
    {
        _queuedUpTo = entry.Sequence;
        _unpublished.Enqueue((entry, told));
    }

    /// <summary>
    /// Pushes written entries in sequence order: each round sends every waiting entry (up to
    /// <see cref="MaxEntriesPerMessage"/> a message) as one message, and the next round starts when it is sent.
    /// </summary>
    private async Task PublishInOrder()
    {
        try
        {
            while (_unpublished.Count > 0)
            {
                var message = new List<FeedEntry>(Math.Min(_unpublished.Count, MaxEntriesPerMessage));
                var told = new List<ActivityContext>();
                while (message.Count < MaxEntriesPerMessage && _unpublished.TryDequeue(out var next))
                {
                    message.Add(next.Entry);
                    told.Add(next.Told);
                }
                using var span = Tracing.Round("cc.feed_push", told);
                span?.SetTag("cc.jurisdiction", _code).SetTag("cc.size", message.Count);
                try
                {
                    await publisher.PublishEntries(message);
                    var pushed = clock.GetUtcNow();
                    foreach (var entry in message)
                        Lag.Record((pushed - entry.At).TotalMilliseconds);
                }
                catch (Exception e)
                {
                    // The entries are durable; walls that missed the push catch up by sequence.
                    BackgroundFailures.Count("feed.push");
                    span?.SetStatus(ActivityStatusCode.Error, e.Message);
                    log.LogWarning(e, "Feed {Code}: pushing entries {First}-{Last} failed", _code, message[0].Sequence, message[^1].Sequence);
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

    private void RollDay()
    {
        var today = ChinaTime.StartOfDay(clock.GetUtcNow());
        if (today == _today)
            return;
        _today = today;
        _beforeToday = _totals;
    }
}
