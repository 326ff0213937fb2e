namespace CommandCenter.Web.Video;

/// <summary>
/// What we share with Janus: the token secret (we sign the tokens it accepts), the VideoRoom admin key (only we create
/// rooms) and the events secret (only Janus posts to /api/video/events). Each from its option, else from the secrets file.
/// </summary>
public sealed record JanusSecrets(string TokenSecret, string RoomAdminKey, string EventsSecret)
{
    public static JanusSecrets Load(VideoOptions options)
    {
        var file = options.SecretsFile is { Length: > 0 } path
            ? File.ReadAllLines(path).Select(line => line.Split('=', 2)).Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.Ordinal)
            : [];
        string Secret(string? option, string key) =>
            option is { Length: > 0 } given ? given
            : file.TryGetValue(key, out var value) && value.Length > 0 ? value
            : throw new InvalidOperationException($"CommandCenter:Video needs {key} (an option, or a line of {options.SecretsFile ?? "the SecretsFile"}).");
        return new JanusSecrets(Secret(options.TokenSecret, "JANUS_TOKEN_SECRET"), Secret(options.RoomAdminKey, "JANUS_ROOM_ADMIN_KEY"),
            Secret(options.EventsSecret, "JANUS_EVENTS_SECRET"));
    }
}
