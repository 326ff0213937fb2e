using CommandCenter.Access;
using Npgsql;

namespace CommandCenter.RollCalls;

/// <summary>
/// Video roll calls in PostgreSQL (<c>deploy/sql/app/022-roll-calls.sql</c>). A start, an end and each station's
/// change are one batch each (with the audit row where a person made it): all of it commits or none.
/// </summary>
public sealed class RollCallStore(NpgsqlDataSource db)
{
    private const string CallColumns = "id, session, title, area, answer_within, started_at, closes_at, closed_at, started_by, started_by_name, ended_by_name";

    public async Task<RollCall?> Get(Guid id) => (await Read([id])).FirstOrDefault();

    /// <summary>
    /// The roll calls with these ids (those that exist), in the order asked: the calls and their stations read in one
    /// snapshot (a repeatable-read transaction), so that a close committed between the two reads is seen whole or not at
    /// all, never closed with its stations still pending.
    /// </summary>
    public async Task<IReadOnlyList<RollCall>> Read(IReadOnlyList<Guid> ids)
    {
        if (ids.Count == 0)
            return [];
        await using var connection = await db.OpenConnectionAsync();
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var stations = new Dictionary<Guid, List<CalledStation>>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT roll_call, station, path, delivered_at, answered_at, outcome FROM cc_roll_call_station
            WHERE roll_call = ANY($1) ORDER BY roll_call, position
            """, connection, snapshot))
        {
            cmd.Parameters.Add(new() { Value = ids.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetGuid(0);
                if (!stations.TryGetValue(id, out var list))
                    stations[id] = list = [];
                list.Add(new CalledStation(reader.GetString(1), reader.GetFieldValue<string[]>(2), Stamp(reader, 3), Stamp(reader, 4), Outcome(reader.GetString(5))));
            }
        }
        var calls = new Dictionary<Guid, RollCall>();
        await using (var cmd = new NpgsqlCommand($"SELECT {CallColumns} FROM cc_roll_call WHERE id = ANY($1)", connection, snapshot))
        {
            cmd.Parameters.Add(new() { Value = ids.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetGuid(0);
                calls[id] = new RollCall(id, reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<TimeSpan>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), Stamp(reader, 7),
                    reader.GetString(8), reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), stations.GetValueOrDefault(id) ?? []);
            }
        }
        await snapshot.CommitAsync();
        return ids.Where(calls.ContainsKey).Select(id => calls[id]).ToList();
    }

    /// <summary>Stores a new roll call and its stations with the audit row; a second with the id violates the primary key.</summary>
    public async Task Start(RollCall call, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand($"INSERT INTO cc_roll_call ({CallColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, NULL)");
        foreach (var value in new object?[] { call.Id, call.Session, call.Title, call.Area, call.AnswerWithin, call.StartedAt.ToUniversalTime(),
                     call.ClosesAt.ToUniversalTime(), call.StartedBy, call.StartedByName })
            insert.Parameters.Add(new() { Value = value ?? DBNull.Value });
        batch.BatchCommands.Add(insert);
        var stations = new NpgsqlBatchCommand("""
            INSERT INTO cc_roll_call_station (roll_call, station, position, path, outcome)
            SELECT $1, s.code, s.position, string_to_array(s.path, '|'), $4
            FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS s(code, path, position)
            """);
        stations.Parameters.Add(new() { Value = call.Id });
        stations.Parameters.Add(new() { Value = call.Stations.Select(s => s.Code).ToArray() });
        stations.Parameters.Add(new() { Value = call.Stations.Select(s => string.Join('|', s.Path)).ToArray() });
        stations.Parameters.Add(new() { Value = Json.Word(RollCallOutcome.Pending) });
        batch.BatchCommands.Add(stations);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Writes one station's delivery, answer and outcome (with an audit row when given).</summary>
    public async Task Save(Guid rollCall, CalledStation station, AuditEntry? audit = null)
    {
        await using var batch = db.CreateBatch();
        var update = new NpgsqlBatchCommand("""
            UPDATE cc_roll_call_station SET delivered_at = $3, answered_at = $4, outcome = $5 WHERE roll_call = $1 AND station = $2
            """);
        foreach (var value in new object?[] { rollCall, station.Code, station.DeliveredAt?.ToUniversalTime(), station.AnsweredAt?.ToUniversalTime(),
                     Json.Word(station.Outcome) })
            update.Parameters.Add(new() { Value = value ?? DBNull.Value });
        batch.BatchCommands.Add(update);
        if (audit is not null)
            batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Closes a roll call: its close and every station's outcome, with the audit row.</summary>
    public async Task Close(RollCall closed, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        var close = new NpgsqlBatchCommand("UPDATE cc_roll_call SET closed_at = $2, ended_by_name = $3 WHERE id = $1 AND closed_at IS NULL");
        foreach (var value in new object?[] { closed.Id, closed.ClosedAt!.Value.ToUniversalTime(), closed.EndedByName })
            close.Parameters.Add(new() { Value = value ?? DBNull.Value });
        batch.BatchCommands.Add(close);
        var outcomes = new NpgsqlBatchCommand("""
            UPDATE cc_roll_call_station s SET outcome = o.outcome
            FROM unnest($2::text[], $3::text[]) AS o(station, outcome)
            WHERE s.roll_call = $1 AND s.station = o.station
            """);
        outcomes.Parameters.Add(new() { Value = closed.Id });
        outcomes.Parameters.Add(new() { Value = closed.Stations.Select(s => s.Code).ToArray() });
        outcomes.Parameters.Add(new() { Value = closed.Stations.Select(s => Json.Word(s.Outcome)).ToArray() });
        batch.BatchCommands.Add(outcomes);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The open roll calls whose close has come by <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<Guid>> DueToClose(DateTimeOffset now) =>
        await Ids("SELECT id FROM cc_roll_call WHERE closed_at IS NULL AND closes_at <= $1 ORDER BY closes_at", now);

    /// <summary>The open roll calls that call one of the stations and it has not answered.</summary>
    public async Task<IReadOnlyList<Guid>> Ringing(IReadOnlyList<string> stations) =>
        await Ids("""
            SELECT r.id FROM cc_roll_call r JOIN cc_roll_call_station s ON s.roll_call = r.id
            WHERE r.closed_at IS NULL AND s.station = ANY($1) AND s.answered_at IS NULL ORDER BY r.started_at
            """, (object)stations.ToArray());

    /// <summary>The roll calls started from <paramref name="from"/> until <paramref name="to"/> that called a station within one of the areas, the latest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Guid>> Within(IReadOnlyList<string> areas, DateTimeOffset from, DateTimeOffset to, int limit) =>
        await Ids("""
            SELECT r.id FROM cc_roll_call r
            WHERE r.started_at >= $2 AND r.started_at < $3
              AND EXISTS (SELECT 1 FROM cc_roll_call_station s WHERE s.roll_call = r.id AND s.path && $1)
            ORDER BY r.started_at DESC LIMIT $4
            """, areas.ToArray(), from, to, limit);

    /// <summary>The roll calls that called the station, started from <paramref name="from"/> until <paramref name="to"/>, the latest first.</summary>
    public async Task<IReadOnlyList<Guid>> OfStation(string station, DateTimeOffset from, DateTimeOffset to) =>
        await Ids("""
            SELECT r.id FROM cc_roll_call r JOIN cc_roll_call_station s ON s.roll_call = r.id
            WHERE s.station = $1 AND r.started_at >= $2 AND r.started_at < $3 ORDER BY r.started_at DESC
            """, station, from, to);

    private async Task<IReadOnlyList<Guid>> Ids(string sql, params object[] values)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var value in values)
            cmd.Parameters.Add(new() { Value = value is DateTimeOffset at ? at.ToUniversalTime() : value });
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static DateTimeOffset? Stamp(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);

    private static RollCallOutcome Outcome(string word) => Enum.GetValues<RollCallOutcome>().First(o => Json.Word(o) == word);
}
