using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommandCenter.Incidents;

/// <summary>
/// Incident event logs in PostgreSQL (<c>cc_incident_event</c>), appended to and never changed. Appends of all the
/// incidents of this silo are group-committed: whatever waits when the previous commit returns goes in one statement.
/// </summary>
public sealed class IncidentStore(NpgsqlDataSource db, ILogger<IncidentStore> log) : IAsyncDisposable
{
    private readonly GroupCommit<(Guid Incident, IncidentEvent Event), bool> _commit = new(rows => Insert(db, rows), log, "incident events");

    public async Task<IReadOnlyList<IncidentEvent>> Load(Guid incident)
    {
        await using var cmd = db.CreateCommand(
            "SELECT seq, kind, at, actor, actor_role, data::text FROM cc_incident_event WHERE incident_id = $1 ORDER BY seq");
        cmd.Parameters.AddWithValue(incident);
        await using var reader = await cmd.ExecuteReaderAsync();
        var events = new List<IncidentEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new IncidentEvent(reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }
        return events;
    }

    /// <summary>
    /// Appends one event, durable when the task completes. A row with the same sequence already there (a second
    /// writer) fails the statement, and with it the events committed alongside; their grains' callers retry.
    /// </summary>
    public Task Append(Guid incident, IncidentEvent e) => _commit.Add((incident, e));

    public ValueTask DisposeAsync() => _commit.DisposeAsync();

    private static async Task<IReadOnlyList<bool>> Insert(NpgsqlDataSource db, IReadOnlyList<(Guid Incident, IncidentEvent Event)> rows)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_incident_event (incident_id, seq, kind, at, actor, actor_role, data)
            SELECT i, s, k, a, ac, r, d::jsonb FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])
                AS t(i, s, k, a, ac, r, d)
            """);
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Incident).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Event.Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Event.Kind).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Event.At).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Event.Actor).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Event.ActorRole).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Event.Data).ToArray() });
        await cmd.ExecuteNonQueryAsync();
        return rows.Select(_ => true).ToList();
    }
}
