using Npgsql;

namespace CommandCenter.Statistics;

/// <summary>
/// What grid people did in a period, from the event log by their accounts (<c>cc_account.worker_id</c>): reports,
/// closures on the spot, cases handled, those without a deadline missed by then, and the ratings of those cases.
/// Only the period's events of the area are read (by their time, <c>cc_incident_event_at</c>), and the earlier events
/// of the cases handled in it, for their missed deadlines.
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
                SELECT e.incident_id, e.seq, e.kind, e.actor, e.data
                FROM cc_incident_event e JOIN cc_incident i ON i.id = e.incident_id
                WHERE e.at >= $2 AND e.at < $3 AND i.path @> ARRAY[$4]),
            worked AS (
                SELECT p.worker_id, e.incident_id, e.kind,
                       EXISTS (SELECT 1 FROM cc_incident_event o WHERE o.incident_id = e.incident_id AND o.kind = 'overdue' AND o.seq < e.seq) AS missed
                FROM ev e JOIN people p ON p.actor = e.actor
                WHERE e.kind IN ('resolved', 'handled')),
            rated AS (
                SELECT DISTINCT w.worker_id, r.incident_id, r.seq, r.data->>'rating' AS rating
                FROM ev r JOIN worked w ON w.incident_id = r.incident_id
                WHERE r.kind = 'rated')
            SELECT p.worker_id, coalesce(rep.n, 0), coalesce(w.on_the_spot, 0), coalesce(w.handled, 0), coalesce(w.in_time, 0),
                   coalesce(r.satisfied, 0), coalesce(r.rated, 0)
            FROM people p
            LEFT JOIN (SELECT actor, count(*) AS n FROM ev WHERE kind = 'reported' GROUP BY actor) rep ON rep.actor = p.actor
            LEFT JOIN (SELECT worker_id, count(*) FILTER (WHERE kind = 'resolved') AS on_the_spot, count(*) FILTER (WHERE kind = 'handled') AS handled,
                              count(*) FILTER (WHERE NOT missed) AS in_time
                       FROM worked GROUP BY worker_id) w ON w.worker_id = p.worker_id
            LEFT JOIN (SELECT worker_id, count(*) FILTER (WHERE rating = 'satisfied') AS satisfied, count(*) AS rated
                       FROM rated GROUP BY worker_id) r ON r.worker_id = p.worker_id
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
