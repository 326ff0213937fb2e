using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Incidents;

/// <summary>Incident event logs in PostgreSQL (<c>cc_incident_event</c>), appended to and never changed.</summary>
public sealed class IncidentStore(NpgsqlDataSource db)
{
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

    /// <summary>Appends one event; a row with the same sequence already there (a second writer) fails with a PostgresException.</summary>
    public async Task Append(Guid incident, IncidentEvent e)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO cc_incident_event (incident_id, seq, kind, at, actor, actor_role, data) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.AddWithValue(incident);
        cmd.Parameters.AddWithValue(e.Sequence);
        cmd.Parameters.AddWithValue(e.Kind);
        cmd.Parameters.AddWithValue(e.At);
        cmd.Parameters.AddWithValue(e.Actor);
        cmd.Parameters.AddWithValue((object?)e.ActorRole ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter { Value = e.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await cmd.ExecuteNonQueryAsync();
    }
}
