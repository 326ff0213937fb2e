using Npgsql;

namespace CommandCenter.Cameras;

/// <summary>
/// Cameras' health in PostgreSQL (<c>cc_camera_health</c>): each Camera grain writes its own row, the API reads them
/// for lists and counts. A camera without a row is <see cref="CameraStatus.Unknown"/>.
/// </summary>
public sealed class CameraHealthStore(NpgsqlDataSource db)
{
    public async Task<CameraHealth?> Load(string cameraId)
    {
        var all = await Read("WHERE camera_id = $1", cameraId);
        return all.GetValueOrDefault(cameraId);
    }

    /// <summary>Every recorded camera's health, by camera id.</summary>
    public Task<Dictionary<string, CameraHealth>> All() => Read("", null);

    public async Task Save(string cameraId, CameraHealth health, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_camera_health (camera_id, status, since, last_seen_at, last_frame_at, reason, failures, failing_since, alarm, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (camera_id) DO UPDATE SET status = excluded.status, since = excluded.since,
                last_seen_at = excluded.last_seen_at, last_frame_at = excluded.last_frame_at, reason = excluded.reason,
                failures = excluded.failures, failing_since = excluded.failing_since, alarm = excluded.alarm,
                updated_at = excluded.updated_at
            """);
        cmd.Parameters.Add(new() { Value = cameraId });
        cmd.Parameters.Add(new() { Value = Json.Word(health.Status) });
        cmd.Parameters.Add(new() { Value = (object?)health.Since ?? DBNull.Value, DataTypeName = "timestamptz" });
        cmd.Parameters.Add(new() { Value = (object?)health.LastSeenAt ?? DBNull.Value, DataTypeName = "timestamptz" });
        cmd.Parameters.Add(new() { Value = (object?)health.LastFrameAt ?? DBNull.Value, DataTypeName = "timestamptz" });
        cmd.Parameters.Add(new() { Value = (object?)health.Reason ?? DBNull.Value, DataTypeName = "text" });
        cmd.Parameters.Add(new() { Value = health.Failures });
        cmd.Parameters.Add(new() { Value = (object?)health.FailingSince ?? DBNull.Value, DataTypeName = "timestamptz" });
        cmd.Parameters.Add(new() { Value = (object?)health.Alarm ?? DBNull.Value, DataTypeName = "uuid" });
        cmd.Parameters.Add(new() { Value = now });
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<Dictionary<string, CameraHealth>> Read(string where, string? cameraId)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT camera_id, status, since, last_seen_at, last_frame_at, reason, failures, failing_since, alarm
            FROM cc_camera_health {where}
            """);
        if (cameraId is not null)
            cmd.Parameters.Add(new() { Value = cameraId });
        await using var reader = await cmd.ExecuteReaderAsync();
        var health = new Dictionary<string, CameraHealth>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            health[reader.GetString(0)] = new CameraHealth(
                Enum.Parse<CameraStatus>(reader.GetString(1), ignoreCase: true),
                Time(reader, 2), Time(reader, 3), Time(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                Time(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetGuid(8));
        }
        return health;
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);
}
