using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Incidents;

/// <summary>What a list of incidents is filtered by; null means any. <see cref="Jurisdiction"/> includes everything below it.</summary>
public sealed record IncidentFilter(
    string Jurisdiction,
    IReadOnlyList<IncidentStatus>? Statuses = null,
    string? Category = null,
    IncidentSource? Source = null,
    bool? Overdue = null,
    bool? Supervised = null,
    Assignee? Assignee = null,
    DateTimeOffset? UpdatedBefore = null,
    int Limit = 50);

/// <summary>
/// Incident event logs in PostgreSQL (<c>cc_incident_event</c>), appended to and never changed, and the read model
/// (<c>cc_incident</c>) written in the same statement. Appends of all the incidents of this silo are
/// group-committed: whatever waits when the previous commit returns goes in one statement.
/// </summary>
public sealed class IncidentStore(NpgsqlDataSource db, ILogger<IncidentStore> log) : IAsyncDisposable
{
    private sealed record Append(Guid Incident, IReadOnlyList<IncidentEvent> Events, IncidentDetails State);

    private readonly GroupCommit<Append, bool> _commit = new(rows => Insert(db, rows), log, "incident events");

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
    /// Appends events of one incident and stores the state they lead to, durable when the task completes. A row
    /// with a sequence already there (a second writer) fails the statement, and with it the events committed
    /// alongside; their grains' callers retry.
    /// </summary>
    public Task AppendEvents(Guid incident, IReadOnlyList<IncidentEvent> events, IncidentDetails state) =>
        _commit.Add(new Append(incident, events, state));

    /// <summary>Incidents within the filter's jurisdiction, most recently changed first.</summary>
    public async Task<IReadOnlyList<IncidentDetails>> List(IncidentFilter filter)
    {
        var sql = new System.Text.StringBuilder("SELECT details::text FROM cc_incident WHERE $1 = ANY(path)");
        await using var cmd = db.CreateCommand();
        cmd.Parameters.Add(new() { Value = filter.Jurisdiction });
        void Where(string condition, object value)
        {
            cmd.Parameters.Add(new() { Value = value });
            sql.Append(" AND ").Append(condition.Replace("@", "$" + cmd.Parameters.Count));
        }
        if (filter.Statuses is { Count: > 0 } statuses)
            Where("status = ANY(@)", statuses.Select(s => Json.Word(s)).ToArray());
        if (filter.Category is { } category)
            Where("category = @", category);
        if (filter.Source is { } source)
            Where("source = @", Json.Word(source));
        if (filter.Overdue is { } overdue)
            Where("overdue = @", overdue);
        if (filter.Supervised is { } supervised)
            sql.Append(supervised ? " AND supervised_by IS NOT NULL" : " AND supervised_by IS NULL");
        if (filter.Assignee is { } assignee)
        {
            Where("assignee_kind = @", Json.Word(assignee.Kind));
            Where("assignee_id = @", assignee.Id);
        }
        if (filter.UpdatedBefore is { } before)
            Where("updated_at < @", before.ToUniversalTime());
        cmd.Parameters.Add(new() { Value = Math.Clamp(filter.Limit, 1, 500) });
        sql.Append(" ORDER BY updated_at DESC LIMIT $").Append(cmd.Parameters.Count);
        cmd.CommandText = sql.ToString();
        return await Read(cmd);
    }

    /// <summary>
    /// Open or closed cases, other than <paramref name="incident"/> itself and merged or rejected ones, of the same
    /// category reported within <paramref name="window"/> of it and within <paramref name="radiusMeters"/>, nearest first.
    /// </summary>
    public async Task<IReadOnlyList<(IncidentDetails Incident, double Meters)>> Near(IncidentDetails incident, double radiusMeters, TimeSpan window)
    {
        // A box around the point narrows the rows; the exact distance is then measured here.
        var dLat = radiusMeters / 111_320.0;
        var dLng = dLat / Math.Max(Math.Cos(incident.Latitude * Math.PI / 180), 0.01);
        await using var cmd = db.CreateCommand($"""
            SELECT details::text FROM cc_incident
            WHERE category = $1 AND id <> $2 AND reported_at BETWEEN $3 AND $4
              AND latitude BETWEEN $5 AND $6 AND longitude BETWEEN $7 AND $8
              AND status NOT IN ('{Json.Word(IncidentStatus.Merged)}', '{Json.Word(IncidentStatus.Rejected)}')
            LIMIT 200
            """);
        cmd.Parameters.Add(new() { Value = incident.Category });
        cmd.Parameters.Add(new() { Value = incident.Id });
        cmd.Parameters.Add(new() { Value = (incident.ReportedAt - window).ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = (incident.ReportedAt + window).ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = incident.Latitude - dLat });
        cmd.Parameters.Add(new() { Value = incident.Latitude + dLat });
        cmd.Parameters.Add(new() { Value = incident.Longitude - dLng });
        cmd.Parameters.Add(new() { Value = incident.Longitude + dLng });
        return (await Read(cmd))
            .Select(other => (other, Meters: Distance.Meters(incident.Latitude, incident.Longitude, other.Latitude, other.Longitude)))
            .Where(c => c.Meters <= radiusMeters)
            .OrderBy(c => c.Meters)
            .ToList();
    }

    public ValueTask DisposeAsync() => _commit.DisposeAsync();

    private static async Task<IReadOnlyList<IncidentDetails>> Read(NpgsqlCommand cmd)
    {
        var found = new List<IncidentDetails>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            found.Add(JsonSerializer.Deserialize<IncidentDetails>(reader.GetString(0), Json.Options)!);
        return found;
    }

    private static async Task<IReadOnlyList<bool>> Insert(NpgsqlDataSource db, IReadOnlyList<Append> appends)
    {
        var events = appends.SelectMany(a => a.Events.Select(e => (a.Incident, Event: e))).ToList();
        var states = appends.Select(a => a.State).ToList();
        await using var cmd = db.CreateCommand("""
            WITH events AS (
                INSERT INTO cc_incident_event (incident_id, seq, kind, at, actor, actor_role, data)
                SELECT i, s, k, a, ac, r, d::jsonb FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])
                    AS t(i, s, k, a, ac, r, d))
            INSERT INTO cc_incident (id, path, grid_code, level, source, category, status, latitude, longitude, reported_at,
                                     updated_at, due, overdue, supervised_by, assignee_kind, assignee_id, last_seq, details)
            SELECT id, string_to_array(path, ' '), grid, lvl, src, cat, st, lat, lng, rep, upd, due, od, sup, ak, ai, seq, det::jsonb
            FROM unnest($8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::float8[], $16::float8[],
                        $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::bool[], $21::text[], $22::text[], $23::text[], $24::int[], $25::text[])
                AS s(id, path, grid, lvl, src, cat, st, lat, lng, rep, upd, due, od, sup, ak, ai, seq, det)
            ON CONFLICT (id) DO UPDATE SET level = EXCLUDED.level, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                due = EXCLUDED.due, overdue = EXCLUDED.overdue, supervised_by = EXCLUDED.supervised_by,
                assignee_kind = EXCLUDED.assignee_kind, assignee_id = EXCLUDED.assignee_id, last_seq = EXCLUDED.last_seq, details = EXCLUDED.details
            WHERE cc_incident.last_seq < EXCLUDED.last_seq
            """);
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Incident).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Kind).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.At).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Actor).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.ActorRole).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Data).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Id).ToArray() });
        // Codes contain no spaces (the importer checks), so the path travels as one text per incident.
        cmd.Parameters.Add(new() { Value = states.Select(s => string.Join(' ', s.Path)).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.GridCode).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Level).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => Json.Word(s.Source)).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Category).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => Json.Word(s.Status)).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Latitude).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Longitude).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.ReportedAt.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.UpdatedAt.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Deadline?.Due.ToUniversalTime()).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Overdue).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Supervision?.By).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Assignee is { } a ? Json.Word(a.Kind) : null).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Assignee?.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = appends.Select(a => a.Events[^1].Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => JsonSerializer.Serialize(s, Json.Options)).ToArray() });
        await cmd.ExecuteNonQueryAsync();
        return appends.Select(_ => true).ToList();
    }
}

/// <summary>Great-circle distance on the mean Earth sphere: plenty for "within 200 m".</summary>
public static class Distance
{
    public static double Meters(double lat1, double lng1, double lat2, double lng2)
    {
        const double radius = 6_371_008.8;
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLng = Rad(lng2 - lng1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLng / 2), 2);
        return 2 * radius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
