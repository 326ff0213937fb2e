using Npgsql;

namespace CommandCenter.Calendar;

/// <summary>
/// The calendar in force: the shipped year files, each replaced by the administrators' version of the same year in
/// PostgreSQL (<c>cc_calendar_year</c>). Every host re-reads the stored years at most every <see cref="RefreshAfter"/>,
/// and at once after it saved one itself.
/// </summary>
public sealed class CalendarService(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    private static readonly IReadOnlyList<CalendarYear> ShippedYears = CalendarYear.Shipped();

    private sealed record Snapshot(WorkingCalendar Calendar, IReadOnlyList<CalendarYear> Years, DateTimeOffset Until);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _current;

    public async Task<WorkingCalendar> Current() => (await Load()).Calendar;

    /// <summary>Every year on file, oldest first, with the stored version where there is one.</summary>
    public async Task<IReadOnlyList<CalendarYear>> Years() => (await Load()).Years;

    /// <summary>Stores an administrator's version of a year (already checked by <see cref="CalendarYear.Parse"/>).</summary>
    public async Task Save(CalendarYear year, byte[] document, string savedBy)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_calendar_year (year, document, saved_at, saved_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (year) DO UPDATE SET document = excluded.document, saved_at = excluded.saved_at, saved_by = excluded.saved_by
            """);
        cmd.Parameters.AddWithValue(year.Year);
        cmd.Parameters.AddWithValue(System.Text.Encoding.UTF8.GetString(document));
        cmd.Parameters.AddWithValue(clock.GetUtcNow());
        cmd.Parameters.AddWithValue(savedBy);
        await cmd.ExecuteNonQueryAsync();
        _current = null;
    }

    private async Task<Snapshot> Load()
    {
        if (_current is { } current && current.Until > clock.GetUtcNow())
            return current;
        await _loading.WaitAsync();
        try
        {
            if (_current is { } loaded && loaded.Until > clock.GetUtcNow())
                return loaded;
            var years = ShippedYears.ToDictionary(y => y.Year);
            await using (var cmd = db.CreateCommand("SELECT document FROM cc_calendar_year"))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var stored = CalendarYear.Parse(System.Text.Encoding.UTF8.GetBytes(reader.GetString(0)));
                    years[stored.Year] = stored;
                }
            }
            var ordered = years.Values.OrderBy(y => y.Year).ToList();
            var fresh = new Snapshot(new WorkingCalendar(ordered), ordered, clock.GetUtcNow() + RefreshAfter);
            _current = fresh;
            return fresh;
        }
        finally
        {
            _loading.Release();
        }
    }
}
