using System.Text.Json;
using CommandCenter.Command;

namespace CommandCenter.Web.Application;

/// <summary>
/// Opening a command session: <c>{ title, incident?, incidents?, area, level, participants[] }</c>; <c>incident</c> (one)
/// and <c>incidents</c> (several) name the incidents it is for, <c>participants</c> the township and village stations.
/// </summary>
public sealed record OpenSessionRequest(string Title, string Area, CommandLevel Level, IReadOnlyList<Guid> Incidents, IReadOnlyList<string> Participants)
    : IRequestContract<OpenSessionRequest>
{
    public const int MaxTitleLength = 200;
    public const int MaxParticipants = 200;
    public const int MaxIncidents = 20;

    public static int MaxBytes => 32 * 1024;

    public static OpenSessionRequest Read(JsonFields body)
    {
        var title = body.Text("title", MaxTitleLength, required: true);
        var area = body.Text("area", 64, required: true);
        var level = body.Enum<CommandLevel>("level");
        IReadOnlyList<Guid> incidents = body.Has("incident") ? body.Guid("incident") is { } one ? [one] : []
            : body.Has("incidents") ? body.Guids("incidents", MaxIncidents) ?? [] : [];
        var participants = body.TextList("participants", MaxParticipants, 64);
        return new(title ?? "", area ?? "", level ?? default, incidents.Distinct().ToList(),
            participants?.Distinct(StringComparer.Ordinal).ToList() ?? []);
    }
}

/// <summary>Closing a command session: <c>{ summary }</c>.</summary>
public sealed record CloseSessionRequest(string Summary) : IRequestContract<CloseSessionRequest>
{
    public const int MaxSummaryLength = 4000;

    public static int MaxBytes => 32 * 1024;

    public static CloseSessionRequest Read(JsonFields body) => new(body.Text("summary", MaxSummaryLength, required: true) ?? "");
}

/// <summary>
/// An instruction: <c>{ text, recipients[], ackWithin?, reportWithin?, broadcast? }</c>. Recipients are station codes
/// (townships, villages); with <c>broadcast: true</c> each code stands for every station in it (the county: all its
/// townships and villages). <c>ackWithin</c> and <c>reportWithin</c> are minutes (defaults 5 and 30). In a session an
/// empty list goes to the session's participants.
/// </summary>
public sealed record IssueInstructionRequest(string Text, IReadOnlyList<string> Recipients, TimeSpan SignWithin, TimeSpan ReportWithin, bool Broadcast)
    : IRequestContract<IssueInstructionRequest>
{
    public const int MaxTextLength = 2000;
    public const int MaxRecipients = 500;

    public static int MaxBytes => 32 * 1024;

    public static IssueInstructionRequest Read(JsonFields body)
    {
        var text = body.Text("text", MaxTextLength, required: true);
        var recipients = body.Has("recipients") ? body.TextList("recipients", MaxRecipients, 64) : [];
        var sign = body.Has("ackWithin") ? body.Integer("ackWithin", 1, InstructionRules.MaxSignMinutes) : null;
        var report = body.Has("reportWithin") ? body.Integer("reportWithin", 1, InstructionRules.MaxReportMinutes) : null;
        var signWithin = sign is { } s ? TimeSpan.FromMinutes(s) : InstructionRules.DefaultSignWithin;
        var reportWithin = report is { } r ? TimeSpan.FromMinutes(r) : InstructionRules.DefaultReportWithin;
        if (body.IsValid && reportWithin < signWithin)
            body.Fail("reportWithin", $"Not shorter than ackWithin ({signWithin.TotalMinutes:0} minutes).");
        var broadcast = body.Has("broadcast") && body.Boolean("broadcast") == true;
        return new(text ?? "", recipients?.Distinct(StringComparer.Ordinal).ToList() ?? [], signWithin, reportWithin, broadcast);
    }
}

/// <summary>签收: <c>{ recipient? }</c>, the station signed for (needed only when one's account covers several recipients).</summary>
public sealed record SignInstructionRequest(string? Recipient) : IRequestContract<SignInstructionRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static bool MayBeEmpty => true;

    public static SignInstructionRequest Read(JsonFields body) => new(body.OptionalText("recipient", 64));
}

/// <summary>回执: <c>{ text, lat?, lng?, done?, recipient? }</c>; <c>done: true</c> when the task is done.</summary>
public sealed record ReportInstructionRequest(string Text, double? Lat, double? Lng, bool Done, string? Recipient)
    : IRequestContract<ReportInstructionRequest>
{
    public const int MaxTextLength = 4000;

    public static int MaxBytes => 16 * 1024;

    public static ReportInstructionRequest Read(JsonFields body)
    {
        var text = body.Text("text", MaxTextLength, required: true);
        var lat = body.Has("lat") ? body.Number("lat", -90, 90) : null;
        var lng = body.Has("lng") ? body.Number("lng", -180, 180) : null;
        if (lat.HasValue != lng.HasValue)
            body.Fail(lat.HasValue ? "lng" : "lat", "Give both lat and lng, or neither.");
        return new(text ?? "", lat, lng, body.Has("done") && body.Boolean("done") == true, body.OptionalText("recipient", 64));
    }
}

/// <summary>催办: <c>{ recipient }</c>, the station reminded.</summary>
public sealed record RemindInstructionRequest(string Recipient) : IRequestContract<RemindInstructionRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static RemindInstructionRequest Read(JsonFields body) => new(body.Text("recipient", 64, required: true) ?? "");
}

/// <summary>
/// Markup (标绘) on the session's map: <c>{ kind: line | circle | polygon, points: [[lat, lng], …], radius?, label }</c>;
/// a circle has one point (its centre) and a radius in metres.
/// </summary>
public sealed record MarkupRequest(MarkupKind Kind, IReadOnlyList<MarkupPoint> Points, double? Radius, string Label) : IRequestContract<MarkupRequest>
{
    public static int MaxBytes => 64 * 1024;

    public static MarkupRequest Read(JsonFields body)
    {
        var kind = body.Enum<MarkupKind>("kind");
        var label = body.Text("label", SessionRules.MaxLabelLength, required: true);
        var radius = body.Has("radius") ? body.Number("radius", 0, SessionRules.MaxRadiusMetres) : null;
        var points = ReadPoints(body);
        if (body.IsValid && kind is { } k && SessionRules.ShapeError(k, points, radius) is var (field, message))
            body.Fail(field, message);
        return new(kind ?? default, points, radius, label ?? "");
    }

    private static List<MarkupPoint> ReadPoints(JsonFields body)
    {
        var points = new List<MarkupPoint>();
        if (!body.Root.TryGetProperty("points", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            body.Fail("points", "Required: [[lat, lng], …].");
            return points;
        }
        if (list.GetArrayLength() > SessionRules.MaxMarkupPoints)
        {
            body.Fail("points", $"At most {SessionRules.MaxMarkupPoints}.");
            return points;
        }
        var i = 0;
        foreach (var pair in list.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.Number || pair[1].ValueKind != JsonValueKind.Number
                || !pair[0].TryGetDouble(out var lat) || !pair[1].TryGetDouble(out var lng))
            {
                body.Fail($"points[{i}]", "[lat, lng], two numbers.");
                return points;
            }
            points.Add(new MarkupPoint(lat, lng));
            i++;
        }
        return points;
    }
}

/// <summary>What a session shares with its participants from now on: <c>{ incidents?: [ids], cameras?: [ids] }</c>, at least one.</summary>
public sealed record ShareRequest(IReadOnlyList<Guid> Incidents, IReadOnlyList<string> Cameras) : IRequestContract<ShareRequest>
{
    public const int MaxItems = 50;

    public static int MaxBytes => 16 * 1024;

    public static ShareRequest Read(JsonFields body)
    {
        var incidents = body.Has("incidents") ? body.Guids("incidents", MaxItems) ?? [] : [];
        var cameras = body.Has("cameras") ? body.TextList("cameras", MaxItems, SessionRules.MaxCodeLength) ?? [] : [];
        if (body.IsValid && incidents.Count + cameras.Count == 0)
            body.Fail("incidents", "Name at least one incident or camera to share.");
        return new(incidents.Distinct().ToList(), cameras.Distinct(StringComparer.Ordinal).ToList());
    }
}
