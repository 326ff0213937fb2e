using CommandCenter.Calendar;
using CommandCenter.Incidents;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommandCenter.Statistics;

/// <summary>
/// Rolls up, once, the incidents reported before the statistics were kept as events happen: each incident's event
/// log is folded as its grain folds it, and what each event adds (<see cref="StatFacts"/>) is written by the commit's
/// own statements. Runs at start-up before the silo serves, in one transaction that also marks it done, so a host
/// starting alongside waits for it and then finds it done.
/// </summary>
public sealed class StatBackfill(NpgsqlDataSource db, CalendarService calendars, ILogger<StatBackfill> log)
{
    private const int Batch = 500;

    public async Task Run(CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var lockRow = new NpgsqlCommand("SELECT done FROM cc_stat_backfill FOR UPDATE", conn, tx))
        {
            if ((bool)(await lockRow.ExecuteScalarAsync(cancellationToken))!)
                return;
        }
        var calendar = await calendars.Current();
        var incidents = 0;
        Guid? after = null;
        while (true)
        {
            var events = await NextEvents(conn, tx, after, cancellationToken);
            if (events.Count == 0)
                break;
            var rows = new List<StatRows>();
            foreach (var incident in events.GroupBy(e => e.Incident))
            {
                var (history, changes) = StatFacts.Fold(IncidentHistory.Empty, incident.Key, incident.Select(e => e.Event), calendar);
                rows.Add(new StatRows(history.Details!, changes));
                after = incident.Key;
            }
            await using var batch = new NpgsqlBatch(conn, tx);
            foreach (var command in StatStore.AddCommands(rows))
                batch.BatchCommands.Add(command);
            if (batch.BatchCommands.Count > 0)
                await batch.ExecuteNonQueryAsync(cancellationToken);
            incidents += rows.Count;
        }
        await using (var done = new NpgsqlCommand("UPDATE cc_stat_backfill SET done = true", conn, tx))
            await done.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (incidents > 0)
            log.LogInformation("Rolled up the statistics of {Incidents} incidents reported before they were kept", incidents);
    }

    /// <summary>The event logs of the next <see cref="Batch"/> incidents after <paramref name="after"/>, in id order.</summary>
    private static async Task<List<(Guid Incident, IncidentEvent Event)>> NextEvents(NpgsqlConnection conn, NpgsqlTransaction tx, Guid? after,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT e.incident_id, e.seq, e.kind, e.at, e.actor, e.actor_role, e.data::text
            FROM (SELECT id FROM cc_incident WHERE $1::uuid IS NULL OR id > $1 ORDER BY id LIMIT $2) i
            JOIN cc_incident_event e ON e.incident_id = i.id
            ORDER BY e.incident_id, e.seq
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new() { Value = Batch });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var events = new List<(Guid, IncidentEvent)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add((reader.GetGuid(0), new IncidentEvent(reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6))));
        }
        return events;
    }
}
