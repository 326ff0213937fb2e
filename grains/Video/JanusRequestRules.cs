using System.Text.Json.Nodes;

namespace CommandCenter.Video;

/// <summary>
/// What one participant's connection may do in the media server, fixed when we admit it (a ticket for one room): its
/// Janus token, the room, who it is (<see cref="Participant"/>: a station's code, or <c>u:</c> and a username), the
/// feed id and display name its publisher gets, whether it may publish, and the opaque id its handles carry (so
/// Janus' events name it).
/// </summary>
public sealed record VideoGrant(string Token, string Room, string Participant, string FeedId, string Display, bool Publish)
{
    public const char Separator = '|';

    /// <summary>What Janus' events carry for this connection's handles: <c>cc|room|participant</c>.</summary>
    public string OpaqueId => string.Join(Separator, "cc", Room, Participant);

    /// <summary>The room and participant of an opaque id we gave, or null for any other.</summary>
    public static (string Room, string Participant)? ReadOpaqueId(string? opaqueId) =>
        opaqueId?.Split(Separator) is ["cc", { Length: > 0 } room, { Length: > 0 } participant] ? (room, participant) : null;
}

/// <summary>
/// The rules of the media-server proxy (/api/video/janus): each request a page sends is checked against its connection's
/// <see cref="VideoGrant"/> and rewritten before it reaches Janus, so a page cannot reach another room, publish without
/// the right, pose as someone else, record, or manage rooms, whatever its script sends. Plain code, unit tested.
/// </summary>
public static class JanusRequestRules
{
    private static readonly HashSet<string> CoreRequests = new(StringComparer.Ordinal)
        { "create", "attach", "message", "trickle", "keepalive", "detach", "hangup", "destroy", "info", "ping" };

    private static readonly HashSet<string> RoomRequests = new(StringComparer.Ordinal)
        { "join", "joinandconfigure", "configure", "publish", "unpublish", "start", "pause", "switch", "leave", "subscribe", "unsubscribe",
          "update", "listparticipants" };

    private static readonly HashSet<string> PublishRequests = new(StringComparer.Ordinal) { "publish", "joinandconfigure" };

    /// <summary>
    /// The request to send on to Janus (a rewritten copy: our token, our opaque id, the grant's room, feed id and
    /// display name), or why it is refused.
    /// </summary>
    public static (JsonObject? Forward, string? Refused) Inspect(JsonObject request, VideoGrant grant)
    {
        var janus = Text(request["janus"]);
        if (janus is null || !CoreRequests.Contains(janus))
            return Refuse($"'{janus}' is not a request a participant may send.");
        var forward = (JsonObject)request.DeepClone();
        forward.Remove("apisecret");
        forward.Remove("admin_secret");
        forward["token"] = grant.Token;
        switch (janus)
        {
            case "attach":
                if (Text(forward["plugin"]) != JanusTokens.VideoRoom)
                    return Refuse("Only the video room may be attached.");
                forward["opaque_id"] = grant.OpaqueId;
                break;
            case "message":
                if (forward["body"] is not JsonObject body)
                    return Refuse("A message needs a body.");
                if (Message(body, forward["jsep"] is not null, grant) is { } refused)
                    return Refuse(refused);
                break;
        }
        return (forward, null);
    }

    private static string? Message(JsonObject body, bool hasJsep, VideoGrant grant)
    {
        var request = Text(body["request"]);
        if (request is null || !RoomRequests.Contains(request))
            return $"'{request}' is not a video-room request a participant may send.";
        if (body["room"] is { } room && Text(room) != grant.Room)
            return "Not your room: your ticket is for another one.";
        foreach (var field in new[] { "record", "filename", "secret", "admin_key", "pin" })
        {
            if (body.ContainsKey(field))
                return $"'{field}' is not for participants.";
        }
        var publishing = PublishRequests.Contains(request) || (request == "configure" && hasJsep)
            || (request == "join" && Text(body["ptype"]) == "publisher" && hasJsep);
        if (publishing && !grant.Publish)
            return "You may watch this conference, not publish in it.";
        if (request is "join" or "joinandconfigure")
        {
            if (body["room"] is null)
                return "Name the room to join.";
            body["token"] = grant.Token;
            if (Text(body["ptype"]) == "publisher")
            {
                body["id"] = grant.FeedId;
                body["display"] = grant.Display;
            }
        }
        if (request is "configure" or "publish" && body.ContainsKey("display"))
            body["display"] = grant.Display;
        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static (JsonObject?, string?) Refuse(string reason) => (null, reason);
}
