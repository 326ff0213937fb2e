using System.Text.Json;
using CommandCenter.Geography;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Incidents;

/// <summary>What a list of incidents is filtered by; null means any. <see cref="Jurisdiction"/> includes everything below it.</summary>
public sealed record IncidentFilter(
    string Jurisdiction,
    IReadOnlyList<IncidentStatus>? Statuses = null,
    IReadOnlyList<string>? Categories = null,
    IncidentSource? Source = null,
    bool? Overdue = null,
    bool? Supervised = null,
    Assignee? Assignee = null,
    DateTimeOffset? UpdatedBefore = null,
    int Limit = 50,
    NotableWithin? Notable = null);

/// <summary>
/// What happened to a case that makes it one of a period's notable cases (重点案件); each is the event that counts one
/// of the statistics' measures (<see cref="Statistics.StatFacts"/>), so a report's list and its figure agree.
/// </summary>
public enum NotableEvent
{
    /// <summary>督办: a missed deadline opened a supervision (<see cref="Statistics.StatMeasure.Supervised"/>).</summary>
    Supervised,
    /// <summary>重新办理: a dissatisfied rating sent the case back, or up a level after too many reopenings (<see cref="Statistics.StatMeasure.Reopened"/>).</summary>
    Reopened,
    /// <summary>不满意: the citizen rated the closure dissatisfied (<see cref="Statistics.StatMeasure.RatedDissatisfied"/>).</summary>
    Dissatisfied,
}

/// <summary>Cases with a <see cref="Event"/> from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive).</summary>
public sealed record NotableWithin(NotableEvent Event, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The China Standard Time days <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static NotableWithin Days(NotableEvent notable, DateOnly first, DateOnly last) =>
        new(notable, ChinaTime.At(first, TimeOnly.MinValue), ChinaTime.At(last.AddDays(1), TimeOnly.MinValue));

    /// <summary>
    /// The events of <paramref name="notable"/> in the log (<c>cc_incident_event</c>): each has a partial index of its
    /// own by time with the same condition (deploy/sql/app/029-notable-events.sql), which a change here must follow.
    /// </summary>
    public static string Condition(NotableEvent notable) => notable switch
    {
        NotableEvent.Supervised => "kind = 'overdue'",
        NotableEvent.Reopened => "(kind = 'reopened' OR (kind = 'escalated' AND data->>'rating' = 'dissatisfied'))",
        _ => "(kind = 'rated' AND data->>'rating' = 'dissatisfied')",
    };
}

/// <summary>
/// Incident event logs in PostgreSQL (<c>cc_incident_event</c>), appended to and never changed, and the read model
/// (<c>cc_incident</c>): their reads here, their writes in <see cref="IncidentCommits"/>.
/// </summary>
public sealed class IncidentStore(NpgsqlDataSource db)
{
    /// <summary>The most incidents one list reads (an export of a list; a page of the API is at most 500).</summary>
    public const int MaxListed = 10_000;

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
        if (filter.Categories is { } categories)
            Where("category = ANY(@)", categories.ToArray());
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
        if (filter.Notable is { } notable)
        {
            cmd.Parameters.Add(new() { Value = notable.From.ToUniversalTime() });
            cmd.Parameters.Add(new() { Value = notable.To.ToUniversalTime() });
            sql.Append(" AND id IN (SELECT incident_id FROM cc_incident_event WHERE at >= $").Append(cmd.Parameters.Count - 1)
                .Append(" AND at < $").Append(cmd.Parameters.Count).Append(" AND ").Append(NotableWithin.Condition(notable.Event)).Append(')');
        }
        cmd.Parameters.Add(new() { Value = Math.Clamp(filter.Limit, 1, MaxListed) });
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

    /// <summary>Incidents whose review time (<see cref="Deadlines.NextReview"/>) has come at <paramref name="now"/>, earliest first.</summary>
    public async Task<IReadOnlyList<Guid>> DueForReview(DateTimeOffset now, int max)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM cc_incident WHERE review_at <= $1 ORDER BY review_at LIMIT $2");
        cmd.Parameters.Add(new() { Value = now.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = max });
        var due = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            due.Add(reader.GetGuid(0));
        return due;
    }

    /// <summary>
    /// The open cases (the statuses of the <c>cc_incident_open</c> index) in a grid <paramref name="tree"/> lacks or
    /// with a path other than their grid's there (after a re-import), each with its grid and position.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string GridCode, double Latitude, double Longitude)>> OpenOutside(JurisdictionTree tree)
    {
        var grids = tree.All.Where(j => j.Level == JurisdictionLevel.Grid).ToList();
        await using var cmd = db.CreateCommand("""
            SELECT i.id, i.grid_code, i.latitude, i.longitude FROM cc_incident i
            LEFT JOIN unnest($1::text[], $2::text[]) AS g(code, path) ON g.code = i.grid_code
            WHERE i.status IN ('reported', 'verified', 'ticketed', 'dispatched', 'accepted', 'handled')
              AND (g.code IS NULL OR array_to_string(i.path, ' ') <> g.path)
            ORDER BY i.reported_at
            """);
        cmd.Parameters.Add(new() { Value = grids.Select(g => g.Code).ToArray() });
        cmd.Parameters.Add(new() { Value = grids.Select(g => string.Join(' ', tree.PathToRoot(g.Code))).ToArray() });
        var found = new List<(Guid, string, double, double)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            found.Add((reader.GetGuid(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3)));
        return found;
    }

    /// <summary>Sets when an incident is to be reviewed next (null: never), for a review that found nothing to record.</summary>
    public async Task MoveReview(Guid incident, DateTimeOffset? at)
    {
        await using var cmd = db.CreateCommand("UPDATE cc_incident SET review_at = $2 WHERE id = $1 AND review_at IS DISTINCT FROM $2");
        cmd.Parameters.Add(new() { Value = incident });
        cmd.Parameters.Add(new() { Value = (object?)at?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<IReadOnlyList<IncidentDetails>> Read(NpgsqlCommand cmd)
    {
        var found = new List<IncidentDetails>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            found.Add(JsonSerializer.Deserialize<IncidentDetails>(reader.GetString(0), Json.Options)!);
        return found;
    }
}

/// <summary>Great-circle distance on the mean Earth sphere: plenty for "within 200 m".</summary>
public static class Distance
{
    /// <summary>The earth's mean radius: the sphere <see cref="Meters"/> measures on.</summary>
    private const double Radius = 6_371_008.8;

    /// <summary>The length of a degree of latitude (and of longitude on the equator) on that sphere.</summary>
    public const double MetersPerDegree = Radius * Math.PI / 180;

    public static double Meters(double lat1, double lng1, double lat2, double lng2)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLng = Rad(lng2 - lng1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLng / 2), 2);
        return 2 * Radius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
