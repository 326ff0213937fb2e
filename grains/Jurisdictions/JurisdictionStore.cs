using System.Text.Json;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Jurisdictions;

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
    /// Replaces the whole tree in one transaction, with the grids' patrol checkpoints (<paramref name="checkpoints"/>:
    /// the file's, or null to keep those of the grids still there). Refused (nothing written) when people or cameras
    /// are bound to grids the new tree no longer has. Returns those grid codes, empty on success.
    /// </summary>
    /// <summary>The grids people or cameras are bound to that a tree of <paramref name="codes"/> would not have (what <see cref="ReplaceTree"/> refuses).</summary>
    public async Task<IReadOnlyList<string>> Orphaned(IReadOnlyCollection<string> codes)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await Orphaned(conn, null, codes);
    }

    private static async Task<IReadOnlyList<string>> Orphaned(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyCollection<string> codes)
    {
        await using var orphans = new NpgsqlCommand("""
            SELECT DISTINCT grid_code FROM (SELECT grid_code FROM cc_worker UNION ALL SELECT grid_code FROM cc_camera) bound
            WHERE grid_code <> ALL($1) ORDER BY grid_code
            """, conn, tx);
        orphans.Parameters.Add(new() { Value = codes.ToArray() });
        var missing = new List<string>();
        await using var r = await orphans.ExecuteReaderAsync();
        while (await r.ReadAsync())
            missing.Add(r.GetString(0));
        return missing;
    }

    public async Task<IReadOnlyList<string>> ReplaceTree(JurisdictionTree tree, IReadOnlyList<Patrols.Checkpoint>? checkpoints = null)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var lockCmd = new NpgsqlCommand("LOCK TABLE cc_jurisdiction IN EXCLUSIVE MODE", conn, tx))
            await lockCmd.ExecuteNonQueryAsync();

        var codes = tree.All.Select(j => j.Code).ToArray();
        var missing = await Orphaned(conn, tx, codes);
        if (missing.Count > 0)
            return missing;

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
        await Patrols.PatrolStore.ReplaceCheckpoints(conn, tx, checkpoints, codes);
        await BumpVersion(conn, tx);
        await tx.CommitAsync();
        return [];
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
        await using (var w = new NpgsqlCommand("""
            INSERT INTO cc_worker (id, name, role, grid_code, home_lat, home_lng, phone)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, grid_code = excluded.grid_code,
                home_lat = excluded.home_lat, home_lng = excluded.home_lng, phone = coalesce(excluded.phone, cc_worker.phone)
            """, conn, tx))
        {
            w.Parameters.Add(new() { Value = workers.Select(x => x.Id).ToArray() });
            w.Parameters.Add(new() { Value = workers.Select(x => x.Name).ToArray() });
            w.Parameters.Add(new() { Value = workers.Select(x => x.Role.ToString()).ToArray() });
            w.Parameters.Add(new() { Value = workers.Select(x => x.GridCode).ToArray() });
            w.Parameters.Add(new() { Value = workers.Select(x => x.HomeLatitude).ToArray() });
            w.Parameters.Add(new() { Value = workers.Select(x => x.HomeLongitude).ToArray() });
            w.Parameters.Add(new() { Value = workers.Select(x => x.Phone).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await w.ExecuteNonQueryAsync();
        }
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

    private static async Task BumpVersion(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        await using var cmd = new NpgsqlCommand("UPDATE cc_registry_version SET version = version + 1, changed_at = now()", conn, tx);
        await cmd.ExecuteNonQueryAsync();
    }
}
