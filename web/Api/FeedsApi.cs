using CommandCenter.Access;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Api;

/// <summary>Feeds over HTTP: the same entries the wall hub pushes, for catching up and for clients without a socket.</summary>
public static class FeedsApi
{
    public static IEndpointRouteBuilder MapFeedsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/feeds").WithTags("Feeds");
        api.MapGet("/{code}", Read)
            .WithName("ReadFeed")
            .WithSummary("Entries after a sequence number (?after=N&limit=M, at most 1000). resync=true: too far behind, reload the snapshot.")
            .Produces<FeedPage>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ReadFeeds, AccessTarget.Parameter, "code");
        api.MapGet("/{code}/snapshot", Snapshot)
            .WithName("FeedSnapshot")
            .WithSummary("What a wall loads before following the feed: head, counters, recent incidents, worker positions.")
            .Produces<FeedSnapshot>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ReadFeeds, AccessTarget.Parameter, "code");
        return app;
    }

    /// <remarks>The query is parsed here rather than bound, so that a malformed number is a 400 naming its parameter.</remarks>
    private static async Task<IResult> Read(string code, string? after, string? limit, JurisdictionDirectory directory, IGrainFactory grains)
    {
        long afterSequence = 0;
        if (after is not null && (!long.TryParse(after, out afterSequence) || afterSequence < 0))
            return Problems.Validation("after", "A sequence number: a whole number, 0 or more.");
        var pageSize = 500;
        if (limit is not null && (!int.TryParse(limit, out pageSize) || pageSize is < 1 or > 1000))
            return Problems.Validation("limit", "A whole number between 1 and 1000.");
        if (directory.Tree?.Find(code) is null)
            return Problems.NotFound($"No jurisdiction {code}.");
        return TypedResults.Ok(await grains.GetGrain<IFeedGrain>(code).Read(afterSequence, pageSize));
    }

    private static async Task<IResult> Snapshot(string code, JurisdictionDirectory directory, IGrainFactory grains) =>
        directory.Tree?.Find(code) is null
            ? Problems.NotFound($"No jurisdiction {code}.")
            : TypedResults.Ok(await grains.GetGrain<IFeedGrain>(code).Snapshot());
}
