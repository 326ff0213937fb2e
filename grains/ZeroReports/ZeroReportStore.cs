using CommandCenter.Access;
using CommandCenter.Geography;
using Npgsql;

namespace CommandCenter.ZeroReports;

/// <summary>A unit's report of a day as stored: nothing to report, or a note and linked incidents; made by its own station or, for a village, by its township (<see cref="OnBehalf"/>, 代报).</summary>
/// <param name="DueAt">The deadline it was made against.</param>
public sealed record ZeroReport(
    Guid Id,
    string Jurisdiction,
    DateOnly Day,
    IReadOnlyList<string> Path,
    bool Nothing,
    string Note,
    IReadOnlyList<Guid> Incidents,
    IReadOnlyList<string> IncidentTitles,
    DateTimeOffset DueAt,
    DateTimeOffset ReportedAt,
    string ReportedBy,
    string ReportedByName,
    bool OnBehalf);

/// <summary>
/// Sensitive periods, zero-reports and their reminders in PostgreSQL (<c>deploy/sql/app/019-zero-reports.sql</c>).
/// Every change is one batch with its audit row: one implicit transaction, so all of it commits or none.
/// </summary>
public sealed class ZeroReportStore(NpgsqlDataSource db)
{
    private const string PeriodColumns = "id, name, starts_on, ends_on, levels, deadline, working_days_only, created_by, created_by_name, created_at, "
        + "ended_on, ended_by_name";
    private const string ReportColumns = "id, jurisdiction, day, path, nothing, note, incidents, incident_titles, due_at, reported_at, reported_by, "
        + "reported_by_name, on_behalf";

    // ---- periods --------------------------------------------------------------------------------------------------

    /// <summary>Every period, the latest first.</summary>
    public async Task<IReadOnlyList<SensitivePeriod>> Periods()
    {
        await using var cmd = db.CreateCommand($"SELECT {PeriodColumns} FROM cc_sensitive_period ORDER BY starts_on DESC, created_at DESC");
        return await ReadPeriods(cmd);
    }

    public async Task<SensitivePeriod?> Period(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {PeriodColumns} FROM cc_sensitive_period WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return (await ReadPeriods(cmd)).FirstOrDefault();
    }

    /// <summary>Stores a new period with its audit row.</summary>
    public async Task AddPeriod(SensitivePeriod p, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand($"INSERT INTO cc_sensitive_period ({PeriodColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL)");
        foreach (var value in new object[] { p.Id, p.Name, p.From, p.To, p.Levels.Select(l => Json.Word(l)).ToArray(), p.Deadline, p.WorkingDaysOnly,
                     p.CreatedBy, p.CreatedByName, p.CreatedAt })
            insert.Parameters.Add(new() { Value = value });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Ends a period early: its last day is <paramref name="on"/> from now on (ended already: it stays as it was), with the audit row.</summary>
    public async Task EndPeriod(Guid id, DateOnly on, string byName, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        var end = new NpgsqlBatchCommand("UPDATE cc_sensitive_period SET ended_on = $2, ended_by_name = $3 WHERE id = $1 AND ended_on IS NULL");
        foreach (var value in new object[] { id, on, byName })
            end.Parameters.Add(new() { Value = value });
        batch.BatchCommands.Add(end);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    // ---- reports --------------------------------------------------------------------------------------------------

    public async Task<ZeroReport?> Report(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {ReportColumns} FROM cc_zero_report WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return (await ReadReports(cmd)).FirstOrDefault();
    }

    /// <summary>The unit's report of the day, if it made one.</summary>
    public async Task<ZeroReport?> ReportOf(string jurisdiction, DateOnly day)
    {
        await using var cmd = db.CreateCommand($"SELECT {ReportColumns} FROM cc_zero_report WHERE jurisdiction = $1 AND day = $2");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = day });
        return (await ReadReports(cmd)).FirstOrDefault();
    }

    /// <summary>Stores a report with its audit row; a second report of the unit and day, or a second with the id, violates a unique constraint.</summary>
    public async Task Submit(ZeroReport r, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand($"INSERT INTO cc_zero_report ({ReportColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
        foreach (var value in new object[] { r.Id, r.Jurisdiction, r.Day, r.Path.ToArray(), r.Nothing, r.Note, r.Incidents.ToArray(), r.IncidentTitles.ToArray(),
                     r.DueAt.ToUniversalTime(), r.ReportedAt.ToUniversalTime(), r.ReportedBy, r.ReportedByName, r.OnBehalf })
            insert.Parameters.Add(new() { Value = value });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The reports of the days from <paramref name="from"/> to <paramref name="to"/> of units within one of <paramref name="scope"/>'s codes.</summary>
    public async Task<IReadOnlyList<ZeroReport>> Reports(DateOnly from, DateOnly to, IReadOnlyList<string> scope)
    {
        await using var cmd = db.CreateCommand($"SELECT {ReportColumns} FROM cc_zero_report WHERE day BETWEEN $1 AND $2 AND path && $3");
        cmd.Parameters.Add(new() { Value = from });
        cmd.Parameters.Add(new() { Value = to });
        cmd.Parameters.Add(new() { Value = scope.ToArray() });
        return await ReadReports(cmd);
    }

    // ---- reminders ------------------------------------------------------------------------------------------------

    /// <summary>When each of the units was reminded of its report of a day from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyDictionary<(string Unit, DateOnly Day), DateTimeOffset>> Reminders(DateOnly from, DateOnly to, IReadOnlyList<string> units)
    {
        await using var cmd = db.CreateCommand("""
            SELECT jurisdiction, day, reminded_at FROM cc_zero_report_reminder WHERE day BETWEEN $1 AND $2 AND jurisdiction = ANY($3)
            """);
        cmd.Parameters.Add(new() { Value = from });
        cmd.Parameters.Add(new() { Value = to });
        cmd.Parameters.Add(new() { Value = units.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync();
        var reminders = new Dictionary<(string, DateOnly), DateTimeOffset>();
        while (await reader.ReadAsync())
            reminders[(reader.GetString(0), reader.GetFieldValue<DateOnly>(1))] = reader.GetFieldValue<DateTimeOffset>(2);
        return reminders;
    }

    /// <summary>
    /// Marks the units as reminded of their report of the day, in one statement, except those that have reported or
    /// were reminded already (by another sweep); answers those it marked, each once.
    /// </summary>
    public async Task<IReadOnlyList<string>> Remind(DateOnly day, IReadOnlyList<string> units, DateTimeOffset at)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_zero_report_reminder (jurisdiction, day, reminded_at)
            SELECT u, $1, $3 FROM unnest($2::text[]) AS t(u)
            WHERE NOT EXISTS (SELECT 1 FROM cc_zero_report r WHERE r.jurisdiction = t.u AND r.day = $1)
            ON CONFLICT DO NOTHING
            RETURNING jurisdiction
            """);
        cmd.Parameters.Add(new() { Value = day });
        cmd.Parameters.Add(new() { Value = units.ToArray() });
        cmd.Parameters.Add(new() { Value = at });
        await using var reader = await cmd.ExecuteReaderAsync();
        var reminded = new List<string>();
        while (await reader.ReadAsync())
            reminded.Add(reader.GetString(0));
        return reminded;
    }

    // ---- reading --------------------------------------------------------------------------------------------------

    private static async Task<IReadOnlyList<SensitivePeriod>> ReadPeriods(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var periods = new List<SensitivePeriod>();
        while (await reader.ReadAsync())
        {
            periods.Add(new SensitivePeriod(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<DateOnly>(3),
                reader.GetFieldValue<string[]>(4).Select(Level).ToList(), reader.GetFieldValue<TimeOnly>(5), reader.GetBoolean(6), reader.GetString(7),
                reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateOnly>(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }
        return periods;
    }

    private static JurisdictionLevel Level(string word) =>
        ZeroReportRules.ReportingLevels.First(level => Json.Word(level) == word);

    private static async Task<IReadOnlyList<ZeroReport>> ReadReports(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var reports = new List<ZeroReport>();
        while (await reader.ReadAsync())
        {
            reports.Add(new ZeroReport(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<string[]>(3),
                reader.GetBoolean(4), reader.GetString(5), reader.GetFieldValue<Guid[]>(6), reader.GetFieldValue<string[]>(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.GetString(10), reader.GetString(11),
                reader.GetBoolean(12)));
        }
        return reports;
    }
}
