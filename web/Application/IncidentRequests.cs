using System.Text.Json;
using CommandCenter.Incidents;

namespace CommandCenter.Web.Application;

/// <summary>A report (事件上报) as a person or an integration sends it.</summary>
public sealed record ReportIncidentRequest(IncidentSource Source, string Category, string Title, string? Description,
    double Lat, double Lng, string? Reporter) : IRequestContract<ReportIncidentRequest>
{
    public static int MaxBytes => 64 * 1024;

    public static ReportIncidentRequest Read(JsonFields body) => new(
        body.Enum<IncidentSource>("source") ?? default,
        body.Text("category", 32, required: true) ?? "",
        body.Text("title", 100, required: true) ?? "",
        body.Text("description", 2000, required: false) ?? "",
        body.Number("lat", -90, 90) ?? 0,
        body.Number("lng", -180, 180) ?? 0,
        body.OptionalText("reporter", 64));
}

/// <summary>
/// The body of a closed-loop action. Each field is checked when present; which ones an action requires is the
/// workflow's rule (<see cref="IncidentService.Act"/>).
/// </summary>
public sealed record ActionRequest(string? Note, IReadOnlyList<Guid>? Attachments, AssigneeKind? TargetKind, string? Target,
    string? HandlingClass, Guid? Into, bool? Effective) : IRequestContract<ActionRequest>
{
    public const int MaxNoteLength = 2000;
    public const int MaxAttachments = 20;

    public static int MaxBytes => 16 * 1024;

    public static bool MayBeEmpty => true;

    public static ActionRequest Read(JsonFields body) => new(
        body.Text("note", MaxNoteLength, required: false),
        body.Has("attachments") ? body.Guids("attachments", MaxAttachments) : null,
        body.Has("targetKind") ? body.Enum<AssigneeKind>("targetKind") : null,
        body.Has("target") ? body.Text("target", 64, required: true) : null,
        body.OptionalText("handlingClass", 64),
        body.Has("into") ? body.Guid("into") : null,
        body.Has("effective") ? body.Boolean("effective") : null);
}

/// <summary>The citizen's rating (评单) through the rating link; the note (the reason) is required when dissatisfied.</summary>
public sealed record RatingRequest(string Token, Rating Rating, string? Note) : IRequestContract<RatingRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static RatingRequest Read(JsonFields body)
    {
        var token = body.Text("token", 64, required: true) ?? "";
        var rating = body.Enum<Rating>("rating");
        var note = body.Text("note", ActionRequest.MaxNoteLength, required: rating == Rating.Dissatisfied);
        return new(token, rating ?? default, string.IsNullOrEmpty(note) ? null : note);
    }
}

/// <summary>The answer to a report; <see cref="RatingLink"/> is the path of the citizen's rating page, for the reporter.</summary>
public sealed record IncidentCreated(Guid Id, string GridCode, IncidentStatus Status, IncidentDetails Incident, string RatingLink);

/// <summary>A report's answer and whether it was stored now (else: the same report again, answered as the first time).</summary>
public sealed record Reported(IncidentCreated Answer, bool IsNew);

/// <summary>An entry of an incident's timeline: one of its events, or of its alerts (sequence 0: not an event of the incident).</summary>
public sealed record TimelineEntry(int Sequence, string Kind, DateTimeOffset At, string Actor, string? ActorRole, JsonElement Data);

public sealed record DuplicateProposal(IncidentDetails Incident, double Meters);

public sealed record Department(string Account, string Name);

/// <summary>
/// The filters of an incident list (<c>GET /api/incidents</c>, <c>GET /api/incidents/export.xlsx</c>) as they come in
/// the query; <see cref="Notable"/> (supervised, reopened, dissatisfied) with the China days <see cref="From"/> to
/// <see cref="To"/> keeps the cases it happened to in that period.
/// </summary>
public sealed record IncidentListQuery(string? Jurisdiction, string? Status, string? Category, string? Source, bool? Overdue,
    bool? Supervised, DateTimeOffset? Before, int? Limit, string? Notable = null, string? From = null, string? To = null);

/// <summary>The rules the console shows: statuses with their allowed actions, handling classes and the step terms.</summary>
public sealed record WorkflowView(
    IReadOnlyDictionary<string, IReadOnlyList<IncidentAction>> Allowed,
    IReadOnlyDictionary<string, string> HandlingClasses,
    IReadOnlyDictionary<string, string> Steps,
    int MaxReopens,
    double DuplicateRadiusMeters,
    TimeSpan DuplicateWindow);
