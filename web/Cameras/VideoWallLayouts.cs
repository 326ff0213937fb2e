using System.Text.Json;
using Npgsql;

namespace CommandCenter.Web.Cameras;

/// <summary>How the video wall fills its tiles: each by hand, with the cameras of an area, or with those nearest the newest incident.</summary>
public enum VideoWallMode
{
    Manual,
    Area,
    Incident,
}

/// <summary>
/// A person's video wall: <see cref="Tiles"/> (1, 4, 9 or 16), <see cref="Mode"/>, the area for
/// <see cref="VideoWallMode.Area"/>, the cameras chosen per tile for <see cref="VideoWallMode.Manual"/> (null: an empty
/// tile) and how often each tile's snapshot is refreshed.
/// </summary>
public sealed record VideoWallLayout(int Tiles, VideoWallMode Mode, string? Area, IReadOnlyList<string?> Cameras, int IntervalSeconds)
{
    public static readonly int[] TileCounts = [1, 4, 9, 16];
    public const int MinInterval = 1;
    public const int MaxInterval = 5;

    public static VideoWallLayout Default(string? area) => new(9, VideoWallMode.Area, area, [], 2);
}

/// <summary>The video wall layouts in PostgreSQL (<c>cc_video_wall_layout</c>), one per account.</summary>
public sealed class VideoWallLayouts(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<VideoWallLayout?> Of(string accountId)
    {
        await using var cmd = db.CreateCommand("SELECT layout FROM cc_video_wall_layout WHERE account_id = $1");
        cmd.Parameters.Add(new() { Value = accountId });
        return await cmd.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<VideoWallLayout>(json, Json.Options) : null;
    }

    public async Task Save(string accountId, VideoWallLayout layout)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_video_wall_layout (account_id, layout, updated_at) VALUES ($1, $2::jsonb, $3)
            ON CONFLICT (account_id) DO UPDATE SET layout = excluded.layout, updated_at = excluded.updated_at
            """);
        cmd.Parameters.Add(new() { Value = accountId });
        cmd.Parameters.Add(new() { Value = JsonSerializer.Serialize(layout, Json.Options) });
        cmd.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await cmd.ExecuteNonQueryAsync();
    }
}
