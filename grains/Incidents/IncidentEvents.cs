using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommandCenter.Incidents;

/// <summary>The data of a <see cref="IncidentEventKinds.Reported"/> event; the fingerprint tells a retry from a reused key.</summary>
public sealed record ReportedData(ReportIncident Report, string Fingerprint, Deadline? Deadline = null);

/// <summary>
/// The data of every event but the report: what the event sets (null: unchanged or not applicable). Deadlines are
/// computed when the event is made and stored with it, so the history folds to the same state after a calendar edit.
/// </summary>
public sealed record IncidentChange(
    string? Note = null,
    IReadOnlyList<Guid>? Attachments = null,
    Assignee? Assignee = null,
    string? Level = null,
    string? HandlingClass = null,
    Deadline? Deadline = null,
    Supervision? Supervision = null,
    Rating? Rating = null,
    Assessment? Assessment = null,
    Guid? Incident = null,
    Guid? Attachment = null,
    string? MediaType = null,
    string? Request = null,
    IncidentAction? Action = null,
    string? GridCode = null,
    IReadOnlyList<string>? Path = null);

/// <summary>An incident's state as the fold of its events: plain code, so that the rules are tested without a grain.</summary>
public sealed record IncidentHistory(IncidentDetails? Details, string? ReportFingerprint, int LastSequence)
{
    private static readonly JsonSerializerOptions EventJson = new(Json.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static readonly IncidentHistory Empty = new(null, null, 0);

    /// <summary>The actions done so far, by request key (for retries).</summary>
    public IReadOnlyDictionary<string, IncidentAction> Requests { get; private init; } = new Dictionary<string, IncidentAction>();

    /// <summary>Attachments on the timeline so far.</summary>
    public IReadOnlySet<Guid> Attachments { get; private init; } = new HashSet<Guid>();

    public static IncidentHistory Of(Guid id, IEnumerable<IncidentEvent> events) =>
        events.Aggregate(Empty, (history, e) => history.Apply(id, e));

    public IncidentHistory Apply(Guid id, IncidentEvent e)
    {
        if (e.Sequence != LastSequence + 1)
            throw new InvalidOperationException($"Incident {id}: event {e.Sequence} follows {LastSequence}.");
        if (e.Kind == IncidentEventKinds.Reported)
            return Reported(id, e);
        var details = Details ?? throw new InvalidOperationException($"Incident {id}: event {e.Sequence} ({e.Kind}) before the report.");
        var change = JsonSerializer.Deserialize<IncidentChange>(e.Data, EventJson)!;
        var next = Fold(details, e, change) with { UpdatedAt = e.At };
        var requests = Requests;
        if (change is { Request: { } request, Action: { } action })
            requests = new Dictionary<string, IncidentAction>(Requests) { [request] = action };
        var attachments = Attachments;
        if (e.Kind == IncidentEventKinds.Attached && change.Attachment is { } attachment)
            attachments = new HashSet<Guid>(Attachments) { attachment };
        return this with { Details = next, LastSequence = e.Sequence, Requests = requests, Attachments = attachments };
    }

    /// <summary>The next event of this incident, with its data as stored.</summary>
    public IncidentEvent Next(string kind, DateTimeOffset at, string actor, string? actorRole, IncidentChange change) =>
        new(LastSequence + 1, kind, at, actor, actorRole, Data(change));

    /// <summary>An event's data as stored.</summary>
    public static string Data(IncidentChange change) => JsonSerializer.Serialize(change, EventJson);

    /// <summary>The first event of a new incident.</summary>
    public static IncidentEvent NewReport(ReportIncident report, DateTimeOffset at, Deadline? deadline = null) =>
        new(1, IncidentEventKinds.Reported, at, report.ReportedBy, report.ReporterRole,
            JsonSerializer.Serialize(new ReportedData(report, Fingerprint(report), deadline), EventJson));

    /// <summary>What makes two reports "the same" for idempotency: everything but the path, which the edge derives.</summary>
    public static string Fingerprint(ReportIncident report) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(report with { Path = [] }, Json.Options)));

    private IncidentHistory Reported(Guid id, IncidentEvent e)
    {
        var data = JsonSerializer.Deserialize<ReportedData>(e.Data, EventJson)!;
        var r = data.Report;
        var details = new IncidentDetails(id, r.Source, r.Category, r.Title, r.Description, r.Latitude, r.Longitude,
            r.Reporter, r.GridCode, r.Path, IncidentStatus.Reported, e.At) { Deadline = data.Deadline };
        return new IncidentHistory(details, data.Fingerprint, e.Sequence);
    }

    private static IncidentDetails Fold(IncidentDetails d, IncidentEvent e, IncidentChange c) => e.Kind switch
    {
        IncidentEventKinds.Verified => Step(d, IncidentStatus.Verified, c.Deadline),
        IncidentEventKinds.Rejected => Close(d, IncidentStatus.Rejected, e.At),
        IncidentEventKinds.Merged => Close(d, IncidentStatus.Merged, e.At) with { MergedInto = c.Incident },
        IncidentEventKinds.Linked => d with { Duplicates = [.. d.Duplicates, c.Incident!.Value] },
        IncidentEventKinds.Resolved => Close(d, IncidentStatus.FedBack, e.At) with { Feedback = c.Note, FirstClosedAt = d.FirstClosedAt ?? e.At },
        IncidentEventKinds.Ticketed => Step(d, IncidentStatus.Ticketed, c.Deadline) with { HandlingClass = c.HandlingClass },
        IncidentEventKinds.Dispatched => Step(d, IncidentStatus.Dispatched, c.Deadline) with { Assignee = c.Assignee, Level = c.Level ?? d.Level },
        IncidentEventKinds.Accepted => Step(d, IncidentStatus.Accepted, c.Deadline),
        IncidentEventKinds.Taken => Step(d, IncidentStatus.Accepted, c.Deadline) with
        {
            Assignee = c.Assignee, HandlingClass = c.HandlingClass ?? d.HandlingClass,
        },
        IncidentEventKinds.Handled => Step(d, IncidentStatus.Handled, c.Deadline),
        IncidentEventKinds.FedBack => Close(d, IncidentStatus.FedBack, e.At) with { Feedback = c.Note, FirstClosedAt = d.FirstClosedAt ?? e.At },
        IncidentEventKinds.FeedbackShared => d with { Feedback = c.Note },
        IncidentEventKinds.Rated => d with { Status = IncidentStatus.Rated, Rating = c.Rating },
        IncidentEventKinds.Reopened => Step(d, IncidentStatus.Accepted, c.Deadline) with { Reopens = d.Reopens + 1, ClosedAt = null },
        IncidentEventKinds.Assessed => d with { Status = IncidentStatus.Assessed, Assessment = c.Assessment },
        IncidentEventKinds.Escalated => Step(d, IncidentStatus.Ticketed, c.Deadline) with
        {
            Level = c.Level!, Assignee = null, ClosedAt = null, Reopens = c.Rating == Rating.Dissatisfied ? d.Reopens + 1 : d.Reopens,
        },
        IncidentEventKinds.Overdue => d with { Overdue = true, EverOverdue = true, Supervision = c.Supervision },
        IncidentEventKinds.SupervisionEscalated => d with { Supervision = c.Supervision },
        IncidentEventKinds.Moved => d with
        {
            GridCode = c.GridCode!, Path = c.Path!, Level = c.Level ?? d.Level, Assignee = c.Assignee ?? d.Assignee, Supervision = c.Supervision ?? d.Supervision,
        },
        IncidentEventKinds.Attached or IncidentEventKinds.CameraRecovered => d,
        _ => throw new InvalidOperationException($"Incident {d.Id}: unknown event kind '{e.Kind}' at {e.Sequence}."),
    };

    /// <summary>A move within the open part of the loop. A new deadline ends the supervision of the old one.</summary>
    private static IncidentDetails Step(IncidentDetails d, IncidentStatus status, Deadline? deadline) =>
        deadline == d.Deadline
            ? d with { Status = status }
            : d with { Status = status, Deadline = deadline, Overdue = false, Supervision = null };

    private static IncidentDetails Close(IncidentDetails d, IncidentStatus status, DateTimeOffset at) =>
        d with { Status = status, Deadline = null, Overdue = false, Supervision = null, ClosedAt = at };
}
