using CommandCenter.Access;
using CommandCenter.Statistics;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>The period reports of an area as Excel workbooks.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/reports", "Reports");
        foreach (var (file, kind, field, example) in new[]
                 {
                     ("daily", ReportPeriodKind.Day, "date", "2026-12-07"), ("weekly", ReportPeriodKind.Week, "week", "2026-W49"),
                     ("monthly", ReportPeriodKind.Month, "month", "2026-12"), ("quarterly", ReportPeriodKind.Quarter, "quarter", "2026Q4"),
                 })
        {
            api.MapGet($"/{{code}}/{file}.xlsx", (string code, HttpContext http, ReportService reports) =>
                    reports.Xlsx(code, kind, field, http.Request.Query[field].ToString())
                        .Answer(x => TypedResults.File(x.Bytes, x.ContentType, x.FileName)))
                .WithName($"{char.ToUpperInvariant(file[0])}{file[1..]}Report")
                .WithSummary($"The {file} report of an area (?{field}={example}) as .xlsx: sheets 概况, 趋势, 下级, 类别, 来源, Chinese headers, "
                    + "dates as dates, rates as percentages (empty without data).")
                .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "code")
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
        return app;
    }
}
