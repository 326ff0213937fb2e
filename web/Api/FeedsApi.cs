using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>Feeds over HTTP.</summary>
public static class FeedsApi
{
    public static IEndpointRouteBuilder MapFeedsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/feeds", "Feeds");
        api.MapGet("/{code}", (string code, string? after, string? limit, FeedService feeds) => feeds.Read(code, after, limit).Answer(TypedResults.Ok))
            .WithName("ReadFeed")
            .WithSummary("Entries after a sequence number (?after=N&limit=M, at most 1000). resync=true: too far behind, reload the snapshot.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ReadFeeds, AccessTarget.Parameter, "code");
        api.MapGet("/{code}/snapshot", (string code, FeedService feeds) => feeds.Snapshot(code).Answer(TypedResults.Ok))
            .WithName("FeedSnapshot")
            .WithSummary("What a wall loads before following the feed: head, counters, recent incidents, worker positions.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ReadFeeds, AccessTarget.Parameter, "code");
        return app;
    }
}
