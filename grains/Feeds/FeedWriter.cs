using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Feeds;

/// <summary>
/// Group commit across feeds: every feed of this silo hands its batch here, and whatever is waiting when the
/// previous commit returns is written in one statement and one commit. A report touches four feeds (grid, village,
/// township, county); without this each would pay its own fsync. A feed has at most one write outstanding and moves
/// its head only after the commit, so sequences stay gapless; a failed commit fails every feed in it, and their
/// callers retry.
/// </summary>
public sealed class FeedWriter : IAsyncDisposable
{
    private sealed record Request(FeedStore.Write Write, TaskCompletionSource<IReadOnlyDictionary<string, long>> Written);

    private readonly FeedStore _store;
    private readonly ILogger<FeedWriter> _log;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public FeedWriter(FeedStore store, ILogger<FeedWriter> log)
    {
        _store = store;
        _log = log;
        _loop = Task.Run(WriteLoop);
    }

    /// <summary>Writes one feed's appends; returns the sequence of each event id written (those the feed already had are absent).</summary>
    public Task<IReadOnlyDictionary<string, long>> Append(FeedStore.Write write)
    {
        var request = new Request(write, new TaskCompletionSource<IReadOnlyDictionary<string, long>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_requests.Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(FeedWriter));
        return request.Written.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteLoop()
    {
        var batch = new List<Request>();
        while (await _requests.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (_requests.Reader.TryRead(out var request))
                batch.Add(request);
            try
            {
                var written = await _store.Append(batch.Select(r => r.Write).ToList());
                foreach (var request in batch)
                {
                    var code = request.Write.Jurisdiction;
                    request.Written.TrySetResult(request.Write.Appends
                        .Where(a => written.ContainsKey((code, a.EventId)))
                        .ToDictionary(a => a.EventId, a => written[(code, a.EventId)], StringComparer.Ordinal));
                }
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "Writing {Rows} feed entries of {Feeds} feeds failed", batch.Sum(r => r.Write.Appends.Count), batch.Count);
                foreach (var request in batch)
                    request.Written.TrySetException(e);
            }
        }
    }
}
