using CommandCenter.Calendar;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Patrols;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tracks;
using Npgsql;

namespace CommandCenter.Tests.Patrols;

/// <summary>What the patrol tests leave behind for a day ahead of the real one: patrols walked, the clock moved, the outcomes read.</summary>
internal static class PatrolEvidence
{
    /// <summary>The first working day (by the shipped calendar) at least <paramref name="ahead"/> days after today, CST.</summary>
    public static DateOnly WorkingDayAhead(int ahead)
    {
        var calendar = new WorkingCalendar(CalendarYear.Shipped());
        var day = PatrolRules.ChinaDay(DateTimeOffset.UtcNow).AddDays(ahead);
        while (!calendar.IsWorkingDay(day))
            day = day.AddDays(1);
        return day;
    }

    public static DateTimeOffset Cst(DateOnly day, int hour, int minute = 0) =>
        new(day.ToDateTime(new TimeOnly(hour, minute)), ChinaTime.Offset);

    public static void MoveTo(ShiftedClock clock, DateTimeOffset at) => clock.Shift = at - TimeProvider.System.GetUtcNow();

    /// <summary>Grids of the area whose checkpoints lie in two sectors or more, each with a person of its own.</summary>
    public static async Task<List<(Jurisdiction Grid, string Worker, IReadOnlyList<Checkpoint> Checkpoints)>> Grids(
        JurisdictionTree tree, IReadOnlyList<Jurisdictions.WorkerRecord> workers, string area, PatrolStore store, int count)
    {
        var chosen = new List<(Jurisdiction, string, IReadOnlyList<Checkpoint>)>();
        foreach (var grid in tree.All.Where(j => j.Level == JurisdictionLevel.Grid && tree.IsWithin(j.Code, area)))
        {
            var checkpoints = await store.Checkpoints([grid.Code]);
            var sectors = new PatrolSectors(grid.Geometry, new PatrolOptions().CoverageDivisions);
            if (workers.FirstOrDefault(w => w.GridCode == grid.Code) is not { } worker
                || checkpoints.Select(c => sectors.SectorOf(c.Latitude, c.Longitude)).Distinct().Count() < 2)
                continue;
            chosen.Add((grid, worker.Id, checkpoints));
            if (chosen.Count == count)
                break;
        }
        Assert.Equal(count, chosen.Count);
        return chosen;
    }

    /// <summary>Accepted positions of the person in the track history, one every 30 s over [from, to), going round the points.</summary>
    public static async Task Walk(TrackStore tracks, string worker, IReadOnlyList<(double Lat, double Lng)> points, DateTimeOffset from, DateTimeOffset to)
    {
        var positions = new List<WorkerPosition>();
        for (var (at, i) = (from, 0); at < to; at = at.AddSeconds(30), i++)
            positions.Add(new WorkerPosition(worker, points[i % points.Count].Lat, points[i % points.Count].Lng, at.ToUniversalTime()));
        await tracks.EnsurePartitions(positions.Select(p => PositionPartitions.DayOf(p.At)));
        await tracks.Append(positions);
    }

    /// <summary>A grid's outcome of a window as stored.</summary>
    public sealed record Row(string Outcome, int Seconds, int SectorsVisited, int CheckpointsVisited, int CheckIns, DateTime RecordedAt);

    /// <summary>Every outcome recorded for the day's window, by grid.</summary>
    public static async Task<Dictionary<string, Row>> Outcomes(string postgres, DateOnly day, string window)
    {
        await using var db = NpgsqlDataSource.Create(postgres);
        await using var cmd = db.CreateCommand("""
            SELECT grid_code, outcome, patrol_seconds, sectors_visited, checkpoints_visited, checkins, recorded_at
            FROM cc_patrol_outcome WHERE day = $1 AND window_name = $2
            """);
        cmd.Parameters.Add(new() { Value = day });
        cmd.Parameters.Add(new() { Value = window });
        await using var reader = await cmd.ExecuteReaderAsync();
        var outcomes = new Dictionary<string, Row>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            outcomes.Add(reader.GetString(0), new Row(reader.GetString(1), reader.GetInt32(2), reader.GetInt16(3), reader.GetInt16(4),
                reader.GetInt32(5), reader.GetDateTime(6)));
        }
        return outcomes;
    }

    /// <summary>Whether the sweep has recorded the day's window for every grid: 1, else 0.</summary>
    public static async Task<long> Recorded(string postgres, DateOnly day, string window)
    {
        await using var db = NpgsqlDataSource.Create(postgres);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM cc_patrol_window WHERE day = $1 AND window_name = $2");
        cmd.Parameters.Add(new() { Value = day });
        cmd.Parameters.Add(new() { Value = window });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
