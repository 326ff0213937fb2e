using CommandCenter.Categories;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;

namespace CommandCenter.Web.Application;

/// <summary>A duration's median and 90th percentile in working hours, and over how many cases (null figures: none ended in the period).</summary>
public sealed record TimeFigures(double? MedianHours, double? P90Hours, long Cases);

/// <summary>
/// The figures of one group of a period (the whole period, a day, a week, a month, a child area, a category or a
/// source): its counts, its rates, its times, and the cases open and overdue now (only where "now" applies: the
/// total, a child, a category, a source; null for a day, week or month); a child's row has its field forces' and the
/// command's figures too (<see cref="Field"/>, null for any other row).
/// </summary>
public sealed record StatsRow(string Key, string Name, KpiCounts Counts, KpiRates Rates, TimeFigures ToAccept, TimeFigures ToClose, long? OpenNow,
    long? OverdueNow, FieldFigures? Field = null);

/// <summary>The answer of <c>GET /api/stats/{code}</c>; <see cref="Field"/> is the field forces' and the command's figures of the whole period.</summary>
public sealed record StatsView(string Jurisdiction, string Name, DateOnly From, DateOnly To, string By, StatsRow Total, FieldFigures Field,
    IReadOnlyList<StatsRow> Groups);

/// <summary>
/// The KPIs of a jurisdiction over a period (China Standard Time days), from the statistics rolled up as events
/// happened (<see cref="StatStore"/>), with the definitions of <see cref="Kpis"/>; within the caller's scope.
/// </summary>
public sealed class StatsService(StatStore store, FieldStatsStore field, JurisdictionDirectory directory, CategoryCatalog categories, TimeProvider clock)
{
    /// <summary>The longest period one asks for: a county-decade.</summary>
    public const int MaxDays = 3700;

    /// <summary>The longest period broken down by day.</summary>
    public const int MaxDaysByDay = 366;

    public async Task<Outcome<StatsView>> Get(string code, string? from, string? to, string? by)
    {
        var errors = new Dictionary<string, string[]>();
        var today = ChinaTime.Day(clock.GetUtcNow());
        var first = ZeroReportFormats.ReadDay("from", from, errors) ?? new DateOnly(today.Year, today.Month, 1);
        var last = ZeroReportFormats.ReadDay("to", to, errors) ?? today;
        var grouping = StatGrouping.Total;
        if (!string.IsNullOrEmpty(by) && (!EnumWords.TryParse(by, out grouping) || grouping == StatGrouping.Total))
            errors["by"] = ["One of day, week, month, child, category, source."];
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            var days = last.DayNumber - first.DayNumber + 1;
            if (days < 1 || days > MaxDays)
                errors["to"] = [$"On or after the first day, at most {MaxDays} days."];
            else if (grouping == StatGrouping.Day && days > MaxDaysByDay)
                errors["by"] = [$"By day for at most {MaxDaysByDay} days; by week or month for longer."];
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
        var area = tree.Find(code)!;
        if (grouping == StatGrouping.Child && tree.ChildrenOf(code).Count == 0)
            return Refusal.Invalid("by", $"{area.Name} has no areas below it.");

        // The queries at once, each on a connection of its own: the answer waits for the slowest, not for their sum. A
        // breakdown's total is summed from its groups, its times read with theirs.
        var disputes = categories.List.CodesOf(CategoryKind.Dispute);
        var grids = tree.Within(code, JurisdictionLevel.Grid).Select(j => j.Code).ToList();
        var fieldFigures = field.Of(code, grids, first, last);
        var totalOpen = store.OpenNow(code, StatGrouping.Total);
        StatsRow total;
        IReadOnlyList<StatsRow> groups = [];
        if (grouping == StatGrouping.Total)
        {
            var totalSums = store.Sums([code], first, last, StatGrouping.Total, disputes);
            var totalTimes = store.Percentiles([code], first, last, StatGrouping.Total);
            await Task.WhenAll(totalSums, totalTimes, totalOpen, fieldFigures);
            total = Row("", area.Name, totalSums.Result.SingleOrDefault(), totalTimes.Result, totalOpen.Result.SingleOrDefault(), now: true);
        }
        else
        {
            var breakdown = BreakDown(tree, code, first, last, grouping, withTotal: true);
            await Task.WhenAll(breakdown, totalOpen, fieldFigures);
            total = Row("", area.Name, breakdown.Result.Total, breakdown.Result.TotalTimes, totalOpen.Result.SingleOrDefault(), now: true);
            groups = breakdown.Result.Rows;
        }
        return new StatsView(code, area.Name, first, last, Json.Word(grouping), total, fieldFigures.Result, groups);
    }

    /// <summary>
    /// The period's figures of an area broken down as asked (its children, days, weeks, months, categories or sources),
    /// for a period and an area already checked: every child and every day, week or month listed, quiet ones too.
    /// </summary>
    public async Task<IReadOnlyList<StatsRow>> Groups(JurisdictionTree tree, string code, DateOnly first, DateOnly last, StatGrouping grouping) =>
        (await BreakDown(tree, code, first, last, grouping, withTotal: false)).Rows;

    /// <summary>A breakdown's rows, and its total's sums and times (none unless asked for), from the same reads.</summary>
    private sealed record Breakdown(IReadOnlyList<StatsRow> Rows, StatSums Total, IReadOnlyList<StatPercentiles> TotalTimes);

    /// <summary>The breakdown; its total's times only <paramref name="withTotal"/> (a report workbook takes its total from elsewhere).</summary>
    private async Task<Breakdown> BreakDown(JurisdictionTree tree, string code, DateOnly first, DateOnly last, StatGrouping grouping, bool withTotal)
    {
        var list = categories.List;
        var children = tree.ChildrenOf(code);
        var areas = grouping == StatGrouping.Child ? children.Select(c => c.Code).ToList() : [code];
        var now = grouping is StatGrouping.Child or StatGrouping.Category or StatGrouping.Source;
        var sumsRead = store.Sums(areas, first, last, grouping, list.CodesOf(CategoryKind.Dispute));
        var timesRead = store.Percentiles(areas, first, last, grouping, withTotal);
        var openRead = now ? store.OpenNow(code, grouping) : Task.FromResult<IReadOnlyList<(string Group, long Open, long Overdue)>>([]);
        var fieldRead = grouping == StatGrouping.Child
            ? field.ByChild(code, children.SelectMany(c => tree.Within(c.Code, JurisdictionLevel.Grid).Select(g => (g.Code, c.Code))).ToList(), first, last)
            : Task.FromResult<IReadOnlyDictionary<string, FieldFigures>>(new Dictionary<string, FieldFigures>());
        await Task.WhenAll(sumsRead, timesRead, openRead, fieldRead);
        var sums = sumsRead.Result.ToDictionary(s => s.Group);
        var times = timesRead.Result.ToLookup(t => t.Group);
        var open = openRead.Result.ToDictionary(o => o.Group);
        var keys = grouping switch
        {
            StatGrouping.Child => children.Select(c => c.Code).ToList(),
            StatGrouping.Day or StatGrouping.Week or StatGrouping.Month => Buckets(first, last, grouping),
            _ => sums.Keys.Union(open.Keys).Order(StringComparer.Ordinal).ToList(),
        };
        var rows = keys.Select(key => Row(key, NameOf(key, grouping, tree, list), sums.GetValueOrDefault(key), times[key],
            open.TryGetValue(key, out var o) ? o : (key, 0, 0), now) with { Field = grouping == StatGrouping.Child ? fieldRead.Result.GetValueOrDefault(key) ?? FieldFigures.None : null }).ToList();
        return new Breakdown(rows, StatSums.Sum("", sums.Values), times[""].ToList());
    }

    private static StatsRow Row(string key, string name, StatSums? sums, IEnumerable<StatPercentiles> times, (string, long Open, long Overdue) open,
        bool now)
    {
        var counts = Kpis.Counts(sums ?? StatSums.None(key));
        var byKind = times.ToDictionary(t => t.Kind);
        TimeFigures Figures(StatDuration kind) => byKind.TryGetValue(kind, out var t)
            ? new TimeFigures(Math.Round(t.Median!.Value, 2), Math.Round(t.P90!.Value, 2), t.Count)
            : new TimeFigures(null, null, 0);
        return new StatsRow(key, name, counts, Kpis.Of(counts), Figures(StatDuration.ToAccept), Figures(StatDuration.ToClose),
            now ? open.Open : null, now ? open.Overdue : null);
    }

    /// <summary>Every day, ISO week or month of the period, named as the store groups them, so that a quiet one shows as such.</summary>
    private static List<string> Buckets(DateOnly first, DateOnly last, StatGrouping grouping)
    {
        var keys = new List<string>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var key = grouping switch
            {
                StatGrouping.Day => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                StatGrouping.Week => $"{System.Globalization.ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{System.Globalization.ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}",
                _ => day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            };
            if (keys.Count == 0 || keys[^1] != key)
                keys.Add(key);
        }
        return keys;
    }

    private static string NameOf(string key, StatGrouping grouping, JurisdictionTree tree, CategoryList list) => grouping switch
    {
        StatGrouping.Child => tree.NameOf(key),
        StatGrouping.Category => list.FullName(key),
        StatGrouping.Source => EnumWords.TryParse<IncidentSource>(key, out var source) ? IncidentSources.Name(source) : key,
        _ => key,
    };
}
