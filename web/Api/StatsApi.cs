using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>The KPIs of a jurisdiction over a period.</summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/stats", "Statistics");
        api.MapGet("/{code}", (string code, string? from, string? to, string? by, StatsService stats) =>
                stats.Get(code, from, to, by).Answer(TypedResults.Ok))
            .WithName("JurisdictionStatistics")
            .WithSummary("The KPIs of a jurisdiction from ?from= to ?to= (YYYY-MM-DD, China Standard Time days; this month so far), "
                + "?by= day | week | month | child | category | source: { total, groups: [{ key, name, counts, rates, toAccept, toClose, openNow, overdueNow }] }. "
                + "A rate without a denominator is null.")
            .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "code")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
