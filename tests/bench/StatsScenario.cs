using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using CommandCenter.Alerts;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using Npgsql;

namespace CommandCenter.Bench;

/// <summary>
/// The statistics scenario (#18): a county-decade of incidents written into the product's database by
/// <see cref="DemoHistory"/> (the closed loop's rules and the incident commit's own statements), then the period
/// queries a duty officer and the reports page ask, one at a time over HTTP: a township's month and the county's year,
/// in total and broken down, the rankings, the notable cases and a township's monthly workbook; then the same township-months and
/// county-years counted straight from the event log (the baseline: what the question costs without the rollup).
/// </summary>
public static class StatsScenario
{
    /// <summary>The targets: a township-month's and a county-year's period queries, p95.</summary>
    public const double TownshipMonthP95 = 200;
    public const double CountyYearP95 = 500;

    private sealed record Shape(string Name, string Kind, Func<Random, string> Path);

    public static async Task<int> Run(HttpClient http, Uri url, string dutyToken, string connectionString, int incidents, int years,
        int queries, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        await using var db = builder.Build();
        var registry = await new JurisdictionStore(db).Load();
        var tree = registry.Tree!;
        var county = tree.Root;
        var townships = tree.ChildrenOf(county.Code);
        var now = DateTimeOffset.UtcNow;
        var today = ChinaTime.Day(now);
        var first = ChinaTime.At(today.AddYears(-years), TimeOnly.MinValue);

        Console.WriteLine("CommandCenter statistics bench: period queries over a county's history (GET /api/stats, rankings, workbooks)");
        Console.WriteLine($"product   {url}  county {county.Code} {county.Name}: {townships.Count} townships, "
            + $"{tree.Within(county.Code, JurisdictionLevel.Grid).Count} grids");
        Console.WriteLine($"history   {incidents:N0} incidents from {ChinaTime.Day(first):yyyy-MM-dd} to an hour ago, written by DemoHistory "
            + "(the closed loop's rules, the incident commit's statements, 1,000 incidents a batch)");
        var lastPrinted = 0;
        var progress = new Progress<int>(n =>
        {
            if (n * 10L / incidents > lastPrinted)
            {
                lastPrinted = (int)(n * 10L / incidents);
                Console.Error.WriteLine($"bench: history {n:N0} of {incidents:N0} incidents");
            }
        });
        var figures = await new DemoHistory(db, new AlertOptions()).Write(incidents, first, now.AddHours(-1), 20261207, progress, cancellationToken);
        Console.WriteLine($"written   {figures.Incidents:N0} incidents, {figures.Events:N0} events ({figures.Open:N0} still open) in "
            + $"{figures.Took.TotalSeconds:0} s ({figures.Incidents / figures.Took.TotalSeconds:N0} incidents/s)");
        var analyze = Stopwatch.StartNew();
        // As autovacuum leaves the tables after a load this size: analysed, their visibility maps set.
        foreach (var table in new[] { "cc_stat_day", "cc_stat_time", "cc_incident", "cc_incident_event", "cc_alert" })
        {
            await using var vacuum = db.CreateCommand($"VACUUM (ANALYZE) {table}");
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
        Console.WriteLine($"vacuumed  the statistics, incident, event and alert tables (as autovacuum would) in {analyze.Elapsed.TotalSeconds:0} s; "
            + $"database {await Scalar<string>(db, "SELECT pg_size_pretty(pg_database_size(current_database()))")}, "
            + $"cc_stat_day {await Scalar<long>(db, "SELECT count(*) FROM cc_stat_day"):N0} rows, "
            + $"cc_stat_time {await Scalar<long>(db, "SELECT count(*) FROM cc_stat_time"):N0} rows");

        string Township(Random r) => townships[r.Next(townships.Count)].Code;
        // A month or year of the history, not the first (partly before it) and possibly the current one.
        DateOnly Month(Random r) => new DateOnly(today.Year, today.Month, 1).AddMonths(-r.Next(0, years * 12 - 1));
        int Year(Random r) => today.Year - r.Next(0, years);
        string MonthRange(DateOnly m) => $"from={m:yyyy-MM-dd}&to={m.AddMonths(1).AddDays(-1):yyyy-MM-dd}";
        string YearRange(int y) => $"from={y}-01-01&to={y}-12-31";
        string Quarter(Random r) => $"{today.Year - r.Next(0, years)}Q{r.Next(1, 5)}";
        var shapes = new List<Shape>
        {
            new("township-month", "township-month", r => $"api/stats/{Township(r)}?{MonthRange(Month(r))}"),
            new("township-month by day", "township-month", r => $"api/stats/{Township(r)}?{MonthRange(Month(r))}&by=day"),
            new("township-month by child", "township-month", r => $"api/stats/{Township(r)}?{MonthRange(Month(r))}&by=child"),
            new("township-month by category", "township-month", r => $"api/stats/{Township(r)}?{MonthRange(Month(r))}&by=category"),
            new("county-year", "county-year", r => $"api/stats/{county.Code}?{YearRange(Year(r))}"),
            new("county-year by month", "county-year", r => $"api/stats/{county.Code}?{YearRange(Year(r))}&by=month"),
            new("county-year by child", "county-year", r => $"api/stats/{county.Code}?{YearRange(Year(r))}&by=child"),
            new("county-year by category", "county-year", r => $"api/stats/{county.Code}?{YearRange(Year(r))}&by=category"),
            new("star grids, county quarter", "ranking", r => $"api/rankings/grids?jurisdiction={county.Code}&quarter={Quarter(r)}"),
            new("top ten, county month", "ranking", r => $"api/rankings/workers?jurisdiction={county.Code}&month={Month(r):yyyy-MM}"),
            new("four-no villages, county year", "ranking", r => $"api/rankings/four-no?jurisdiction={county.Code}&year={Year(r)}"),
            new("notable supervised, township month", "notable", r => $"api/incidents?jurisdiction={Township(r)}&notable=supervised&{MonthRange(Month(r))}&limit=15"),
            new("notable dissatisfied, county year", "notable", r => $"api/incidents?jurisdiction={county.Code}&notable=dissatisfied&{YearRange(Year(r))}&limit=15"),
            new("township monthly workbook", "workbook", r => $"api/reports/{Township(r)}/monthly.xlsx?month={Month(r):yyyy-MM}"),
        };

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", dutyToken);
        Console.WriteLine($"queries   {queries} of each, one at a time, random townships, months and years of the history (after 5 not counted)");
        Console.WriteLine();
        Console.WriteLine($"{"query",-34} {"n",5} {"p50",9} {"p95",9} {"p99",9} {"max",9}  target");
        var byKind = new Dictionary<string, List<double>>();
        var failures = 0;
        foreach (var shape in shapes)
        {
            var random = new Random(shape.Name.GetHashCode(StringComparison.Ordinal) & 0xffff);
            var times = new List<double>();
            for (var i = 0; i < queries + 5; i++)
            {
                var path = shape.Path(random);
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(new Uri(url, path), cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                watch.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    if (failures++ < 5)
                        Console.Error.WriteLine($"bench: GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
                    continue;
                }
                if (i >= 5)
                    times.Add(watch.Elapsed.TotalMilliseconds);
            }
            if (Percentiles.Of([.. times]) is not { } p)
            {
                Console.WriteLine($"{shape.Name,-34} every request failed");
                continue;
            }
            byKind.TryAdd(shape.Kind, []);
            byKind[shape.Kind].AddRange(times);
            var target = shape.Kind switch
            {
                "township-month" => $"p95 <= {TownshipMonthP95:0} ms: {(p.P95 <= TownshipMonthP95 ? "met" : "MISSED")}",
                "county-year" => $"p95 <= {CountyYearP95:0} ms: {(p.P95 <= CountyYearP95 ? "met" : "MISSED")}",
                _ => "",
            };
            Console.WriteLine($"{shape.Name,-34} {p.Count,5} {Ms(p.P50)} {Ms(p.P95)} {Ms(p.P99)} {Ms(p.Max)}  {target}");
        }

        // The baseline: the same periods' reports, closures and ratings counted from the event log of the area's incidents.
        Console.WriteLine();
        Console.WriteLine("baseline  the period's events by kind, counted from cc_incident_event (what a period costs without the rollup)");
        foreach (var (kind, area, range) in new (string, Func<Random, string>, Func<Random, (DateOnly From, DateOnly To)>)[]
                 {
                     ("township-month", Township, r => Month(r) is var m ? (m, m.AddMonths(1).AddDays(-1)) : default),
                     ("county-year", _ => county.Code, r => Year(r) is var y ? (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31)) : default),
                 })
        {
            var random = new Random(kind.GetHashCode(StringComparison.Ordinal) & 0xffff);
            var times = new List<double>();
            var rounds = Math.Max(5, queries / 4);
            for (var i = 0; i < rounds + 2; i++)
            {
                var (from, to) = range(random);
                await using var cmd = db.CreateCommand("""
                    SELECT e.kind, count(*) FROM cc_incident_event e JOIN cc_incident i ON i.id = e.incident_id
                    WHERE i.path @> ARRAY[$1] AND e.at >= $2 AND e.at < $3
                    GROUP BY e.kind
                    """);
                cmd.CommandTimeout = 0;
                cmd.Parameters.Add(new() { Value = area(random) });
                cmd.Parameters.Add(new() { Value = ChinaTime.At(from, TimeOnly.MinValue).ToUniversalTime() });
                cmd.Parameters.Add(new() { Value = ChinaTime.At(to.AddDays(1), TimeOnly.MinValue).ToUniversalTime() });
                var watch = Stopwatch.StartNew();
                await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                    }
                }
                if (i >= 2)
                    times.Add(watch.Elapsed.TotalMilliseconds);
            }
            var b = Percentiles.Of(times)!;
            var product = byKind.TryGetValue(kind, out var measured) ? Percentiles.Of([.. measured]) : null;
            Console.WriteLine($"{"event log, " + kind,-34} {b.Count,5} {Ms(b.P50)} {Ms(b.P95)} {Ms(b.P99)} {Ms(b.Max)}  "
                + (product is null ? "" : $"product's {kind} queries p95 {product.P95:0.0} ms: ratio {product.P95 / b.P95:0.00}"));
        }
        return failures == 0 ? 0 : 1;
    }

    private static string Ms(double value) => $"{value,6:0.0} ms";

    private static async Task<T> Scalar<T>(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
