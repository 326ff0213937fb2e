using CommandCenter.Categories;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;

namespace CommandCenter.Web.Application;

/// <summary>A township's stored monthly report, or that it is not there yet.</summary>
public sealed record StoredMonthly(string Code, string Name, bool Ready, DateTimeOffset? BuiltAt, string? FileName);

/// <summary>
/// Which monthly reports of a month sent to an area are stored (<c>GET /api/reports/{code}/monthly-ready</c>): its
/// townships', or a city's counties' (<see cref="MonthlyReports.ReportingTo"/>).
/// </summary>
public sealed record MonthlyReadiness(string Jurisdiction, string Name, string Month, string Period, int BuildDay, IReadOnlyList<StoredMonthly> Units);

/// <summary>
/// The period reports of an area (日报、周报、月报、季报) as Excel workbooks: the figures of <see cref="StatsService"/>
/// for the period, its trend, the areas below, the categories and the sources; and the townships' monthly reports as
/// the monthly report job stored them.
/// </summary>
public sealed class ReportService(StatsService stats, JurisdictionDirectory directory, StoredReportStore stored, IncidentStore incidents,
    CategoryCatalog categories, Microsoft.Extensions.Options.IOptions<MonthlyReportOptions> options, TimeProvider clock)
{
    /// <summary>The most cases of each kind on a report's sheet 重点案件 (the most recently changed).</summary>
    public const int MaxNotable = 500;

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
        var trend = await stats.Get(code, Day(period.From), Day(period.To), Json.Word(period.Trend));
        if (trend.Refusal is { } refused)
            return refused;
        var view = trend.Value!;
        var tree = directory.Tree!;
        var children = tree.ChildrenOf(code).Count > 0 ? await stats.Groups(tree, code, period.From, period.To, StatGrouping.Child) : null;
        var categoryRows = await stats.Groups(tree, code, period.From, period.To, StatGrouping.Category);
        var sources = await stats.Groups(tree, code, period.From, period.To, StatGrouping.Source);
        var notable = await Notable(tree, code, period);
        return new ExportFile(ReportExport.Xlsx(view, children, categoryRows, sources, notable), ReportExport.ContentType,
            $"{view.Name}{period.Name}统计.xlsx");
    }

    /// <summary>The period's notable cases within the area (重点案件): supervised, reopened, rated dissatisfied, each kind's most recently changed first.</summary>
    private async Task<IReadOnlyList<IncidentRow>> Notable(JurisdictionTree tree, string code, ReportPeriod period)
    {
        var kinds = await Task.WhenAll(Enum.GetValues<NotableEvent>().Select(async kind =>
            (await incidents.List(new IncidentFilter(code, Limit: MaxNotable, Notable: NotableWithin.Days(kind, period.From, period.To))))
                .Select(i => IncidentRow.Of(i, tree, categories.List, IncidentService.NotableName(kind)))));
        return kinds.SelectMany(rows => rows).ToList();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The townships within <paramref name="code"/> (or the township itself) and whether their report of <paramref name="month"/> (the latest due by default) is stored.</summary>
    public async Task<Outcome<MonthlyReadiness>> MonthlyReady(string code, string? month)
    {
        var buildDay = options.Value.BuildDay;
        var period = string.IsNullOrEmpty(month) ? MonthlyReports.Latest(ChinaTime.Day(clock.GetUtcNow()), buildDay) : ReportPeriod.Parse(ReportPeriodKind.Month, month);
        if (period is null)
            return Refusal.Invalid("month", "A month: YYYY-MM.");
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
        var units = MonthlyReports.ReportingTo(tree, code);
        var have = await stored.Of(units.Select(t => t.Code).ToList(), MonthlyReports.Kind, period.Key);
        return new MonthlyReadiness(code, tree.NameOf(code), period.Key, period.Name, buildDay, units.Select(t => have.TryGetValue(t.Code, out var r)
            ? new StoredMonthly(t.Code, t.Name, true, r.BuiltAt, r.FileName)
            : new StoredMonthly(t.Code, t.Name, false, null, null)).ToList());
    }

    /// <summary>A township's monthly report as stored (what the county received), or 404 before it is built.</summary>
    public async Task<Outcome<ExportFile>> StoredMonthlyXlsx(string code, string? month)
    {
        if (string.IsNullOrEmpty(month) || ReportPeriod.Parse(ReportPeriodKind.Month, month) is not { } period)
            return Refusal.Invalid("month", "A month: YYYY-MM.");
        return await stored.Get(code, MonthlyReports.Kind, period.Key) is { } found
            ? new ExportFile(found.Content, ReportExport.ContentType, found.Report.FileName)
            : Refusal.NotFound($"The monthly report of {directory.Tree?.NameOf(code) ?? code} for {period.Key} is not built yet (from day {options.Value.BuildDay} of the month after).");
    }
}
