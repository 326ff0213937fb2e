using System.Text.Json;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Jurisdictions;

/// <summary>One thing a re-import moves from a dropped code: a person, camera, account or integration, with its grid or scope before and after.</summary>
public sealed record TreeMove(string Id, string From, string To);

/// <summary>
/// What replacing the tree does beyond the tree: the successions it records and what it moves to them, or the
/// problems it is refused for (then nothing); the open cases are moved by their grains after it.
/// <see cref="Checkpoints"/> are the dropped grids' patrol checkpoints as they would be in their successors (numbered on
/// after the successor's own), kept unless the file names checkpoints of its own.
/// </summary>
public sealed record TreeChange(IReadOnlyList<GeoJsonProblem> Problems, IReadOnlyList<Succession> Successions, IReadOnlyList<TreeMove> People,
    IReadOnlyList<TreeMove> Cameras, IReadOnlyList<TreeMove> Accounts, IReadOnlyList<TreeMove> Integrations, IReadOnlyList<Patrols.Checkpoint> Checkpoints)
{
    public static TreeChange Refused(IReadOnlyList<GeoJsonProblem> problems) => new(problems, [], [], [], [], [], []);
}

/// <summary>The county's registry in PostgreSQL: the jurisdiction tree, its people and its cameras.</summary>
public sealed class JurisdictionStore(NpgsqlDataSource db)
{

    public sealed record Contents(long Version, JurisdictionTree? Tree, IReadOnlyList<WorkerRecord> Workers, IReadOnlyList<CameraRecord> Cameras);

    public async Task<long> Version()
    {
        await using var cmd = db.CreateCommand("SELECT coalesce(max(version), 0) FROM cc_registry_version");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<Contents> Load()
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        long version;
        await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM cc_registry_version", conn, tx))
            version = (long)(await cmd.ExecuteScalarAsync())!;

        var items = new List<Jurisdiction>();
        await using (var cmd = new NpgsqlCommand("SELECT code, name, level, parent_code, geometry::text FROM cc_jurisdiction", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                var geometry = JsonSerializer.Deserialize<Geometry>(r.GetString(4), JurisdictionGeoJson.GeometryJson)!;
                geometry.SRID = 4326;
                items.Add(new Jurisdiction(r.GetString(0), r.GetString(1), (JurisdictionLevel)r.GetInt16(2), r.IsDBNull(3) ? null : r.GetString(3), geometry));
            }
        }

        var workers = new List<WorkerRecord>();
        await using (var cmd = new NpgsqlCommand("SELECT id, name, role, grid_code, home_lat, home_lng, phone FROM cc_worker ORDER BY id", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                workers.Add(new WorkerRecord(r.GetString(0), r.GetString(1), Enum.Parse<WorkerRole>(r.GetString(2)), r.GetString(3),
                    r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        var cameras = new List<CameraRecord>();
        await using (var cmd = new NpgsqlCommand("SELECT id, name, grid_code, lat, lng FROM cc_camera ORDER BY id", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                cameras.Add(new CameraRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4)));
        }
        await tx.CommitAsync();
        return new Contents(version, items.Count == 0 ? null : JurisdictionTree.Build(items), workers, cameras);
    }

    /// <summary>
    /// Checks a new tree against the stored one, as <see cref="ReplaceTree"/> would, changing nothing: the problems
    /// it would be refused for, or what it would move to the successors of the codes it drops.
    /// </summary>
    public async Task<TreeChange> CheckTree(JurisdictionTree tree, IReadOnlyList<Succession> successions)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        return await Plan(conn, tx, tree, successions);
    }

    /// <summary>
    /// Replaces the whole tree in one transaction, with the grids' patrol checkpoints (<paramref name="checkpoints"/>:
    /// the file's, or null to keep those of the grids still there). Every code the stored tree has and the new one
    /// drops must be named in <paramref name="successions"/> (<see cref="JurisdictionSuccessors.Check"/>): the people
    /// and cameras of a dropped grid go to its successor at their place (and, unless the file names checkpoints, its
    /// patrol checkpoints), accounts' and integrations' scopes to the successors, and the successions are recorded
    /// (for the open cases, which their grains move after the commit).
    /// Refused, with nothing written, otherwise.
    /// </summary>
    public async Task<TreeChange> ReplaceTree(JurisdictionTree tree, IReadOnlyList<Patrols.Checkpoint>? checkpoints = null,
        IReadOnlyList<Succession>? successions = null)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var lockCmd = new NpgsqlCommand("LOCK TABLE cc_jurisdiction IN EXCLUSIVE MODE", conn, tx))
            await lockCmd.ExecuteNonQueryAsync();
        var change = await Plan(conn, tx, tree, successions ?? []);
        if (change.Problems.Count > 0)
            return change;

        var codes = tree.All.Select(j => j.Code).ToArray();
        await using (var delete = new NpgsqlCommand("DELETE FROM cc_jurisdiction", conn, tx))
            await delete.ExecuteNonQueryAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO cc_jurisdiction (code, name, level, parent_code, geometry)
            SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::jsonb[])
            """, conn, tx))
        {
            insert.Parameters.Add(new() { Value = codes });
            insert.Parameters.Add(new() { Value = tree.All.Select(j => j.Name).ToArray() });
            insert.Parameters.Add(new() { Value = tree.All.Select(j => (short)j.Level).ToArray() });
            insert.Parameters.Add(new() { Value = tree.All.Select(j => j.ParentCode).ToArray() });
            insert.Parameters.Add(new() { Value = tree.All.Select(j => JsonSerializer.Serialize(j.Geometry, JurisdictionGeoJson.GeometryJson)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            await insert.ExecuteNonQueryAsync();
        }
        await Move(conn, tx, "UPDATE cc_worker w SET grid_code = m.t FROM unnest($1::text[], $2::text[]) AS m(i, t) WHERE w.id = m.i", change.People);
        await Move(conn, tx, "UPDATE cc_camera c SET grid_code = m.t FROM unnest($1::text[], $2::text[]) AS m(i, t) WHERE c.id = m.i", change.Cameras);
        await Move(conn, tx, "UPDATE cc_account a SET jurisdictions = string_to_array(m.t, ' ') FROM unnest($1::text[], $2::text[]) AS m(i, t) WHERE a.username = m.i",
            change.Accounts);
        await Move(conn, tx, "UPDATE cc_integration g SET jurisdiction = m.t FROM unnest($1::text[], $2::text[]) AS m(i, t) WHERE g.name = m.i",
            change.Integrations);
        await using (var recorded = new NpgsqlCommand("""
            WITH back AS (DELETE FROM cc_jurisdiction_successor WHERE code = ANY($1))
            INSERT INTO cc_jurisdiction_successor (code, successor) SELECT * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING
            """, conn, tx))
        {
            recorded.Parameters.Add(new() { Value = codes });
            recorded.Parameters.Add(new() { Value = change.Successions.Select(p => p.Code).ToArray() });
            recorded.Parameters.Add(new() { Value = change.Successions.Select(p => p.Successor).ToArray() });
            await recorded.ExecuteNonQueryAsync();
        }
        if (checkpoints is null && change.Checkpoints.Count > 0)
            await Patrols.PatrolStore.MoveCheckpoints(conn, tx, change.Successions.Select(p => p.Code).Distinct().ToArray(), change.Checkpoints);
        await Patrols.PatrolStore.ReplaceCheckpoints(conn, tx, checkpoints, codes);
        await BumpVersion(conn, tx);
        await tx.CommitAsync();
        return change;
    }

    /// <summary>Renames one area (false: no such area).</summary>
    public async Task<bool> Rename(string code, string name)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("UPDATE cc_jurisdiction SET name = $2 WHERE code = $1", conn, tx);
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = name });
        if (await cmd.ExecuteNonQueryAsync() == 0)
            return false;
        await BumpVersion(conn, tx);
        await tx.CommitAsync();
        return true;
    }

    /// <summary>The successions recorded by the imports so far (<c>cc_jurisdiction_successor</c>).</summary>
    public async Task<JurisdictionSuccessors> Successors()
    {
        await using var cmd = db.CreateCommand("SELECT code, successor FROM cc_jurisdiction_successor ORDER BY code, at, successor");
        await using var r = await cmd.ExecuteReaderAsync();
        var recorded = new List<Succession>();
        while (await r.ReadAsync())
            recorded.Add(new Succession(r.GetString(0), r.GetString(1)));
        return JurisdictionSuccessors.Of(recorded);
    }

    private static async Task<TreeChange> Plan(NpgsqlConnection conn, NpgsqlTransaction tx, JurisdictionTree tree, IReadOnlyList<Succession> successions)
    {
        var current = new Dictionary<string, JurisdictionLevel>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT code, level FROM cc_jurisdiction", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                current[r.GetString(0)] = (JurisdictionLevel)r.GetInt16(1);
        }
        var (successors, problems) = JurisdictionSuccessors.Check(successions, current, tree);
        if (successors is null)
            return TreeChange.Refused(problems);
        if (successors.IsEmpty)
            return new TreeChange([], [], [], [], [], [], []);
        var dropped = successors.ByCode.Keys.ToArray();

        async Task<List<TreeMove>> Placed(string sql)
        {
            var moves = new List<TreeMove>();
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.Add(new() { Value = dropped });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var (id, grid) = (r.GetString(0), r.GetString(1));
                moves.Add(new TreeMove(id, grid, successors.GridFor(grid, r.GetDouble(2), r.GetDouble(3), tree)!));
            }
            return moves;
        }
        var people = await Placed("SELECT id, grid_code, home_lat, home_lng FROM cc_worker WHERE grid_code = ANY($1) ORDER BY id");
        var cameras = await Placed("SELECT id, grid_code, lat, lng FROM cc_camera WHERE grid_code = ANY($1) ORDER BY id");
        var checkpoints = await CheckpointsMoved(conn, tx, dropped, successors, tree);

        var accounts = new List<TreeMove>();
        await using (var cmd = new NpgsqlCommand("SELECT username, jurisdictions FROM cc_account WHERE jurisdictions && $1 ORDER BY username", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = dropped });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var scope = r.GetFieldValue<string[]>(1);
                accounts.Add(new TreeMove(r.GetString(0), string.Join(' ', scope), string.Join(' ', successors.Scope(scope))));
            }
        }
        var integrations = new List<TreeMove>();
        var refused = new List<GeoJsonProblem>();
        await using (var cmd = new NpgsqlCommand("SELECT name, jurisdiction FROM cc_integration WHERE jurisdiction = ANY($1) ORDER BY name", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = dropped });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var (name, code) = (r.GetString(0), r.GetString(1));
                if (successors.ByCode[code] is [var only])
                    integrations.Add(new TreeMove(name, code, only));
                else
                {
                    refused.Add(new GeoJsonProblem(-1, code, JurisdictionSuccessors.Field,
                        $"The integration {name} reports for {code}, which this import splits: give it one of the successors' keys first."));
                }
            }
        }
        if (refused.Count > 0)
            return TreeChange.Refused(refused);
        return new TreeChange([], successors.ByCode.SelectMany(p => p.Value.Select(s => new Succession(p.Key, s))).ToList(),
            people, cameras, accounts, integrations, checkpoints);
    }

    /// <summary>The dropped grids' checkpoints in the successor each lies in, numbered on (from 1) after that grid's own.</summary>
    private static async Task<IReadOnlyList<Patrols.Checkpoint>> CheckpointsMoved(NpgsqlConnection conn, NpgsqlTransaction tx, string[] dropped,
        JurisdictionSuccessors successors, JurisdictionTree tree)
    {
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT grid_code, max(ordinal) FROM cc_patrol_checkpoint GROUP BY grid_code", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                next[r.GetString(0)] = r.GetInt16(1) + 1;
        }
        var moved = new List<Patrols.Checkpoint>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT grid_code, name, lat, lng FROM cc_patrol_checkpoint WHERE grid_code = ANY($1) ORDER BY grid_code, ordinal", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = dropped });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var (lat, lng) = (r.GetDouble(2), r.GetDouble(3));
                var grid = successors.GridFor(r.GetString(0), lat, lng, tree)!;
                var ordinal = next.GetValueOrDefault(grid, 1);
                next[grid] = ordinal + 1;
                moved.Add(new Patrols.Checkpoint(grid, ordinal, r.GetString(1), lat, lng));
            }
        }
        return moved;
    }

    private static async Task Move(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, IReadOnlyList<TreeMove> moves)
    {
        if (moves.Count == 0)
            return;
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.Add(new() { Value = moves.Select(m => m.Id).ToArray() });
        cmd.Parameters.Add(new() { Value = moves.Select(m => m.To).ToArray() });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Adds or updates cameras with their stream addresses in one transaction, all or none; every grid code must exist.</summary>
    public async Task UpsertCameras(IReadOnlyList<Cameras.CameraEntry> cameras)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var c = new NpgsqlCommand("""
            INSERT INTO cc_camera (id, name, grid_code, lat, lng, stream_url)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[])
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, grid_code = excluded.grid_code, lat = excluded.lat, lng = excluded.lng,
                stream_url = excluded.stream_url
            """, conn, tx))
        {
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Id).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Name).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.GridCode).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Latitude).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Longitude).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.StreamUrl).ToArray() });
            await c.ExecuteNonQueryAsync();
        }
        await BumpVersion(conn, tx);
        await tx.CommitAsync();
    }

    /// <summary>The ids of the cameras that have no stream address.</summary>
    public async Task<HashSet<string>> CamerasWithoutStream()
    {
        await using var cmd = db.CreateCommand("SELECT id FROM cc_camera WHERE stream_url IS NULL");
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return ids;
    }

    private const long ImportLockKey = 0x43_43_49_4D_50_4F_52_54; // "CCIMPORT"

    /// <summary>Holds a PostgreSQL advisory lock, across hosts, until disposed: for importing into an empty registry once.</summary>
    public async Task<IAsyncDisposable> Exclusive(CancellationToken cancellationToken)
    {
        var conn = await db.OpenConnectionAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({ImportLockKey})", conn))
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        return new AdvisoryLock(conn, ImportLockKey);
    }

    private sealed class AdvisoryLock(NpgsqlConnection conn, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({key})", conn))
                await cmd.ExecuteNonQueryAsync();
            await conn.DisposeAsync();
        }
    }

    /// <summary>Every camera with a stream address: its id and a fingerprint of the address (MD5, to notice a change).</summary>
    public async Task<Dictionary<string, string>> StreamFingerprints()
    {
        await using var cmd = db.CreateCommand("SELECT id, md5(stream_url) FROM cc_camera WHERE stream_url IS NOT NULL");
        await using var reader = await cmd.ExecuteReaderAsync();
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
            fingerprints[reader.GetString(0)] = reader.GetString(1);
        return fingerprints;
    }

    /// <summary>The cameras that can give a frame: with a stream address, and not offline by their health (<c>cc_camera_health</c>).</summary>
    public async Task<IReadOnlyList<Cameras.StreamingCamera>> StreamingCameras()
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.id, c.lat, c.lng, c.stream_url FROM cc_camera c
            WHERE c.stream_url IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM cc_camera_health h WHERE h.camera_id = c.id AND h.status = 'offline')
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        var cameras = new List<Cameras.StreamingCamera>();
        while (await reader.ReadAsync())
            cameras.Add(new Cameras.StreamingCamera(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetString(3)));
        return cameras;
    }

    /// <summary>A camera as recorded, with its stream address (null: none); null for an unknown camera.</summary>
    public async Task<(CameraRecord Camera, string? StreamUrl)?> CameraOf(string cameraId)
    {
        await using var cmd = db.CreateCommand("SELECT id, name, grid_code, lat, lng, stream_url FROM cc_camera WHERE id = $1");
        cmd.Parameters.Add(new() { Value = cameraId });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return (new CameraRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetDouble(4)),
            reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    /// <summary>A camera's stream address (null: unknown camera, or none recorded).</summary>
    public async Task<string?> StreamUrlOf(string cameraId)
    {
        await using var cmd = db.CreateCommand("SELECT stream_url FROM cc_camera WHERE id = $1");
        cmd.Parameters.Add(new() { Value = cameraId });
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>Adds or updates people and cameras in one transaction; every grid code must exist.</summary>
    public async Task UpsertPeopleAndCameras(IReadOnlyList<WorkerRecord> workers, IReadOnlyList<CameraRecord> cameras)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await UpsertWorkers(conn, tx, workers);
        await using (var c = new NpgsqlCommand("""
            INSERT INTO cc_camera (id, name, grid_code, lat, lng)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[])
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, grid_code = excluded.grid_code, lat = excluded.lat, lng = excluded.lng
            """, conn, tx))
        {
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Id).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Name).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.GridCode).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Latitude).ToArray() });
            c.Parameters.Add(new() { Value = cameras.Select(x => x.Longitude).ToArray() });
            await c.ExecuteNonQueryAsync();
        }
        await BumpVersion(conn, tx);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Adds or updates people with the accounts their list names, in one transaction: <paramref name="created"/> made
    /// with their password hashes, <paramref name="rebound"/> (accounts of these very people) given their names and
    /// grids. False, with nothing written, when an account to create was taken meanwhile or one to rebind is no longer
    /// its person's.
    /// </summary>
    public async Task<bool> UpsertPeople(IReadOnlyList<WorkerRecord> workers, IReadOnlyList<(Access.NewAccount Account, string PasswordHash)> created,
        IReadOnlyList<Access.NewAccount> rebound)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await UpsertWorkers(conn, tx, workers);
        if (await Access.AccountStore.CreatePeoplesAccounts(conn, tx, created) != created.Count
            || await Access.AccountStore.RebindPeoplesAccounts(conn, tx, rebound) != rebound.Count)
            return false;
        await BumpVersion(conn, tx);
        await tx.CommitAsync();
        return true;
    }

    private static async Task UpsertWorkers(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<WorkerRecord> workers)
    {
        await using var w = new NpgsqlCommand("""
            INSERT INTO cc_worker (id, name, role, grid_code, home_lat, home_lng, phone)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, grid_code = excluded.grid_code,
                home_lat = excluded.home_lat, home_lng = excluded.home_lng, phone = coalesce(excluded.phone, cc_worker.phone)
            """, conn, tx);
        w.Parameters.Add(new() { Value = workers.Select(x => x.Id).ToArray() });
        w.Parameters.Add(new() { Value = workers.Select(x => x.Name).ToArray() });
        w.Parameters.Add(new() { Value = workers.Select(x => x.Role.ToString()).ToArray() });
        w.Parameters.Add(new() { Value = workers.Select(x => x.GridCode).ToArray() });
        w.Parameters.Add(new() { Value = workers.Select(x => x.HomeLatitude).ToArray() });
        w.Parameters.Add(new() { Value = workers.Select(x => x.HomeLongitude).ToArray() });
        w.Parameters.Add(new() { Value = workers.Select(x => x.Phone).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await w.ExecuteNonQueryAsync();
    }

    private static async Task BumpVersion(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        await using var cmd = new NpgsqlCommand("UPDATE cc_registry_version SET version = version + 1, changed_at = now()", conn, tx);
        await cmd.ExecuteNonQueryAsync();
    }
}
