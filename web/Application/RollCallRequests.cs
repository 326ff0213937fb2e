using CommandCenter.RollCalls;

namespace CommandCenter.Web.Application;

/// <summary>
/// Starting a video roll call (视频点名): <c>{ stations: [codes], answerWithin?: seconds (10–600, 60), title? }</c>;
/// in a command session (<c>POST /api/command-sessions/{id}/roll-calls</c>) or on its own (<c>POST /api/roll-calls</c>).
/// </summary>
public sealed record RollCallRequest(IReadOnlyList<string> Stations, TimeSpan AnswerWithin, string? Title) : IRequestContract<RollCallRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static RollCallRequest Read(JsonFields body)
    {
        var stations = body.TextList("stations", RollCallRules.MaxStations, 64);
        if (stations is { Count: 0 })
            body.Fail("stations", "Name at least one station.");
        var seconds = body.Has("answerWithin")
            ? body.Integer("answerWithin", (int)RollCallRules.MinAnswerWithin.TotalSeconds, (int)RollCallRules.MaxAnswerWithin.TotalSeconds)
            : null;
        var title = body.OptionalText("title", RollCallRules.MaxTitleLength);
        return new((stations ?? []).Distinct(StringComparer.Ordinal).ToList(),
            seconds is { } s ? TimeSpan.FromSeconds(s) : RollCallRules.DefaultAnswerWithin, title);
    }
}

/// <summary>A station's page says which of its stations it rings or joins for: <c>{ station? }</c> (needed only when one's account covers several called stations).</summary>
public sealed record RollCallStationRequest(string? Station) : IRequestContract<RollCallStationRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static bool MayBeEmpty => true;

    public static RollCallStationRequest Read(JsonFields body) => new(body.OptionalText("station", 64));
}
