using CommandCenter.Geography;
using Npgsql;

namespace CommandCenter.Statistics;

/// <summary>The monthly report job's settings (section CommandCenter:Reports).</summary>
public sealed class MonthlyReportOptions
{
    /// <summary>The day of the month (China time) from which last month's township reports are built: the county receives them by it.</summary>
    public int BuildDay { get; set; } = 20;

    /// <summary>How often the job looks whether reports are due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>A stored report: what it covers, its file, when it was built.</summary>
public sealed record StoredReport(string Jurisdiction, string Kind, string Period, string FileName, DateTimeOffset BuiltAt);

/// <summary>
/// Whose monthly reports (月报) are built and when they are due, plain code: every township's, which its county
/// receives, and, under a city (市域社会治理), every county's, which the city receives.
/// </summary>
public static class MonthlyReports
{
    public const string Kind = "monthly";

    /// <summary>The areas whose monthly reports are built: every township, and every county with a city above it.</summary>
    public static IReadOnlyList<Jurisdiction> Units(JurisdictionTree tree) =>
        tree.All.Where(a => a.Level == JurisdictionLevel.Township || a is { Level: JurisdictionLevel.County, ParentCode: not null }).ToList();

    /// <summary>The areas that send <paramref name="code"/> their monthly reports: a city's counties, else the townships within it.</summary>
    public static IReadOnlyList<Jurisdiction> ReportingTo(JurisdictionTree tree, string code) =>
        tree.Find(code)?.Level == JurisdictionLevel.City
            ? tree.ChildrenOf(code).Where(c => c.Level == JurisdictionLevel.County).ToList()
            : tree.Within(code, JurisdictionLevel.Township);

    /// <summary>The latest month whose reports are due on <paramref name="today"/>: last month from the build day on, else the month before it.</summary>
    public static ReportPeriod Latest(DateOnly today, int buildDay) =>
        ReportPeriod.Holding(ReportPeriodKind.Month, today.AddMonths(today.Day >= buildDay ? -1 : -2));
}

/// <summary>The stored reports in PostgreSQL (<c>cc_stored_report</c>).</summary>
public sealed class StoredReportStore(NpgsqlDataSource db)
{
    /// <summary>Stores a report unless one of that area, kind and period is there already (the first build is what the county got).</summary>
    public async Task<bool> Add(StoredReport report, byte[] content)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_stored_report (jurisdiction, kind, period, file_name, content, built_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.Add(new() { Value = report.Jurisdiction });
        cmd.Parameters.Add(new() { Value = report.Kind });
        cmd.Parameters.Add(new() { Value = report.Period });
        cmd.Parameters.Add(new() { Value = report.FileName });
        cmd.Parameters.Add(new() { Value = content });
        cmd.Parameters.Add(new() { Value = report.BuiltAt.ToUniversalTime() });
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>The stored reports of these areas for the period, without their content.</summary>
    public async Task<IReadOnlyDictionary<string, StoredReport>> Of(IReadOnlyCollection<string> areas, string kind, string period)
    {
        await using var cmd = db.CreateCommand(
            "SELECT jurisdiction, kind, period, file_name, built_at FROM cc_stored_report WHERE jurisdiction = ANY($1) AND kind = $2 AND period = $3");
        cmd.Parameters.Add(new() { Value = areas.ToArray() });
        cmd.Parameters.Add(new() { Value = kind });
        cmd.Parameters.Add(new() { Value = period });
        await using var reader = await cmd.ExecuteReaderAsync();
        var reports = new Dictionary<string, StoredReport>();
        while (await reader.ReadAsync())
        {
            reports[reader.GetString(0)] = new StoredReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4));
        }
        return reports;
    }

    public async Task<(StoredReport Report, byte[] Content)?> Get(string area, string kind, string period)
    {
        await using var cmd = db.CreateCommand(
            "SELECT jurisdiction, kind, period, file_name, built_at, content FROM cc_stored_report WHERE jurisdiction = $1 AND kind = $2 AND period = $3");
        cmd.Parameters.Add(new() { Value = area });
        cmd.Parameters.Add(new() { Value = kind });
        cmd.Parameters.Add(new() { Value = period });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return (new StoredReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)),
            reader.GetFieldValue<byte[]>(5));
    }
}
