namespace CommandCenter.Web.Application;

/// <summary>Joining a session's video conference: <c>{ station? }</c>, the station one joins for (needed only when one's account covers several of its participants).</summary>
public sealed record JoinConferenceRequest(string? Station) : IRequestContract<JoinConferenceRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static bool MayBeEmpty => true;

    public static JoinConferenceRequest Read(JsonFields body) => new(body.OptionalText("station", 64));
}

/// <summary>Giving the floor (发言) in a session's conference: <c>{ station }</c>, one of its participants; null or absent takes it back.</summary>
public sealed record FloorRequest(string? Station) : IRequestContract<FloorRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static bool MayBeEmpty => true;

    public static FloorRequest Read(JsonFields body) => new(body.OptionalText("station", 64));
}

/// <summary>Muting a station in a session's conference: <c>{ station, muted }</c> (<c>muted: false</c> lifts it).</summary>
public sealed record MuteRequest(string Station, bool Muted) : IRequestContract<MuteRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static MuteRequest Read(JsonFields body)
    {
        var station = body.Text("station", 64, required: true);
        var muted = body.Has("muted") ? body.Boolean("muted") : true;
        return new(station ?? "", muted ?? true);
    }
}

/// <summary>What went wrong on a participant's page (no camera, publishing refused): <c>{ reason }</c>, for the session's log.</summary>
public sealed record ConferenceFailureRequest(string Reason) : IRequestContract<ConferenceFailureRequest>
{
    public const int MaxReasonLength = 300;

    public static int MaxBytes => 4 * 1024;

    public static ConferenceFailureRequest Read(JsonFields body) => new(body.Text("reason", MaxReasonLength, required: true) ?? "");
}
