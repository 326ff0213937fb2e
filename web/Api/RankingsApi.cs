using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>The rankings of an area over HTTP.</summary>
public static class RankingsApi
{
    public static IEndpointRouteBuilder MapRankingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/rankings", "Rankings");
        api.MapGet("/grids", (string? jurisdiction, string? quarter, RankingService rankings) =>
                rankings.Grids(jurisdiction!, quarter).Answer(TypedResults.Ok))
            .WithName("StarGrids")
            .WithSummary("星级网格: every grid within ?jurisdiction= for ?quarter=2026Q4 (this quarter by default), ranked by a weighted score "
                + "(closure, on time, satisfaction, patrol compliance, not overdue, not reopened; configured) with its stars; ties by cases closed, then code.")
            .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workers", (string? jurisdiction, string? month, string? quarter, RankingService rankings) =>
                rankings.Workers(jurisdiction!, month, quarter).Answer(TypedResults.Ok))
            .WithName("TopWorkers")
            .WithSummary("十佳网格员: the first ten grid workers and chiefs within ?jurisdiction= for ?month=2026-12 or ?quarter=2026Q4 (this month by default), "
                + "by a weighted score (reports, closures on the spot, without a missed deadline, satisfaction, their grid's patrols; configured).")
            .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/four-no", (string? jurisdiction, string? year, RankingService rankings) =>
                rankings.FourNoVillages(jurisdiction!, year).Answer(TypedResults.Ok))
            .WithName("FourNoVillages")
            .WithSummary("四无村 of ?year= (this one by default) for every village within ?jurisdiction=: no litigation (recorded), no criminal case, "
                + "no public-security case, no dispute backlog, all four; counts and shares per township and for the area.")
            .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/four-no/litigation", (Body<LitigationRequest> body, HttpContext http, RankingService rankings) =>
                rankings.RecordLitigation(http.Actor(), body.Value).Answer(TypedResults.Ok))
            .WithName("RecordLitigation")
            .WithSummary("Record a village's litigation cases of a year from the courts: { village, year, cases, note }. Audited.")
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.RecordLitigation, AccessTarget.Data);
        return app;
    }
}
