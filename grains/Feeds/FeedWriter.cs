using Microsoft.Extensions.Logging;

namespace CommandCenter.Feeds;

/// <summary>
/// Group commit across feeds: every feed of this silo hands its batch here, and whatever is waiting when the
/// previous commit returns is written in one statement and one commit. A report touches four feeds (grid, village,
/// township, county); without this each would pay its own fsync. A feed has at most one write outstanding and moves
/// its head only after the commit, so sequences stay gapless; a failed commit fails every feed in it, and their
/// callers retry.
/// </summary>
public sealed class FeedWriter(FeedStore store, ILogger<FeedWriter> log) : IAsyncDisposable
{
    private readonly GroupCommit<FeedStore.Write, IReadOnlyDictionary<string, long>> _commit = new(async writes =>
    {
        var written = await store.Append(writes);
        return writes.Select(write => (IReadOnlyDictionary<string, long>)write.Appends
            .Where(a => written.ContainsKey((write.Jurisdiction, a.EventId)))
            .ToDictionary(a => a.EventId, a => written[(write.Jurisdiction, a.EventId)], StringComparer.Ordinal)).ToList();
    }, log, "feed writes");

    /// <summary>Writes one feed's appends; returns the sequence of each event id written (those the feed already had are absent).</summary>
    public Task<IReadOnlyDictionary<string, long>> Append(FeedStore.Write write) => _commit.Add(write);

    public ValueTask DisposeAsync() => _commit.DisposeAsync();
}
