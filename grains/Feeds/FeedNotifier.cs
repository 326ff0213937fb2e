using Microsoft.Extensions.Logging;

namespace CommandCenter.Feeds;

/// <summary>
/// Tells the feeds what a commit wrote, in commit order: whatever commits are waiting when the previous round is done
/// go out together, one call per feed, so the county feed gets one call per round and not one per report. A feed
/// that cannot be told is logged and passed over: its entries are durable, and the feed reads them back when a later
/// entry shows the gap.
/// </summary>
public sealed class FeedNotifier : IAsyncDisposable
{
    private readonly GroupCommit<IReadOnlyList<FeedWritten>, bool> _rounds;

    public FeedNotifier(IGrainFactory grains, ILogger<FeedNotifier> log)
    {
        _rounds = new GroupCommit<IReadOnlyList<FeedWritten>, bool>(async commits =>
        {
            var byFeed = commits.SelectMany(c => c).GroupBy(w => w.Entry.Jurisdiction, StringComparer.Ordinal);
            await Task.WhenAll(byFeed.Select(async feed =>
            {
                try
                {
                    await grains.GetGrain<IFeedGrain>(feed.Key).Written(feed.ToList());
                }
                catch (Exception e)
                {
                    BackgroundFailures.Count("feed.tell");
                    log.LogWarning(e, "Feed {Code}: telling it of {Count} committed entries failed", feed.Key, feed.Count());
                }
            }));
            return commits.Select(_ => true).ToList();
        }, log, "feed rounds");
    }

    /// <summary>Tells the feeds of entries just committed; completes when they have been told (or could not be).</summary>
    public Task Tell(IReadOnlyList<FeedWritten> written) => written.Count == 0 ? Task.CompletedTask : _rounds.Add(written);

    public ValueTask DisposeAsync() => _rounds.DisposeAsync();
}
