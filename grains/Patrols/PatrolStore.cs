using System.Security.Cryptography;
using CommandCenter.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Patrols;

/// <summary>A person's patrol in their grid: from the status on patrol until on duty or off duty (open: <see cref="Stopped"/> null).</summary>
public sealed record PatrolSession(Guid Id, string WorkerId, string GridCode, DateTimeOffset Started, DateTimeOffset? Stopped)
{
    /// <summary>The stretch it covers; an open session runs on.</summary>
    public Period Period => new(Started, Stopped ?? DateTimeOffset.MaxValue);
}

/// <summary>A check-in with GPS, at a checkpoint (<see cref="Checkpoint"/>: its ordinal, null when none was near) or on a visit.</summary>
public sealed record CheckIn(Guid Id, string WorkerId, string GridCode, CheckInKind Kind, DateTimeOffset At,
    double Latitude, double Longitude, int? Checkpoint, string? Note);

/// <summary>A photo of a check-in, without its bytes.</summary>
public sealed record PatrolPhoto(Guid Id, Guid CheckInId, string MediaType, int Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>A grid's patrol of one window as recorded at its end.</summary>
public sealed record PatrolRecord(string GridCode, PatrolWindow Window, PatrolOutcome Outcome, PatrolTally Tally,
    IReadOnlyList<string> PatrolledBy, DateTimeOffset RecordedAt);

/// <summary>
/// Patrol duties in PostgreSQL (<c>deploy/sql/app/015-patrols.sql</c>): checkpoints, sessions, check-ins and their
/// photos, and the outcome of every grid's window, each recorded once.
/// </summary>
public sealed class PatrolStore(NpgsqlDataSource db)
{
    private const string SessionColumns = "id, worker_id, grid_code, started_at, stopped_at";
    private const string CheckInColumns = "id, worker_id, grid_code, kind, at, lat, lng, checkpoint, note";
    private const string PhotoColumns = "id, checkin_id, media_type, size, sha256, uploaded_by, uploaded_at";
    private const string OutcomeColumns = "grid_code, day, window_name, window_start, window_end, outcome, patrol_seconds, "
        + "sectors_visited, sectors, checkpoints_visited, checkpoints, checkins, patrolled_by, recorded_at";

    // ---- checkpoints ----------------------------------------------------------------------------------------

    /// <summary>
    /// In the transaction of a county import: the file's checkpoints replace every one kept (<paramref name="named"/>
    /// not null), or those of grids the new tree no longer has are dropped.
    /// </summary>
    public static async Task ReplaceCheckpoints(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Checkpoint>? named, string[] codes)
    {
        await using (var delete = new NpgsqlCommand(named is null ? "DELETE FROM cc_patrol_checkpoint WHERE grid_code <> ALL($1)" : "DELETE FROM cc_patrol_checkpoint", conn, tx))
        {
            if (named is null)
                delete.Parameters.Add(new() { Value = codes });
            await delete.ExecuteNonQueryAsync();
        }
        if (named is not { Count: > 0 })
            return;
        await Insert(conn, tx, named);
    }

    private static async Task Insert(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Checkpoint> checkpoints)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO cc_patrol_checkpoint (grid_code, ordinal, name, lat, lng)
            SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::float8[], $5::float8[])
            """, conn, tx);
        insert.Parameters.Add(new() { Value = checkpoints.Select(c => c.GridCode).ToArray() });
        insert.Parameters.Add(new() { Value = checkpoints.Select(c => (short)c.Ordinal).ToArray() });
        insert.Parameters.Add(new() { Value = checkpoints.Select(c => c.Name).ToArray() });
        insert.Parameters.Add(new() { Value = checkpoints.Select(c => c.Latitude).ToArray() });
        insert.Parameters.Add(new() { Value = checkpoints.Select(c => c.Longitude).ToArray() });
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>Replaces the checkpoints of the grids <paramref name="dropped"/> by a re-import with <paramref name="moved"/>, in its successors.</summary>
    public static async Task MoveCheckpoints(NpgsqlConnection conn, NpgsqlTransaction tx, string[] dropped, IReadOnlyList<Checkpoint> moved)
    {
        await using (var delete = new NpgsqlCommand("DELETE FROM cc_patrol_checkpoint WHERE grid_code = ANY($1)", conn, tx))
        {
            delete.Parameters.Add(new() { Value = dropped });
            await delete.ExecuteNonQueryAsync();
        }
        await Insert(conn, tx, moved);
    }

    /// <summary>The checkpoints of the grids (all grids: null), by grid and ordinal.</summary>
    public async Task<IReadOnlyList<Checkpoint>> Checkpoints(IReadOnlyCollection<string>? grids = null)
    {
        await using var cmd = db.CreateCommand("SELECT grid_code, ordinal, name, lat, lng FROM cc_patrol_checkpoint "
            + (grids is null ? "" : "WHERE grid_code = ANY($1) ") + "ORDER BY grid_code, ordinal");
        if (grids is not null)
            cmd.Parameters.Add(new() { Value = grids.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync();
        var checkpoints = new List<Checkpoint>();
        while (await reader.ReadAsync())
            checkpoints.Add(new Checkpoint(reader.GetString(0), reader.GetInt16(1), reader.GetString(2), reader.GetDouble(3), reader.GetDouble(4)));
        return checkpoints;
    }

    // ---- sessions -------------------------------------------------------------------------------------------

    /// <summary>Opens a session for the person unless one is open; answers the one opened, or null.</summary>
    public async Task<PatrolSession?> Open(string workerId, string gridCode, DateTimeOffset at)
    {
        var session = new PatrolSession(Guid.CreateVersion7(at), workerId, gridCode, Timestamps.Stored(at), null);
        await using var cmd = db.CreateCommand($"""
            INSERT INTO cc_patrol_session ({SessionColumns}) VALUES ($1, $2, $3, $4, NULL)
            ON CONFLICT (worker_id) WHERE stopped_at IS NULL DO NOTHING
            """);
        cmd.Parameters.Add(new() { Value = session.Id });
        cmd.Parameters.Add(new() { Value = workerId });
        cmd.Parameters.Add(new() { Value = gridCode });
        cmd.Parameters.Add(new() { Value = session.Started });
        return await cmd.ExecuteNonQueryAsync() == 1 ? session : null;
    }

    /// <summary>Closes the person's open session (never before it started); answers it, or null when none was open.</summary>
    public async Task<PatrolSession?> Close(string workerId, DateTimeOffset at)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE cc_patrol_session SET stopped_at = greatest($2, started_at)
            WHERE worker_id = $1 AND stopped_at IS NULL RETURNING {SessionColumns}
            """);
        cmd.Parameters.Add(new() { Value = workerId });
        cmd.Parameters.Add(new() { Value = Timestamps.Stored(at) });
        return (await ReadSessions(cmd)).FirstOrDefault();
    }

    /// <summary>The person's open session, if any.</summary>
    public async Task<PatrolSession?> OpenSessionOf(string workerId)
    {
        await using var cmd = db.CreateCommand($"SELECT {SessionColumns} FROM cc_patrol_session WHERE worker_id = $1 AND stopped_at IS NULL");
        cmd.Parameters.Add(new() { Value = workerId });
        return (await ReadSessions(cmd)).FirstOrDefault();
    }

    /// <summary>The sessions overlapping the period (of one grid's people, or every grid's).</summary>
    public async Task<IReadOnlyList<PatrolSession>> Sessions(Period period, string? gridCode = null)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {SessionColumns} FROM cc_patrol_session
            WHERE started_at < $2 AND (stopped_at IS NULL OR stopped_at > $1) {(gridCode is null ? "" : "AND grid_code = $3")}
            ORDER BY started_at
            """);
        cmd.Parameters.Add(new() { Value = Timestamps.Stored(period.From) });
        cmd.Parameters.Add(new() { Value = Timestamps.Stored(period.To) });
        if (gridCode is not null)
            cmd.Parameters.Add(new() { Value = gridCode });
        return await ReadSessions(cmd);
    }

    private static async Task<IReadOnlyList<PatrolSession>> ReadSessions(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var sessions = new List<PatrolSession>();
        while (await reader.ReadAsync())
            sessions.Add(new PatrolSession(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        return sessions;
    }

    // ---- check-ins and photos -------------------------------------------------------------------------------

    /// <summary>
    /// Adds the check-in unless the person already made one with this idempotency key; answers the stored one and
    /// whether it is new.
    /// </summary>
    public async Task<(CheckIn Stored, bool Created)> Add(CheckIn checkIn, string idempotencyKey)
    {
        var row = checkIn with { At = Timestamps.Stored(checkIn.At) };
        await using var conn = await db.OpenConnectionAsync();
        int inserted;
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO cc_patrol_checkin ({CheckInColumns}, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (worker_id, idempotency_key) DO NOTHING
            """, conn))
        {
            insert.Parameters.Add(new() { Value = row.Id });
            insert.Parameters.Add(new() { Value = row.WorkerId });
            insert.Parameters.Add(new() { Value = row.GridCode });
            insert.Parameters.Add(new() { Value = Json.Word(row.Kind) });
            insert.Parameters.Add(new() { Value = row.At });
            insert.Parameters.Add(new() { Value = row.Latitude });
            insert.Parameters.Add(new() { Value = row.Longitude });
            insert.Parameters.Add(new() { Value = row.Checkpoint is { } ordinal ? (short)ordinal : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
            insert.Parameters.Add(new() { Value = (object?)row.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = idempotencyKey });
            inserted = await insert.ExecuteNonQueryAsync();
        }
        await using var select = new NpgsqlCommand($"SELECT {CheckInColumns} FROM cc_patrol_checkin WHERE worker_id = $1 AND idempotency_key = $2", conn);
        select.Parameters.Add(new() { Value = row.WorkerId });
        select.Parameters.Add(new() { Value = idempotencyKey });
        return ((await ReadCheckIns(select)).Single(), inserted == 1);
    }

    public async Task<CheckIn?> CheckIn(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {CheckInColumns} FROM cc_patrol_checkin WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return (await ReadCheckIns(cmd)).FirstOrDefault();
    }

    /// <summary>The check-ins made in the period in the grids (every grid: null), oldest first.</summary>
    public async Task<IReadOnlyList<CheckIn>> CheckIns(Period period, IReadOnlyCollection<string>? grids = null)
    {
        await using var cmd = db.CreateCommand($"SELECT {CheckInColumns} FROM cc_patrol_checkin WHERE at >= $1 AND at < $2 "
            + (grids is null ? "" : "AND grid_code = ANY($3) ") + "ORDER BY at, id");
        cmd.Parameters.Add(new() { Value = Timestamps.Stored(period.From) });
        cmd.Parameters.Add(new() { Value = Timestamps.Stored(period.To) });
        if (grids is not null)
            cmd.Parameters.Add(new() { Value = grids.ToArray() });
        return await ReadCheckIns(cmd);
    }

    private static async Task<IReadOnlyList<CheckIn>> ReadCheckIns(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var checkIns = new List<CheckIn>();
        while (await reader.ReadAsync())
        {
            checkIns.Add(new CheckIn(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                Enum.Parse<CheckInKind>(reader.GetString(3), ignoreCase: true), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetDouble(5), reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetInt16(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return checkIns;
    }

    /// <summary>Stores a photo of a check-in: the copy served (which the answer describes) and the upload.</summary>
    public async Task<PatrolPhoto> SavePhoto(Guid checkIn, CleanPhoto clean, string uploadedBy, DateTimeOffset at)
    {
        var content = clean.Served.Bytes;
        var photo = new PatrolPhoto(Guid.CreateVersion7(at), checkIn, clean.Served.MediaType, content.Length,
            Convert.ToHexStringLower(SHA256.HashData(content)), uploadedBy, Timestamps.Stored(at));
        await using var cmd = db.CreateCommand($"INSERT INTO cc_patrol_photo ({PhotoColumns}, content, original) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        cmd.Parameters.Add(new() { Value = photo.Id });
        cmd.Parameters.Add(new() { Value = photo.CheckInId });
        cmd.Parameters.Add(new() { Value = photo.MediaType });
        cmd.Parameters.Add(new() { Value = photo.Size });
        cmd.Parameters.Add(new() { Value = photo.Sha256 });
        cmd.Parameters.Add(new() { Value = photo.UploadedBy });
        cmd.Parameters.Add(new() { Value = photo.UploadedAt });
        cmd.Parameters.Add(new() { Value = content });
        cmd.Parameters.Add(new() { Value = clean.Original });
        await cmd.ExecuteNonQueryAsync();
        return photo;
    }

    /// <summary>The photos of these check-ins, oldest first, without their bytes.</summary>
    public async Task<IReadOnlyList<PatrolPhoto>> Photos(IReadOnlyCollection<Guid> checkIns)
    {
        await using var cmd = db.CreateCommand($"SELECT {PhotoColumns} FROM cc_patrol_photo WHERE checkin_id = ANY($1) ORDER BY uploaded_at, id");
        cmd.Parameters.Add(new() { Value = checkIns.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync();
        var photos = new List<PatrolPhoto>();
        while (await reader.ReadAsync())
            photos.Add(ReadPhoto(reader));
        return photos;
    }

    /// <summary>A photo with its bytes, or null.</summary>
    public async Task<(PatrolPhoto Photo, StoredPhoto Bytes)?> Photo(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {PhotoColumns}, content, original FROM cc_patrol_photo WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        var photo = ReadPhoto(reader);
        return (photo, PhotoImage.Stored(photo.MediaType, reader, 7));
    }

    private static PatrolPhoto ReadPhoto(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5),
            reader.GetFieldValue<DateTimeOffset>(6));

    // ---- outcomes -------------------------------------------------------------------------------------------

    /// <summary>Per grid, its patrol windows done and recorded from <paramref name="from"/> to <paramref name="to"/> (China days, inclusive).</summary>
    public async Task<IReadOnlyDictionary<string, (long Done, long Due)>> WindowsDone(IReadOnlyCollection<string> grids, DateOnly from, DateOnly to)
    {
        await using var cmd = db.CreateCommand("""
            SELECT grid_code, count(*) FILTER (WHERE outcome = 'done'), count(*)
            FROM cc_patrol_outcome WHERE grid_code = ANY($1) AND day BETWEEN $2 AND $3 GROUP BY grid_code
            """);
        cmd.Parameters.Add(new() { Value = grids.ToArray() });
        cmd.Parameters.Add(new() { Value = from });
        cmd.Parameters.Add(new() { Value = to });
        await using var reader = await cmd.ExecuteReaderAsync();
        var windows = new Dictionary<string, (long, long)>();
        while (await reader.ReadAsync())
            windows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return windows;
    }

    /// <summary>
    /// Since when patrols are recorded: the time of the first call ever (<paramref name="now"/> then), kept. Two
    /// statements, as for the rating-link key: one statement would not see a row another host committed meanwhile.
    /// </summary>
    public async Task<DateTimeOffset> Since(DateTimeOffset now)
    {
        await using (var add = db.CreateCommand("INSERT INTO cc_patrol_since (since) VALUES ($1) ON CONFLICT DO NOTHING"))
        {
            add.Parameters.Add(new() { Value = Timestamps.Stored(now) });
            await add.ExecuteNonQueryAsync();
        }
        await using var read = db.CreateCommand("SELECT since FROM cc_patrol_since LIMIT 1");
        return new DateTimeOffset((DateTime)(await read.ExecuteScalarAsync())!, TimeSpan.Zero);
    }

    /// <summary>The windows recorded for every grid, of <paramref name="from"/> and later days.</summary>
    public async Task<HashSet<(DateOnly Day, string Window)>> RecordedWindows(DateOnly from)
    {
        await using var cmd = db.CreateCommand("SELECT day, window_name FROM cc_patrol_window WHERE day >= $1");
        cmd.Parameters.Add(new() { Value = from });
        await using var reader = await cmd.ExecuteReaderAsync();
        var windows = new HashSet<(DateOnly, string)>();
        while (await reader.ReadAsync())
            windows.Add((reader.GetFieldValue<DateOnly>(0), reader.GetString(1)));
        return windows;
    }

    /// <summary>
    /// Records a window's outcomes and the window as recorded, in one transaction. A grid's outcome already recorded
    /// stays as it was; answers the records this call added.
    /// </summary>
    public async Task<IReadOnlyList<PatrolRecord>> Record(PatrolWindow window, IReadOnlyList<PatrolRecord> records, DateTimeOffset at)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var added = new HashSet<string>(StringComparer.Ordinal);
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO cc_patrol_outcome ({OutcomeColumns})
            SELECT g, $2, $3, $4, $5, o, s, sv, sc, cv, cc, ci, ARRAY(SELECT jsonb_array_elements_text(pb)), $6
            FROM unnest($1::text[], $7::text[], $8::int[], $9::smallint[], $10::smallint[], $11::smallint[], $12::smallint[], $13::int[], $14::jsonb[])
                AS r(g, o, s, sv, sc, cv, cc, ci, pb)
            ON CONFLICT (grid_code, day, window_name) DO NOTHING
            RETURNING grid_code
            """, conn, tx))
        {
            insert.Parameters.Add(new() { Value = records.Select(r => r.GridCode).ToArray() });
            insert.Parameters.Add(new() { Value = window.Day });
            insert.Parameters.Add(new() { Value = window.Name });
            insert.Parameters.Add(new() { Value = Timestamps.Stored(window.Start) });
            insert.Parameters.Add(new() { Value = Timestamps.Stored(window.End) });
            insert.Parameters.Add(new() { Value = Timestamps.Stored(at) });
            insert.Parameters.Add(new() { Value = records.Select(r => Json.Word(r.Outcome)).ToArray() });
            insert.Parameters.Add(new() { Value = records.Select(r => (int)r.Tally.TimeInGrid.TotalSeconds).ToArray() });
            insert.Parameters.Add(new() { Value = records.Select(r => (short)r.Tally.SectorsVisited).ToArray() });
            insert.Parameters.Add(new() { Value = records.Select(r => (short)r.Tally.Sectors).ToArray() });
            insert.Parameters.Add(new() { Value = records.Select(r => (short)r.Tally.CheckpointsVisited).ToArray() });
            insert.Parameters.Add(new() { Value = records.Select(r => (short)r.Tally.Checkpoints).ToArray() });
            insert.Parameters.Add(new() { Value = records.Select(r => r.Tally.CheckIns).ToArray() });
            insert.Parameters.Add(new()
            {
                Value = records.Select(r => System.Text.Json.JsonSerializer.Serialize(r.PatrolledBy)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
            });
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                added.Add(reader.GetString(0));
        }
        await using (var mark = new NpgsqlCommand("""
            INSERT INTO cc_patrol_window (day, window_name, window_end, grids, recorded_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (day, window_name) DO NOTHING
            """, conn, tx))
        {
            mark.Parameters.Add(new() { Value = window.Day });
            mark.Parameters.Add(new() { Value = window.Name });
            mark.Parameters.Add(new() { Value = Timestamps.Stored(window.End) });
            mark.Parameters.Add(new() { Value = records.Count });
            mark.Parameters.Add(new() { Value = Timestamps.Stored(at) });
            await mark.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return records.Where(r => added.Contains(r.GridCode)).ToList();
    }

    /// <summary>The outcomes recorded on a day for the grids, by grid and window start.</summary>
    public async Task<IReadOnlyList<PatrolRecord>> Outcomes(DateOnly day, IReadOnlyCollection<string> grids)
    {
        await using var cmd = db.CreateCommand($"SELECT {OutcomeColumns} FROM cc_patrol_outcome WHERE day = $1 AND grid_code = ANY($2) ORDER BY grid_code, window_start");
        cmd.Parameters.Add(new() { Value = day });
        cmd.Parameters.Add(new() { Value = grids.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync();
        var records = new List<PatrolRecord>();
        while (await reader.ReadAsync())
        {
            var window = new PatrolWindow(reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4));
            var tally = new PatrolTally(TimeSpan.FromSeconds(reader.GetInt32(6)), reader.GetInt16(7), reader.GetInt16(8), reader.GetInt16(9),
                reader.GetInt16(10), reader.GetInt32(11));
            records.Add(new PatrolRecord(reader.GetString(0), window, Enum.Parse<PatrolOutcome>(reader.GetString(5), ignoreCase: true), tally,
                reader.GetFieldValue<string[]>(12), reader.GetFieldValue<DateTimeOffset>(13)));
        }
        return records;
    }
}
