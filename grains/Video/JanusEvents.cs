using System.Text.Json;

namespace CommandCenter.Video;

/// <summary>What the media server's events tell us, read by <see cref="JanusEvents.Read"/>.</summary>
public abstract record VideoEvent(string Room, string Participant, DateTimeOffset At);

/// <summary>A publisher joined a room (its feed id is ours: the participant, '#', a nonce; the display name is ours too).</summary>
public sealed record FeedJoined(string Room, string Participant, DateTimeOffset At, string Feed, string Display) : VideoEvent(Room, Participant, At);

/// <summary>A publisher published its streams.</summary>
public sealed record FeedPublished(string Room, string Participant, DateTimeOffset At, string Feed, string? AudioMid) : VideoEvent(Room, Participant, At);

/// <summary>A publisher left the room (left, unpublished and gone, or was kicked).</summary>
public sealed record FeedLeft(string Room, string Participant, DateTimeOffset At, string Feed) : VideoEvent(Room, Participant, At);

/// <summary>The media server received the first video of a participant's connection (Janus: media "receiving": true).</summary>
public sealed record VideoReceived(string Room, string Participant, DateTimeOffset At) : VideoEvent(Room, Participant, At);

/// <summary>A participant's connection failed to set up its media (ICE failed).</summary>
public sealed record MediaFailed(string Room, string Participant, DateTimeOffset At) : VideoEvent(Room, Participant, At);

/// <summary>
/// Reads what Janus' sample event handler posts (one event, or an array of them with grouping): VideoRoom plugin
/// events (type 64) of joins, publishes and leaves, media events (type 32) of video starting to arrive, and WebRTC
/// events (type 16) of ICE failing. Only feeds and handles we admitted count (our feed ids, our opaque ids:
/// <see cref="VideoGrant"/>); the time is Janus' own (its "timestamp", microseconds since the epoch).
/// </summary>
public static class JanusEvents
{
    public const int WebRtc = 16;
    public const int Media = 32;
    public const int Plugin = 64;

    public static IReadOnlyList<VideoEvent> Read(JsonElement posted)
    {
        var events = new List<VideoEvent>();
        foreach (var e in posted.ValueKind == JsonValueKind.Array ? posted.EnumerateArray().ToList() : [posted])
        {
            if (e.ValueKind == JsonValueKind.Object && ReadOne(e) is { } read)
                events.Add(read);
        }
        return events;
    }

    /// <summary>The participant a feed id of ours names (what comes before its last '#'), or null.</summary>
    public static string? ParticipantOf(string? feed) =>
        feed is not null && feed.LastIndexOf('#') is > 0 and var at ? feed[..at] : null;

    private static VideoEvent? ReadOne(JsonElement e)
    {
        if (!e.TryGetProperty("type", out var typeValue) || !typeValue.TryGetInt32(out var type)
            || !e.TryGetProperty("timestamp", out var stamp) || !stamp.TryGetInt64(out var micros)
            || !e.TryGetProperty("event", out var body) || body.ValueKind != JsonValueKind.Object)
            return null;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000);
        switch (type)
        {
            case Plugin when Text(body, "plugin") == JanusTokens.VideoRoom && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object:
                var room = Text(data, "room");
                var feed = Text(data, "id");
                if (room is null || ParticipantOf(feed) is not { } participant)
                    return null;
                return Text(data, "event") switch
                {
                    "joined" => new FeedJoined(room, participant, at, feed!, Text(data, "display") ?? participant),
                    "published" => new FeedPublished(room, participant, at, feed!, AudioMid(data)),
                    "leaving" or "unpublished" or "kicked" => new FeedLeft(room, participant, at, feed!),
                    _ => null,
                };
            case Media when Text(body, "media") == "video" && body.TryGetProperty("receiving", out var receiving) && receiving.ValueKind == JsonValueKind.True:
                return VideoGrant.ReadOpaqueId(Text(e, "opaque_id")) is var (mediaRoom, mediaParticipant) ? new VideoReceived(mediaRoom, mediaParticipant, at) : null;
            case WebRtc when Text(body, "ice") == "failed":
                return VideoGrant.ReadOpaqueId(Text(e, "opaque_id")) is var (iceRoom, iceParticipant) ? new MediaFailed(iceRoom, iceParticipant, at) : null;
            default:
                return null;
        }
    }

    private static string? AudioMid(JsonElement data)
    {
        if (!data.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
            return null;
        return streams.EnumerateArray().Where(s => Text(s, "type") == "audio").Select(s => Text(s, "mid")).FirstOrDefault(mid => mid is not null);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
