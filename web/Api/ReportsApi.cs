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
                .WithSummary($"The {file} report of an area (?{field}={example}) as .xlsx: sheets 概况, 外勤与指挥, 趋势, 下级, 类别, 来源, Chinese headers, "
                    + "dates as dates, rates as percentages (empty without data).")
                .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "code")
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
        api.MapGet("/{code}/monthly-ready", (string code, string? month, ReportService reports) =>
                reports.MonthlyReady(code, month).Answer(TypedResults.Ok))
            .WithName("MonthlyReportsReady")
            .WithSummary("Which townships within the area have their monthly report of ?month= (the latest due by default) stored by the monthly report job.")
            .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "code")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{code}/stored/monthly.xlsx", (string code, string? month, ReportService reports) =>
                reports.StoredMonthlyXlsx(code, month).Answer(x => TypedResults.File(x.Bytes, x.ContentType, x.FileName)))
            .WithName("StoredMonthlyReport")
            .WithSummary("A township's monthly report of ?month= as the job stored it on the build day (what the county received); 404 before.")
            .RequireAccess(AccessAction.ReadStatistics, AccessTarget.Parameter, "code")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
