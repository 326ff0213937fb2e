using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;

namespace CommandCenter.Web.Application;

/// <summary>
/// The period reports of an area (日报、周报、月报、季报) as Excel workbooks: the figures of <see cref="StatsService"/>
/// for the period, its trend, the areas below, the categories and the sources.
/// </summary>
public sealed class ReportService(StatsService stats, JurisdictionDirectory directory)
{
    /// <summary>The report of the period named <paramref name="key"/> (2026-12-07, 2026-W49, 2026-12, 2026Q4; the field is <paramref name="field"/>).</summary>
    public async Task<Outcome<ExportFile>> Xlsx(string code, ReportPeriodKind kind, string field, string? key)
    {
        if (string.IsNullOrEmpty(key) || ReportPeriod.Parse(kind, key) is not { } period)
            return Refusal.Invalid(field, kind switch
            {
                ReportPeriodKind.Day => "A day: YYYY-MM-DD.",
                ReportPeriodKind.Week => "An ISO week: YYYY-Www, such as 2026-W49.",
                ReportPeriodKind.Month => "A month: YYYY-MM.",
                _ => "A quarter: YYYYQn, such as 2026Q4.",
            });
        var (from, to) = (Day(period.From), Day(period.To));
        var trend = await stats.Get(code, from, to, Json.Word(period.Trend));
        if (trend.Refusal is { } refused)
            return refused;
        var hasChildren = directory.Tree?.ChildrenOf(code).Count > 0;
        var children = hasChildren ? (await stats.Get(code, from, to, "child")).Value : null;
        var categories = (await stats.Get(code, from, to, "category")).Value!;
        var sources = (await stats.Get(code, from, to, "source")).Value!;
        var view = trend.Value!;
        return new ExportFile(ReportExport.Xlsx(view, children, categories, sources), ReportExport.ContentType,
            $"{view.Name}{period.Name}统计.xlsx");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
