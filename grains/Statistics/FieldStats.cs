using Npgsql;

namespace CommandCenter.Statistics;

/// <summary>
/// The field forces' and the command's figures of an area over a period, where their data exist: patrol windows done
/// of those recorded (一巡), grid alerts and how fast they were signed (警务+网格), instructions and how fast their
/// stations signed and reported back, roll calls and how their stations answered (视频点名). A share or a median
/// without data is null, never 0.
/// </summary>
public sealed record FieldFigures(
    long PatrolWindowsDue, long PatrolWindowsDone, double? PatrolCompliance,
    long Alerts, long AlertsAcknowledged, long AlertsEscalated, double? AlertAcknowledgeMedianMinutes,
    long InstructionsReceived, double? InstructionsSignedOnTime, double? InstructionSignMedianMinutes, double? InstructionReportMedianMinutes,
    long RollCallsCalled, double? RollCallAnswerRate, double? RollCallOnTimeRate, double? RollCallResponseMedianSeconds)
{
    /// <summary>No data at all: zero counts, null shares and medians.</summary>
    public static readonly FieldFigures None = new(0, 0, null, 0, 0, 0, null, 0, null, null, null, 0, null, null, null);
}

/// <summary>
/// The queries behind <see cref="FieldFigures"/>: patrol outcomes by the area's grids, the rest by the path each row
/// carries; for the area, or for each of its children from the same four statements grouped.
/// </summary>
public sealed class FieldStatsStore(NpgsqlDataSource db)
{
    /// <summary>The area's figures over the period; <paramref name="grids"/> are the grids within it.</summary>
    public async Task<FieldFigures> Of(string area, IReadOnlyCollection<string> grids, DateOnly from, DateOnly to) =>
        (await Read(area, grids.Select(g => (g, "")).ToList(), _ => "''", from, to)).GetValueOrDefault("") ?? FieldFigures.None;

    /// <summary>
    /// Each child's figures over the period, by the child's code; <paramref name="grids"/> are the grids within the
    /// area with the child each lies in. A child without data has zeros and nulls (<see cref="FieldFigures.None"/>) or is absent.
    /// </summary>
    public Task<IReadOnlyDictionary<string, FieldFigures>> ByChild(string area, IReadOnlyCollection<(string Grid, string Child)> grids,
        DateOnly from, DateOnly to) =>
        // The area's child a row lies in stands just before the area on its path (which runs from below up).
        Read(area, grids, path => $"{path}[array_position({path}, $1) - 1]", from, to);

    private async Task<IReadOnlyDictionary<string, FieldFigures>> Read(string area, IReadOnlyCollection<(string Grid, string Group)> grids,
        Func<string, string> groupOf, DateOnly from, DateOnly to)
    {
        var (start, end) = (ChinaTime.At(from, TimeOnly.MinValue).ToUniversalTime(), ChinaTime.At(to.AddDays(1), TimeOnly.MinValue).ToUniversalTime());
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command("""
            SELECT g.grp, count(*), count(*) FILTER (WHERE o.outcome = 'done'), NULL::float8, NULL::float8
            FROM cc_patrol_outcome o JOIN unnest($1::text[], $2::text[]) AS g(grid, grp) ON g.grid = o.grid_code
            WHERE o.day BETWEEN $3 AND $4
            GROUP BY g.grp
            """, grids.Select(g => g.Grid).ToArray(), grids.Select(g => g.Group).ToArray(), from, to));
        batch.BatchCommands.Add(Command($"""
            SELECT {groupOf("path")}, count(*), count(*) FILTER (WHERE acknowledged_at IS NOT NULL), count(*) FILTER (WHERE escalated_at IS NOT NULL),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at) / 60)
            FROM cc_alert WHERE path @> ARRAY[$1] AND created_at >= $2 AND created_at < $3
            GROUP BY 1
            """, area, start, end));
        batch.BatchCommands.Add(Command($"""
            SELECT {groupOf("r.path")}, count(*), count(*) FILTER (WHERE r.signed_at IS NOT NULL AND r.signed_at <= i.sign_due),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.signed_at - i.issued_at) / 60),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.reported_at - i.issued_at) / 60)
            FROM cc_instruction_recipient r JOIN cc_instruction i ON i.id = r.instruction_id
            WHERE r.path @> ARRAY[$1] AND i.issued_at >= $2 AND i.issued_at < $3
            GROUP BY 1
            """, area, start, end));
        batch.BatchCommands.Add(Command($"""
            SELECT {groupOf("s.path")}, count(*) FILTER (WHERE s.outcome <> 'pending'), count(*) FILTER (WHERE s.outcome IN ('onTime', 'late')),
                   count(*) FILTER (WHERE s.outcome = 'onTime'),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.answered_at - s.delivered_at))
            FROM cc_roll_call_station s JOIN cc_roll_call c ON c.id = s.roll_call
            WHERE s.path @> ARRAY[$1] AND c.started_at >= $2 AND c.started_at < $3
            GROUP BY 1
            """, area, start, end));
        await using var reader = await batch.ExecuteReaderAsync();
        // Per statement, a row of four numbers per group: counts first, then the medians (null where there is nothing
        // to take one of). A row at the area itself (its own station, say) is in no child's group and is left out.
        var statements = new List<Dictionary<string, double?[]>>();
        do
        {
            var rows = new Dictionary<string, double?[]>();
            while (await reader.ReadAsync())
            {
                if (!reader.IsDBNull(0))
                    rows[reader.GetString(0)] = Enumerable.Range(1, 4).Select(i => Number(reader, i)).ToArray();
            }
            statements.Add(rows);
        }
        while (await reader.NextResultAsync());
        return grids.Select(g => g.Group).Concat(statements.SelectMany(rows => rows.Keys)).Distinct()
            .ToDictionary(group => group, group => Figures(statements.Select(rows => rows.GetValueOrDefault(group)).ToList()));
    }

    /// <summary>One group's figures from its row of each statement (none: no data).</summary>
    private static FieldFigures Figures(IReadOnlyList<double?[]?> rows)
    {
        var (patrol, alerts, instructions, rollCalls) = (rows[0] ?? NoRow, rows[1] ?? NoRow, rows[2] ?? NoRow, rows[3] ?? NoRow);
        long Count(double?[] row, int i) => (long)(row[i] ?? 0);
        return new FieldFigures(
            Count(patrol, 0), Count(patrol, 1), Kpis.Share(Count(patrol, 1), Count(patrol, 0)),
            Count(alerts, 0), Count(alerts, 1), Count(alerts, 2), Round(alerts[3]),
            Count(instructions, 0), Kpis.Share(Count(instructions, 1), Count(instructions, 0)), Round(instructions[2]), Round(instructions[3]),
            Count(rollCalls, 0), Kpis.Share(Count(rollCalls, 1), Count(rollCalls, 0)), Kpis.Share(Count(rollCalls, 2), Count(rollCalls, 0)), Round(rollCalls[3]));
    }

    private static readonly double?[] NoRow = [null, null, null, null];

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return cmd;
    }

    private static double? Number(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : Convert.ToDouble(reader.GetValue(column));

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
