using Npgsql;

namespace CommandCenter.Statistics;

/// <summary>
/// What grid people did in a period, from the event log by their accounts (<c>cc_account.worker_id</c>): reports,
/// closures on the spot, cases handled, those without a deadline missed by then, and the ratings of those cases.
/// Only incidents changed since the period began are read (their <c>updated_at</c>), so a past month does not scan the log.
/// </summary>
public sealed class WorkerStatsStore(NpgsqlDataSource db)
{
    public async Task<IReadOnlyDictionary<string, (long Reports, long OnTheSpot, long Handled, long WithoutMissedDeadline, long RatedSatisfied, long Rated)>>
        Of(string area, IReadOnlyCollection<string> workers, DateOnly from, DateOnly to)
    {
        await using var cmd = db.CreateCommand("""
            WITH people AS (
                SELECT 'user:' || username AS actor, worker_id FROM cc_account WHERE worker_id = ANY($1)),
            ev AS (
                SELECT e.incident_id, e.seq, e.kind, e.at, e.actor, e.data
                FROM cc_incident_event e JOIN cc_incident i ON i.id = e.incident_id
                WHERE i.updated_at >= $2 AND i.path @> ARRAY[$4]),
            worked AS (
                SELECT p.worker_id, e.incident_id, e.kind,
                       EXISTS (SELECT 1 FROM ev o WHERE o.incident_id = e.incident_id AND o.kind = 'overdue' AND o.seq < e.seq) AS missed
                FROM ev e JOIN people p ON p.actor = e.actor
                WHERE e.kind IN ('resolved', 'handled') AND e.at >= $2 AND e.at < $3),
            rated AS (
                SELECT DISTINCT w.worker_id, r.incident_id, r.seq, r.data->>'rating' AS rating
                FROM ev r JOIN worked w ON w.incident_id = r.incident_id
                WHERE r.kind = 'rated' AND r.at >= $2 AND r.at < $3)
            SELECT p.worker_id,
                   (SELECT count(*) FROM ev e WHERE e.actor = p.actor AND e.kind = 'reported' AND e.at >= $2 AND e.at < $3),
                   (SELECT count(*) FROM worked w WHERE w.worker_id = p.worker_id AND w.kind = 'resolved'),
                   (SELECT count(*) FROM worked w WHERE w.worker_id = p.worker_id AND w.kind = 'handled'),
                   (SELECT count(*) FROM worked w WHERE w.worker_id = p.worker_id AND NOT w.missed),
                   (SELECT count(*) FROM rated r WHERE r.worker_id = p.worker_id AND r.rating = 'satisfied'),
                   (SELECT count(*) FROM rated r WHERE r.worker_id = p.worker_id)
            FROM people p
            """);
        cmd.Parameters.Add(new() { Value = workers.ToArray() });
        cmd.Parameters.Add(new() { Value = ChinaTime.At(from, TimeOnly.MinValue).ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = ChinaTime.At(to.AddDays(1), TimeOnly.MinValue).ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = area });
        await using var reader = await cmd.ExecuteReaderAsync();
        var figures = new Dictionary<string, (long, long, long, long, long, long)>();
        while (await reader.ReadAsync())
        {
            figures[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetInt64(6));
        }
        return figures;
    }
}
