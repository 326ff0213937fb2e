using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Web.Application;

/// <summary>Feeds read over HTTP: the same entries the wall hub pushes, for catching up and for clients without a socket.</summary>
public sealed class FeedService(JurisdictionDirectory directory, IGrainFactory grains)
{
    public const int DefaultPage = 500;
    public const int MaxPage = 1000;

    /// <summary>Entries after a sequence number; the query's numbers are checked here so a malformed one is a 400 naming it.</summary>
    public async Task<Outcome<FeedPage>> Read(string code, string? after, string? limit)
    {
        long afterSequence = 0;
        if (after is not null && (!long.TryParse(after, out afterSequence) || afterSequence < 0))
            return Refusal.Invalid("after", "A sequence number: a whole number, 0 or more.");
        var pageSize = DefaultPage;
        if (limit is not null && (!int.TryParse(limit, out pageSize) || pageSize is < 1 or > MaxPage))
            return Refusal.Invalid("limit", $"A whole number between 1 and {MaxPage}.");
        if (directory.Tree?.Find(code) is null)
            return Refusal.NotFound($"No jurisdiction {code}.");
        return await grains.GetGrain<IFeedGrain>(code).Read(afterSequence, pageSize);
    }

    /// <summary>What a wall loads before following the feed.</summary>
    public async Task<Outcome<FeedSnapshot>> Snapshot(string code) =>
        directory.Tree?.Find(code) is null
            ? Refusal.NotFound($"No jurisdiction {code}.")
            : await grains.GetGrain<IFeedGrain>(code).Snapshot();
}
