using CommandCenter.Access;

namespace CommandCenter.Incidents;

/// <summary>Where a report came from (事件来源).</summary>
public enum IncidentSource
{
    /// <summary>网格员上报</summary>
    GridWorker,
    /// <summary>12345 热线工单</summary>
    Hotline12345,
    /// <summary>信访</summary>
    Petition,
    /// <summary>群众小程序 (一键直达)</summary>
    MiniProgram,
    /// <summary>摄像头告警</summary>
    CameraAlarm,
    /// <summary>公安转办</summary>
    Police,
}

/// <summary>The sources' Chinese names, as pages, reports and exports show them.</summary>
public static class IncidentSources
{
    public static string Name(IncidentSource source) => source switch
    {
        IncidentSource.GridWorker => "网格员上报",
        IncidentSource.Hotline12345 => "12345热线",
        IncidentSource.Petition => "信访",
        IncidentSource.MiniProgram => "群众小程序",
        IncidentSource.CameraAlarm => "摄像头告警",
        IncidentSource.Police => "公安",
        _ => source.ToString(),
    };
}

/// <summary>
/// A report accepted at the edge and located in its grid; <see cref="Path"/> runs from the grid up to the county.
/// <see cref="ReportedBy"/> is the caller that sent it (a person's or an integration's id) and <see cref="ReporterRole"/> its role.
/// With <see cref="Audit"/> the report's audit row is written in the same commit as the report.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReportIncident(
    [property: Id(0)] IncidentSource Source,
    [property: Id(1)] string Category,
    [property: Id(2)] string Title,
    [property: Id(3)] string Description,
    [property: Id(4)] double Latitude,
    [property: Id(5)] double Longitude,
    [property: Id(6)] string? Reporter,
    [property: Id(7)] string GridCode,
    [property: Id(8)] IReadOnlyList<string> Path,
    [property: Id(9)] string ReportedBy,
    [property: Id(10)] string? ReporterRole,
    [property: Id(11)] AuditedBy? Audit = null);

/// <summary>
/// Whom a case is dispatched to: a grid person (worker id), a level on its path (jurisdiction code)
/// or a functional department (its account).
/// </summary>
public enum AssigneeKind
{
    Worker,
    Jurisdiction,
    Department,
}

[GenerateSerializer, Immutable]
public sealed record Assignee([property: Id(0)] AssigneeKind Kind, [property: Id(1)] string Id, [property: Id(2)] string Name);

/// <summary>When the running step is due.</summary>
[GenerateSerializer, Immutable]
public sealed record Deadline([property: Id(0)] DeadlineStep Step, [property: Id(1)] DateTimeOffset Due);

/// <summary>
/// An open supervision (督办): the level <see cref="By"/> presses the responsible level about the missed
/// <see cref="Step"/> until <see cref="Due"/>; a miss opens round <see cref="Round"/> + 1 one level further up.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Supervision(
    [property: Id(0)] string By,
    [property: Id(1)] DeadlineStep Step,
    [property: Id(2)] DateTimeOffset OpenedAt,
    [property: Id(3)] DateTimeOffset Due,
    [property: Id(4)] int Round);

/// <summary>The per-case assessment (考单).</summary>
[GenerateSerializer, Immutable]
public sealed record Assessment([property: Id(0)] bool OnTime, [property: Id(1)] bool Satisfied, [property: Id(2)] bool Effective);

/// <summary>What a wall needs to draw and list an incident; carried in feed entries.</summary>
[GenerateSerializer, Immutable]
public sealed record IncidentSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] IncidentSource Source,
    [property: Id(2)] string Category,
    [property: Id(3)] string Title,
    [property: Id(4)] double Latitude,
    [property: Id(5)] double Longitude,
    [property: Id(6)] string GridCode,
    [property: Id(7)] IncidentStatus Status,
    [property: Id(8)] DateTimeOffset ReportedAt,
    [property: Id(9)] string? Level = null,
    [property: Id(10)] bool Overdue = false,
    [property: Id(11)] string? SupervisedBy = null,
    [property: Id(12)] DateTimeOffset? Due = null);

/// <summary>
/// An incident as its history leaves it. <see cref="Level"/> is the jurisdiction responsible now (the grid at first;
/// the county for cases with a department); <see cref="Overdue"/> says the running step's deadline has passed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IncidentDetails(
    [property: Id(0)] Guid Id,
    [property: Id(1)] IncidentSource Source,
    [property: Id(2)] string Category,
    [property: Id(3)] string Title,
    [property: Id(4)] string Description,
    [property: Id(5)] double Latitude,
    [property: Id(6)] double Longitude,
    [property: Id(7)] string? Reporter,
    [property: Id(8)] string GridCode,
    [property: Id(9)] IReadOnlyList<string> Path,
    [property: Id(10)] IncidentStatus Status,
    [property: Id(11)] DateTimeOffset ReportedAt)
{
    [Id(12)] public string Level { get; init; } = GridCode;
    [Id(13)] public Assignee? Assignee { get; init; }
    [Id(14)] public string? HandlingClass { get; init; }
    [Id(15)] public Deadline? Deadline { get; init; }
    [Id(16)] public bool Overdue { get; init; }
    /// <summary>Whether any deadline of the case was ever missed (for the assessment's "on time").</summary>
    [Id(17)] public bool EverOverdue { get; init; }
    [Id(18)] public Supervision? Supervision { get; init; }
    [Id(19)] public int Reopens { get; init; }
    [Id(20)] public Guid? MergedInto { get; init; }
    [Id(21)] public IReadOnlyList<Guid> Duplicates { get; init; } = [];
    [Id(22)] public string? Feedback { get; init; }
    [Id(23)] public Rating? Rating { get; init; }
    [Id(24)] public Assessment? Assessment { get; init; }
    [Id(25)] public DateTimeOffset UpdatedAt { get; init; } = ReportedAt;
    [Id(26)] public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>When the case was first closed with feedback (办结: on the spot, or fed back); a reopening keeps it.</summary>
    [Id(27)] public DateTimeOffset? FirstClosedAt { get; init; }

    /// <summary>What may be done next (the workflow's answer for <see cref="Status"/>).</summary>
    public IReadOnlyList<IncidentAction> Allowed => IncidentWorkflow.Allowed(Status);

    public IncidentSummary ToSummary() =>
        new(Id, Source, Category, Title, Latitude, Longitude, GridCode, Status, ReportedAt, Level, Overdue, Supervision?.By, Deadline?.Due);
}

[GenerateSerializer]
public enum ReportOutcome
{
    /// <summary>First time this report was seen: stored now.</summary>
    Created,
    /// <summary>The same idempotency key and the same content were seen before: the stored incident is returned.</summary>
    Replayed,
    /// <summary>The idempotency key was already used for a different report.</summary>
    KeyReused,
}

[GenerateSerializer, Immutable]
public sealed record ReportResult([property: Id(0)] ReportOutcome Outcome, [property: Id(1)] IncidentDetails Incident);

/// <summary>
/// One action on an incident by <see cref="Caller"/>; <see cref="RequestKey"/> makes it safe to retry.
/// <see cref="Effective"/> is the assessor's judgement (考单); on time and satisfied come from the record.
/// With <see cref="Audit"/> the action's audit row is written in the same commit as the action.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IncidentCommand(
    [property: Id(0)] IncidentAction Action,
    [property: Id(1)] Caller Caller,
    [property: Id(2)] string RequestKey,
    [property: Id(3)] string? Note = null,
    [property: Id(4)] IReadOnlyList<Guid>? Attachments = null,
    [property: Id(5)] Assignee? Target = null,
    [property: Id(6)] string? HandlingClass = null,
    [property: Id(7)] Rating? Rating = null,
    [property: Id(8)] bool? Effective = null,
    [property: Id(9)] Guid? Into = null,
    [property: Id(10)] AuditedBy? Audit = null);

[GenerateSerializer]
public enum ActionOutcome
{
    /// <summary>Done now.</summary>
    Done,
    /// <summary>This request (same key, same action) was done before: the current state is returned.</summary>
    Replayed,
    /// <summary>There is no such incident.</summary>
    NotFound,
    /// <summary>The action is not allowed in the current status (409; the incident says which are).</summary>
    NotAllowedNow,
    /// <summary>The request key was already used for another action.</summary>
    KeyReused,
    /// <summary>The caller may not do this to this case (not its assignee, or the case lies above the caller's level).</summary>
    NotYours,
    /// <summary>A value of the command does not fit this case (<see cref="ActionResult.Field"/> names it).</summary>
    Invalid,
}

[GenerateSerializer, Immutable]
public sealed record ActionResult(
    [property: Id(0)] ActionOutcome Outcome,
    [property: Id(1)] IncidentDetails? Incident,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Message = null);

/// <summary>One incident (事件) and its closed-loop workflow. Keyed by a GUID derived from the report's idempotency key.</summary>
public interface IIncidentGrain : IGrainWithGuidKey
{
    /// <summary>Stores the report and its entries on the feeds of its grid and every ancestor in one commit. Safe to retry.</summary>
    Task<ReportResult> Report(ReportIncident report);

    Task<IncidentDetails?> Get();

    /// <summary>The incident's history, oldest first (empty when there is no such incident).</summary>
    Task<IReadOnlyList<IncidentEvent>> Timeline();

    /// <summary>Applies a workflow action: it and its feed entries in one commit, before the answer. Safe to retry with the same key.</summary>
    Task<ActionResult> Act(IncidentCommand command);

    /// <summary>Records that <paramref name="duplicate"/> was merged into this case (idempotent).</summary>
    Task Link(Guid duplicate, string actor);

    /// <summary>The case a duplicate was merged into passes its feedback on, for this report's reporter (idempotent).</summary>
    Task ShareFeedback(Guid primary, string feedback);

    /// <summary>
    /// Records a photo stored for this incident on its timeline, by whom (a person, or "camera:ID" for evidence);
    /// idempotent by attachment id.
    /// </summary>
    Task<bool> Attach(Guid attachment, string mediaType, string actor, string? actorRole);

    /// <summary>
    /// Looks at the running deadline now (what the deadline sweep does when the case's review time has come). One commit;
    /// a review not answered within 5 s (instead of Orleans' 30 s: a call lost while a restarted cluster settles) counts
    /// as failed, and the case stays due for the next sweep.
    /// </summary>
    [ResponseTimeout("00:00:05")]
    Task ReviewDeadlines();

    /// <summary>
    /// Moves the case to a grid of the current tree, with that grid's path (a re-import dropped or moved its grid),
    /// recorded as a <see cref="IncidentEventKinds.Moved"/> event by <paramref name="actor"/>. False when it is there
    /// already, or there is no such case or grid.
    /// </summary>
    Task<bool> Move(string gridCode, string actor);

    /// <summary>Records on a camera-offline case's timeline that its camera is back (<paramref name="actor"/>: "camera:ID").</summary>
    Task CameraRecovered(string actor, string note);
}

/// <summary>The step of the loop a deadline belongs to.</summary>
public enum DeadlineStep
{
    /// <summary>制单: from arrival at a level until dispatched (verification and the ticket included).</summary>
    Ticket,
    /// <summary>接单: from dispatch until accepted.</summary>
    Accept,
    /// <summary>做单: from acceptance (or a reopening) until handled; the term depends on the handling class.</summary>
    Handle,
    /// <summary>反馈: from handling until the reporter has the feedback.</summary>
    Feedback,
    /// <summary>督办: the time a supervision gives the responsible level before it goes one level further up.</summary>
    Supervision,
}

/// <summary>
/// The deadline sweep (one for the cluster, key 0): it looks every few seconds for cases whose review time has come and
/// asks each to review its deadlines. An Orleans reminder brings it back after restarts; silos wake it when they start.
/// </summary>
public interface IDeadlineSweepGrain : ISweepGrain;
