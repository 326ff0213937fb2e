using System.Text.Json;
using CommandCenter.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Statistics;

/// <summary>One incident change's additions to the statistics: the state (its path, category and source) and what each event adds.</summary>
public sealed record StatRows(IncidentDetails State, IReadOnlyList<StatChange> Changes);

/// <summary>A period's sums of every measure (and of <see cref="StatStore.DisputeMeasures"/>, the disputes' own), for one group of a breakdown.</summary>
public sealed record StatSums(string Group, IReadOnlyDictionary<StatMeasure, long> All, IReadOnlyDictionary<StatMeasure, long> Disputes)
{
    /// <summary>The sums of a group with no rows: nothing happened in it.</summary>
    public static StatSums None(string group) => new(group, new Dictionary<StatMeasure, long>(), new Dictionary<StatMeasure, long>());

    /// <summary>The sums of groups together: a period's total from its days, categories or sources, an area's from its children.</summary>
    public static StatSums Sum(string group, IEnumerable<StatSums> parts)
    {
        var (all, disputes) = (new Dictionary<StatMeasure, long>(), new Dictionary<StatMeasure, long>());
        foreach (var part in parts)
        {
            foreach (var (measure, count) in part.All)
                all[measure] = all.GetValueOrDefault(measure) + count;
            foreach (var (measure, count) in part.Disputes)
                disputes[measure] = disputes.GetValueOrDefault(measure) + count;
        }
        return new StatSums(group, all, disputes);
    }
}

/// <summary>The median and 90th percentile of a duration over a group, in working hours (null: no case ended in it).</summary>
public sealed record StatPercentiles(string Group, StatDuration Kind, double? Median, double? P90, long Count);

/// <summary>How a period's figures are broken down: one total, by day, ISO week or month, by child area, category or source.</summary>
public enum StatGrouping
{
    Total,
    Day,
    Week,
    Month,
    Child,
    Category,
    Source,
}

/// <summary>
/// The rolled-up statistics in PostgreSQL (<c>cc_stat_day</c>, <c>cc_stat_time</c>): the statements a commit adds
/// (<see cref="IncidentCommits"/>, <see cref="StatBackfill"/>) and the period queries.
/// </summary>
public sealed class StatStore(NpgsqlDataSource db)
{
    public static readonly IReadOnlyList<StatMeasure> Measures = Enum.GetValues<StatMeasure>();

    /// <summary>The measures summed apart for the disputes' categories: what 化解率 takes (a filtered sum per row each, so no more).</summary>
    public static readonly IReadOnlyList<StatMeasure> DisputeMeasures = [StatMeasure.Accepted, StatMeasure.Closed];

    /// <summary>A measure's column: its name in snake case (closed_on_time).</summary>
    public static string Column(StatMeasure measure) => JsonNamingPolicy.SnakeCaseLower.ConvertName(measure.ToString());

    /// <summary>
    /// The statements that add <paramref name="rows"/> to every area of each state's path: counters summed per row of
    /// <c>cc_stat_day</c> (taken in key order, so that two commits at once lock them in the same order), durations
    /// appended. Empty when nothing is added.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> AddCommands(IReadOnlyList<StatRows> rows)
    {
        var counts = new List<(string Code, DateOnly Day, string Category, string Source, short Measure)>();
        var times = new List<(string Code, DateOnly Day, string Category, string Source, string Kind, double Hours)>();
        foreach (var (state, changes) in rows)
        {
            var source = Json.Word(state.Source);
            foreach (var change in changes)
            {
                foreach (var code in state.Path)
                {
                    counts.AddRange(change.Measures.Select(m => (code, change.Day, state.Category, source, (short)m)));
                    times.AddRange(change.Times.Select(t => (code, change.Day, state.Category, source, Json.Word(t.Kind), t.WorkingHours)));
                }
            }
        }
        if (counts.Count > 0)
        {
            var sums = string.Join(", ", Measures.Select(m => $"count(*) FILTER (WHERE m = {(int)m})::int"));
            var updates = string.Join(", ", Measures.Select(m => $"{Column(m)} = t.{Column(m)} + EXCLUDED.{Column(m)}"));
            var cmd = new NpgsqlBatchCommand($"""
                INSERT INTO cc_stat_day AS t (jurisdiction, day, category, source, {string.Join(", ", Measures.Select(Column))})
                SELECT j, d, c, s, {sums}
                FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::smallint[]) AS f(j, d, c, s, m)
                GROUP BY j, d, c, s ORDER BY j, d, c, s
                ON CONFLICT (jurisdiction, day, category, source) DO UPDATE SET {updates}
                """);
            cmd.Parameters.Add(new() { Value = counts.Select(r => r.Code).ToArray() });
            cmd.Parameters.Add(new() { Value = counts.Select(r => r.Day).ToArray() });
            cmd.Parameters.Add(new() { Value = counts.Select(r => r.Category).ToArray() });
            cmd.Parameters.Add(new() { Value = counts.Select(r => r.Source).ToArray() });
            cmd.Parameters.Add(new() { Value = counts.Select(r => r.Measure).ToArray() });
            yield return cmd;
        }
        if (times.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand("""
                INSERT INTO cc_stat_time (jurisdiction, day, category, source, kind, hours)
                SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::float8[])
                """);
            cmd.Parameters.Add(new() { Value = times.Select(r => r.Code).ToArray() });
            cmd.Parameters.Add(new() { Value = times.Select(r => r.Day).ToArray() });
            cmd.Parameters.Add(new() { Value = times.Select(r => r.Category).ToArray() });
            cmd.Parameters.Add(new() { Value = times.Select(r => r.Source).ToArray() });
            cmd.Parameters.Add(new() { Value = times.Select(r => r.Kind).ToArray() });
            cmd.Parameters.Add(new() { Value = times.Select(r => r.Hours).ToArray() });
            yield return cmd;
        }
    }

    /// <summary>
    /// The sums of every measure over the days <paramref name="from"/> to <paramref name="to"/> (inclusive) in the
    /// areas <paramref name="areas"/> (one, or a parent's children for <see cref="StatGrouping.Child"/>), grouped as
    /// asked; the dispute sums (<see cref="DisputeMeasures"/>) take only the categories in <paramref name="disputes"/>.
    /// </summary>
    public async Task<IReadOnlyList<StatSums>> Sums(IReadOnlyList<string> areas, DateOnly from, DateOnly to, StatGrouping grouping,
        IReadOnlyList<string> disputes)
    {
        var group = GroupExpression(grouping);
        var all = string.Join(", ", Measures.Select(m => $"sum({Column(m)})::bigint"));
        var ofDisputes = string.Join(", ", DisputeMeasures.Select(m => $"coalesce(sum({Column(m)}) FILTER (WHERE category = ANY($4)), 0)::bigint"));
        await using var cmd = db.CreateCommand($"""
            SELECT {group} AS g, {all}, {ofDisputes}
            FROM cc_stat_day WHERE jurisdiction = ANY($1) AND day BETWEEN $2 AND $3
            GROUP BY g ORDER BY g
            """);
        cmd.Parameters.Add(new() { Value = areas.ToArray() });
        cmd.Parameters.Add(new() { Value = from });
        cmd.Parameters.Add(new() { Value = to });
        cmd.Parameters.Add(new() { Value = disputes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync();
        var sums = new List<StatSums>();
        while (await reader.ReadAsync())
        {
            var n = Measures.Count;
            sums.Add(new StatSums(reader.GetString(0),
                Measures.Select((m, i) => (m, reader.GetInt64(1 + i))).ToDictionary(p => p.m, p => p.Item2),
                DisputeMeasures.Select((m, i) => (m, reader.GetInt64(1 + n + i))).ToDictionary(p => p.m, p => p.Item2)));
        }
        return sums;
    }

    /// <summary>Per area, the cases of the categories <paramref name="categories"/> accepted and closed from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyDictionary<string, (long Accepted, long Closed)>> AcceptedAndClosed(IReadOnlyList<string> areas, DateOnly from, DateOnly to,
        IReadOnlyList<string> categories)
    {
        await using var cmd = db.CreateCommand("""
            SELECT jurisdiction, coalesce(sum(accepted), 0)::bigint, coalesce(sum(closed), 0)::bigint
            FROM cc_stat_day WHERE jurisdiction = ANY($1) AND day BETWEEN $2 AND $3 AND category = ANY($4)
            GROUP BY jurisdiction
            """);
        cmd.Parameters.Add(new() { Value = areas.ToArray() });
        cmd.Parameters.Add(new() { Value = from });
        cmd.Parameters.Add(new() { Value = to });
        cmd.Parameters.Add(new() { Value = categories.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync();
        var sums = new Dictionary<string, (long, long)>();
        while (await reader.ReadAsync())
            sums[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return sums;
    }

    /// <summary>
    /// Per area, the cases of the categories <paramref name="categories"/> within it accepted and never closed, now:
    /// what accepted − closed sums to over every day through today (a case is accepted once, leaving 待核实, and closed
    /// once, when first fed back), read from the open cases (their partial index) instead of every day's rows.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> AcceptedNotClosedNow(IReadOnlyList<string> areas, IReadOnlyList<string> categories)
    {
        await using var cmd = db.CreateCommand("""
            SELECT area, count(*)
            FROM cc_incident CROSS JOIN LATERAL unnest(path) area
            WHERE path && $1 AND status IN ('reported', 'verified', 'ticketed', 'dispatched', 'accepted', 'handled') AND status <> 'reported'
              AND category = ANY($2) AND details->>'firstClosedAt' IS NULL AND area = ANY($1)
            GROUP BY area
            """);
        cmd.Parameters.Add(new() { Value = areas.ToArray() });
        cmd.Parameters.Add(new() { Value = categories.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
            counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>
    /// The median and 90th percentile of each duration over the period, grouped as <see cref="Sums"/> groups, and
    /// with <paramref name="withTotal"/> (for a breakdown) over all the groups together, as the group "" (no group is
    /// named so): one read of the rows for both. Over an area's children that is the area's own figure, each case
    /// being in exactly one of them.
    /// </summary>
    public async Task<IReadOnlyList<StatPercentiles>> Percentiles(IReadOnlyList<string> areas, DateOnly from, DateOnly to, StatGrouping grouping,
        bool withTotal = false)
    {
        var sets = grouping != StatGrouping.Total && withTotal ? "GROUPING SETS ((g, kind), (kind))" : "g, kind";
        await using var cmd = db.CreateCommand($"""
            SELECT coalesce(g, ''), kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY hours), count(*)
            FROM (SELECT {GroupExpression(grouping)} AS g, kind, hours
                  FROM cc_stat_time WHERE jurisdiction = ANY($1) AND kind = ANY($4) AND day BETWEEN $2 AND $3) t
            GROUP BY {sets} ORDER BY 1, 2
            """);
        cmd.Parameters.Add(new() { Value = areas.ToArray() });
        cmd.Parameters.Add(new() { Value = from });
        cmd.Parameters.Add(new() { Value = to });
        cmd.Parameters.Add(new() { Value = Enum.GetValues<StatDuration>().Select(k => Json.Word(k)).ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<StatPercentiles>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StatPercentiles(reader.GetString(0), Enum.Parse<StatDuration>(reader.GetString(1), ignoreCase: true),
                reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }
        return rows;
    }

    /// <summary>The open cases of an area now, and how many of them are overdue, grouped by child area, category or source (else one total).</summary>
    public async Task<IReadOnlyList<(string Group, long Open, long Overdue)>> OpenNow(string area, StatGrouping grouping)
    {
        var group = grouping switch
        {
            // The area's child an incident lies in stands just before the area on its path (which runs from the grid up).
            StatGrouping.Child => "path[array_position(path, $1) - 1]",
            StatGrouping.Category => "category",
            StatGrouping.Source => "source",
            _ => "''",
        };
        await using var cmd = db.CreateCommand($"""
            SELECT {group} AS g, count(*), count(*) FILTER (WHERE overdue)
            FROM cc_incident
            WHERE path @> ARRAY[$1] AND status IN ('reported', 'verified', 'ticketed', 'dispatched', 'accepted', 'handled')
            GROUP BY g ORDER BY g
            """);
        cmd.Parameters.Add(new() { Value = area });
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, long, long)>();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0))
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        return rows;
    }

    private static string GroupExpression(StatGrouping grouping) => grouping switch
    {
        StatGrouping.Day => "to_char(day, 'YYYY-MM-DD')",
        StatGrouping.Week => "to_char(day, 'IYYY-\"W\"IW')",
        StatGrouping.Month => "to_char(day, 'YYYY-MM')",
        StatGrouping.Child => "jurisdiction",
        StatGrouping.Category => "category",
        StatGrouping.Source => "source",
        _ => "''",
    };
}
