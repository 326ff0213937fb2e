using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>The daily zero-report over HTTP (零报告): the county's sensitive periods, each unit's report of a day, who has not reported, and the export of a period.</summary>
public static class ZeroReportsApi
{
    public static IEndpointRouteBuilder MapZeroReportsApi(this IEndpointRouteBuilder app)
    {
        var periods = app.MapApiGroup("/api/sensitive-periods", "Zero reports");
        periods.MapPost("/", (IdempotencyKey key, Body<SensitivePeriodRequest> body, HttpContext http, ZeroReportService zero) =>
                zero.Configure(http.Actor(), key.Value, body.Value).Answer(TypedResults.Ok))
            .WithName("ConfigureSensitivePeriod")
            .WithSummary("A sensitive period (敏感时期) of the county: { name, from, to (YYYY-MM-DD, CST), levels: [township | village], deadline?: \"HH:mm\" (10:00), workingDaysOnly? (false: every day) }; the same Idempotency-Key again answers the stored one.")
            .RequireAccess(AccessAction.ConfigureSensitivePeriods, AccessTarget.County);
        periods.MapGet("/", async (ZeroReportService zero) => TypedResults.Ok(await zero.Periods()))
            .WithName("ListSensitivePeriods")
            .WithSummary("Every sensitive period, the latest first, with its last day (the day it was ended on, when ended early).")
            .RequireAccess(AccessAction.ReadZeroReports, AccessTarget.Anywhere);
        periods.MapPost("/{id:guid}/end", (Guid id, HttpContext http, ZeroReportService zero) => zero.End(http.Actor(), id).Answer(TypedResults.Ok))
            .WithName("EndSensitivePeriod")
            .WithSummary("End a period early: today is its last day (one not begun never runs); ended already: answered as it is.")
            .RequireAccess(AccessAction.ConfigureSensitivePeriods, AccessTarget.County)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var reports = app.MapApiGroup("/api/zero-reports", "Zero reports");
        reports.MapPost("/", (IdempotencyKey key, Body<ZeroReportRequest> body, HttpContext http, ZeroReportService zero) =>
                zero.Submit(http.Actor(), key.Value, body.Value).Answer(TypedResults.Ok))
            .WithName("SubmitZeroReport")
            .WithSummary("A unit's report of a day: { jurisdiction, date (YYYY-MM-DD, CST), nothing, note?, incidents?: [ids] }, by its own station or, for a village, its township; once per unit and day (409 naming date); the same Idempotency-Key again answers the stored one.")
            .RequireAccess(AccessAction.SubmitZeroReports)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        reports.MapGet("/", (string? jurisdiction, string? date, HttpContext http, ZeroReportService zero) =>
                zero.Day(http.Actor().Caller, jurisdiction, date).Answer(TypedResults.Ok))
            .WithName("ListZeroReports")
            .WithSummary("Every unit of ?jurisdiction=CODE due on ?date=YYYY-MM-DD (CST, today by default): who reported, when, by whom and what, and who has not; counts in all, per level and per parent.")
            .RequireAccess(AccessAction.ReadZeroReports, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapGet("/export", (string? jurisdiction, string? from, string? to, string? format, HttpContext http, ZeroReportService zero) =>
                zero.Export(http.Actor().Caller, jurisdiction, from, to, format).Answer(file => TypedResults.File(file.Bytes, file.ContentType, file.FileName)))
            .WithName("ExportZeroReports")
            .WithSummary("The reports of ?jurisdiction=CODE from ?from= to ?to= (YYYY-MM-DD, at most 92 days) as ?format=csv (default) or xlsx: a row per unit and day, Chinese headers, names.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .RequireAccess(AccessAction.ReadZeroReports, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
