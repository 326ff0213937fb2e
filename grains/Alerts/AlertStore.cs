using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Alerts;

/// <summary>
/// The alerts in PostgreSQL (<c>cc_alert</c>, <c>deploy/sql/app/016-alerts.sql</c>). They are written by the incident
/// change that raises them, in its own commit (<see cref="InsertCommand"/>); this store reads them, signs them and
/// sends them up.
/// </summary>
public sealed class AlertStore(NpgsqlDataSource db)
{
    private const string Columns =
        "id, incident_id, username, display_name, kind, grid_code, category, title, created_at, due_at, delivered_at, acknowledged_at, escalated_at";

    /// <summary>
    /// The statement that writes the alerts <paramref name="raised"/> makes, for the accounts they match: a report for
    /// every patrol officer's account covering a code of its path whose categories (all when none are set) hold the
    /// incident's or its parent's; a dispatch for the account of the person dispatched to. A change written again (a retried batch)
    /// adds nothing.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(IReadOnlyList<AlertRules.Raised> raised)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO cc_alert (id, incident_id, seq, username, display_name, kind, grid_code, path, category, title, created_at, due_at)
            SELECT gen_random_uuid(), r.i, r.s, a.username, a.display_name, r.k, r.g, string_to_array(r.p, ' '), r.c, r.t, r.at, r.due
            FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                        $9::timestamptz[], $10::text[]) AS r(i, s, k, g, p, c, t, at, due, w)
            JOIN cc_account a ON
                (r.k = 'inGrid' AND a.role = 'PatrolPolice' AND a.jurisdictions && string_to_array(r.p, ' ')
                    AND (a.alert_categories IS NULL OR r.c = ANY (a.alert_categories) OR split_part(r.c, '.', 1) = ANY (a.alert_categories)))
                OR (r.k = 'dispatched' AND a.worker_id = r.w)
            ON CONFLICT (incident_id, seq, username) DO NOTHING
            """);
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.Incident).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => Json.Word(r.Kind)).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.GridCode).ToArray() });
        // Codes contain no spaces (the importer checks), so the path travels as one text per alert.
        cmd.Parameters.Add(new() { Value = raised.Select(r => string.Join(' ', r.Path)).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.Category).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.Title).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.At.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.DueAt.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = raised.Select(r => r.WorkerId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return cmd;
    }

    /// <summary>The statement that signs the alerts <paramref name="signed"/> names (those signed already keep their time).</summary>
    public static NpgsqlBatchCommand SignCommand(IReadOnlyList<AlertRules.Signed> signed)
    {
        var cmd = new NpgsqlBatchCommand("""
            UPDATE cc_alert SET acknowledged_at = COALESCE(cc_alert.acknowledged_at, s.at), delivered_at = COALESCE(cc_alert.delivered_at, s.at)
            FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS s(i, w, at)
            JOIN cc_account a ON a.worker_id = s.w
            WHERE cc_alert.incident_id = s.i AND cc_alert.username = a.username
            """);
        cmd.Parameters.Add(new() { Value = signed.Select(s => s.Incident).ToArray() });
        cmd.Parameters.Add(new() { Value = signed.Select(s => s.WorkerId).ToArray() });
        cmd.Parameters.Add(new() { Value = signed.Select(s => s.At.ToUniversalTime()).ToArray() });
        return cmd;
    }

    /// <summary>The account's alerts, the unacknowledged first, then newest first; those not read before are marked delivered now.</summary>
    public async Task<IReadOnlyList<Alert>> Mine(string username, int limit, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand($"""
            WITH mine AS (
                SELECT id FROM cc_alert WHERE username = $1
                ORDER BY acknowledged_at IS NOT NULL, created_at DESC LIMIT $2),
            delivered AS (
                UPDATE cc_alert SET delivered_at = $3 WHERE id IN (SELECT id FROM mine) AND delivered_at IS NULL RETURNING id, delivered_at)
            SELECT {Prefixed("a")}, d.delivered_at FROM cc_alert a JOIN mine USING (id) LEFT JOIN delivered d USING (id)
            ORDER BY a.acknowledged_at IS NOT NULL, a.created_at DESC
            """);
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue(limit);
        cmd.Parameters.AddWithValue(now.ToUniversalTime());
        return await Read(cmd, deliveredNow: true);
    }

    /// <summary>One alert.</summary>
    public async Task<Alert?> Find(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM cc_alert WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return (await Read(cmd)).FirstOrDefault();
    }

    /// <summary>Signs the alert at <paramref name="now"/> if nobody has; answers it as it is then.</summary>
    public async Task<Alert?> Acknowledge(Guid id, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE cc_alert SET acknowledged_at = COALESCE(acknowledged_at, $2), delivered_at = COALESCE(delivered_at, $2)
            WHERE id = $1 RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(now.ToUniversalTime());
        return (await Read(cmd)).FirstOrDefault();
    }

    /// <summary>The alerts of the area's grids, newest first, in one state or all.</summary>
    public async Task<IReadOnlyList<Alert>> InArea(string code, AlertState? state, int limit)
    {
        var where = state switch
        {
            AlertState.Open => "AND acknowledged_at IS NULL AND escalated_at IS NULL",
            AlertState.Escalated => "AND acknowledged_at IS NULL AND escalated_at IS NOT NULL",
            AlertState.Acknowledged => "AND acknowledged_at IS NOT NULL",
            _ => "",
        };
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM cc_alert WHERE path @> ARRAY[$1] {where} ORDER BY created_at DESC LIMIT $2");
        cmd.Parameters.AddWithValue(code);
        cmd.Parameters.AddWithValue(limit);
        return await Read(cmd);
    }

    /// <summary>The incident's alerts, oldest first (its timeline).</summary>
    public async Task<IReadOnlyList<Alert>> OfIncident(Guid incident)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM cc_alert WHERE incident_id = $1 ORDER BY created_at, username");
        cmd.Parameters.AddWithValue(incident);
        return await Read(cmd);
    }

    /// <summary>Sends up every alert past its time and not acknowledged, once: answers those it sent up now, with their areas.</summary>
    public async Task<IReadOnlyList<(Alert Alert, IReadOnlyList<string> Path)>> Escalate(DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE cc_alert SET escalated_at = $1
            WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND due_at <= $1
            RETURNING {Columns}, path
            """);
        cmd.Parameters.AddWithValue(now.ToUniversalTime());
        await using var reader = await cmd.ExecuteReaderAsync();
        var escalated = new List<(Alert, IReadOnlyList<string>)>();
        while (await reader.ReadAsync())
            escalated.Add((ReadAlert(reader), reader.GetFieldValue<string[]>(13)));
        return escalated;
    }

    /// <summary>The categories the account is alerted of (null: every category); false when there is no such account.</summary>
    public async Task<bool> SetCategories(string username, IReadOnlyList<string>? categories)
    {
        await using var cmd = db.CreateCommand("UPDATE cc_account SET alert_categories = $2 WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.Add(new() { Value = (object?)categories?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    public async Task<IReadOnlyList<string>?> Categories(string username)
    {
        await using var cmd = db.CreateCommand("SELECT alert_categories FROM cc_account WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        return await cmd.ExecuteScalarAsync() is string[] categories ? categories : null;
    }

    private static string Prefixed(string table) =>
        string.Join(", ", Columns.Split(", ").Select(c => $"{table}.{c}"));

    private static async Task<IReadOnlyList<Alert>> Read(NpgsqlCommand cmd, bool deliveredNow = false)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var alerts = new List<Alert>();
        while (await reader.ReadAsync())
        {
            var alert = ReadAlert(reader);
            alerts.Add(deliveredNow && !reader.IsDBNull(13) ? alert with { DeliveredAt = reader.GetFieldValue<DateTimeOffset>(13) } : alert);
        }
        return alerts;
    }

    private static Alert ReadAlert(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4) == "dispatched" ? AlertKind.Dispatched : AlertKind.InGrid,
        r.GetString(5), r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9),
        Time(r, 10), Time(r, 11), Time(r, 12));

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
