using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CommandCenter;

/// <summary>
/// Group commit: whatever is waiting when a round can start is written in one call (one statement, one fsync), so
/// under load many callers share a commit instead of queueing for their own. Rounds start in order, and at most
/// <c>rounds</c> of them run at once (one by default: a round starts when the previous one returns). Each caller's
/// task completes when its item is durable; a failed commit fails every item in it, and their callers decide whether
/// to retry. Each round is measured on the CommandCenter meter, tagged by what it commits:
/// <c>cc.group_commit.duration</c> (ms) and <c>cc.group_commit.size</c> (items). While something listens to
/// <see cref="Tracing.Source"/>, each round is a span <c>cc.group_commit</c> of its own trace, linked to the span of
/// every caller it commits for (a round serves many traces, so it is the child of none).
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private sealed record Request(TItem Item, TaskCompletionSource<TResult> Done, ActivityContext Caller);

    private static readonly Histogram<double> Duration = ProductMeter.Meter.CreateHistogram<double>("cc.group_commit.duration", "ms",
        "How long one round of a group commit took");
    private static readonly Histogram<int> Size = ProductMeter.Meter.CreateHistogram<int>("cc.group_commit.size", "{item}",
        "How many items one round of a group commit wrote");

    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _commit;
    private readonly ILogger _log;
    private readonly string _what;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly int _roundsAtOnce;
    private readonly SemaphoreSlim _rounds;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="commit">Writes a batch durably and returns one result per item, in order.</param>
    /// <param name="what">What the items are, for the log ("feed writes", "audit rows").</param>
    /// <param name="rounds">How many rounds may run at once; <paramref name="commit"/> must allow that many calls at a time.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit, ILogger log, string what, int rounds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        _commit = commit;
        _log = log;
        _what = what;
        _tag = new("what", what);
        _roundsAtOnce = rounds;
        _rounds = new SemaphoreSlim(rounds, rounds);
        _loop = Task.Run(CommitLoop);
    }

    public Task<TResult> Add(TItem item)
    {
        var request = new Request(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context ?? default);
        if (!_requests.Writer.TryWrite(request))
            throw new ObjectDisposedException(GetType().Name);
        return request.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop;
    }

    private async Task CommitLoop()
    {
        while (await _requests.Reader.WaitToReadAsync())
        {
            await _rounds.WaitAsync();
            var batch = new List<Request>();
            while (_requests.Reader.TryRead(out var request))
                batch.Add(request);
            _ = Round(batch);
        }
        // Every round gives its slot back when done: holding them all means none still runs.
        for (var i = 0; i < _roundsAtOnce; i++)
            await _rounds.WaitAsync();
    }

    /// <summary>One round: commits the batch and completes its callers' tasks; never throws.</summary>
    private async Task Round(List<Request> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = Tracing.Round("cc.group_commit", batch.Select(r => r.Caller));
        span?.SetTag("cc.what", _what).SetTag("cc.size", batch.Count);
        try
        {
            var results = await _commit(batch.Select(r => r.Item).ToList());
            for (var i = 0; i < batch.Count; i++)
                batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Committing {Count} {What} failed", batch.Count, _what);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            foreach (var request in batch)
                request.Done.TrySetException(e);
        }
        finally
        {
            _rounds.Release();
        }
        Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _tag);
        Size.Record(batch.Count, _tag);
    }
}
