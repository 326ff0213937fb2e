using CommandCenter.Access;
using CommandCenter.Calendar;

namespace CommandCenter.Incidents;

/// <summary>Why a command is refused for this case and caller: the outcome, the command's field at fault, and what to tell the caller.</summary>
public sealed record CaseRefusal(ActionOutcome Outcome, string Field, string Message)
{
    /// <summary>The answer to the caller, with the case as it stands.</summary>
    public ActionResult For(IncidentDetails incident) => new(Outcome, incident, Field, Message);
}

/// <summary>What a command leads to: the events to commit, or why it is refused (then no events).</summary>
public sealed record CasePlan(IReadOnlyList<IncidentEvent> Events, CaseRefusal? Refusal);

/// <summary>
/// The rules of one case (办件规则), plain code: who may act at which level, who counts as the assignee, where a
/// dispatch or an escalation leaves the case, and what each allowed command records. Levels are the codes of the case's
/// path (grid first, county last), so the rules need no tree. The Incident grain applies them; the unit tests cover
/// every refusal.
/// </summary>
public static class CaseRules
{
    /// <summary>The actor of what the case records on its own: its clock, its links, a rating's follow-up.</summary>
    public const string SystemActor = "system";

    /// <summary>The refusal of an action the case's status does not allow (null when it allows it).</summary>
    public static CaseRefusal? NotNow(IncidentDetails incident, IncidentAction action) =>
        IncidentWorkflow.Next(incident.Status, action) is null
            ? new CaseRefusal(ActionOutcome.NotAllowedNow, "action",
                $"The incident is {Json.Word(incident.Status)}; allowed now: {string.Join(", ", incident.Allowed.Select(a => Json.Word(a)))}.")
            : null;

    /// <summary>
    /// The events an action allowed in the case's status leads to, or why it is refused for this case and caller.
    /// <paramref name="command"/> carries its request key as recorded; deadlines run from <paramref name="now"/>;
    /// <paramref name="gridOfWorker"/> gives a grid person's grid (null for no such person).
    /// </summary>
    public static CasePlan Plan(IncidentHistory history, IncidentCommand command, DateTimeOffset now, WorkingCalendar calendar,
        SlaTable sla, int maxReopens, Func<string, string?> gridOfWorker)
    {
        var incident = history.Details ?? throw new ArgumentException("There is no case to plan for.", nameof(history));
        var caller = command.Caller;
        var change = new IncidentChange(Note: command.Note, Attachments: command.Attachments is { Count: > 0 } a ? a : null,
            Request: command.RequestKey, Action: command.Action);
        IncidentEvent Next(string kind, IncidentChange data) => history.Next(kind, now, caller.Id, caller.Role.ToString(), data);
        CasePlan Done(params IncidentEvent[] events) => new(events, null);
        CasePlan Event(string kind, IncidentChange data) => Done(Next(kind, data));
        static CasePlan Refuse(ActionOutcome outcome, string field, string message) => new([], new CaseRefusal(outcome, field, message));
        Deadline Due(DeadlineStep step, string? handlingClass = null) => sla.Due(step, handlingClass, now, calendar);

        if (IsLevelAction(command.Action) && !Covers(caller, incident, incident.Level))
            return Refuse(ActionOutcome.NotYours, "level", $"The case lies with {incident.Level}, above your jurisdiction.");
        if (command.Action is IncidentAction.Accept or IncidentAction.Handle && !IsAssignee(caller, incident))
            return Refuse(ActionOutcome.NotYours, "assignee", $"The case is assigned to {incident.Assignee?.Name ?? incident.Level}, not to you.");
        if (command.Attachments?.Where(id => !history.Attachments.Contains(id)).Select(id => (Guid?)id).FirstOrDefault() is { } foreign)
            return Refuse(ActionOutcome.Invalid, "attachments", $"Attachment {foreign} was not uploaded to this incident.");

        switch (command.Action)
        {
            case IncidentAction.Verify:
                return Event(IncidentEventKinds.Verified, change with { Deadline = incident.Deadline });
            case IncidentAction.Reject:
                return Event(IncidentEventKinds.Rejected, change);
            case IncidentAction.Merge:
                if (command.Into is not { } into || into == incident.Id)
                    return Refuse(ActionOutcome.Invalid, "into", "Name the other incident this report duplicates.");
                return Event(IncidentEventKinds.Merged, change with { Incident = into });
            case IncidentAction.Resolve:
                return Event(IncidentEventKinds.Resolved, change);
            case IncidentAction.Ticket:
                var handlingClass = command.HandlingClass ?? sla.DefaultClassFor(incident.Source);
                if (!sla.IsClass(handlingClass))
                    return Refuse(ActionOutcome.Invalid, "handlingClass", $"Handling classes: {string.Join(", ", sla.Classes)}.");
                return Event(IncidentEventKinds.Ticketed, change with { HandlingClass = handlingClass, Deadline = incident.Deadline });
            case IncidentAction.Dispatch:
                if (DispatchLevel(incident, command.Target, gridOfWorker) is not { } level)
                {
                    return Refuse(ActionOutcome.Invalid, "target",
                        "Dispatch to a person of the grids, a level on the case's path at or below where it lies, or a department.");
                }
                return Event(IncidentEventKinds.Dispatched, change with { Assignee = command.Target, Level = level, Deadline = Due(DeadlineStep.Accept) });
            case IncidentAction.Take:
                if (TakeRefusal(caller, incident) is { } notTaken)
                    return new CasePlan([], notTaken);
                var taking = incident.HandlingClass ?? sla.DefaultClassFor(incident.Source);
                return Event(IncidentEventKinds.Taken, change with
                {
                    Assignee = new Assignee(AssigneeKind.Worker, caller.WorkerId!, caller.Name), HandlingClass = taking,
                    Deadline = Due(DeadlineStep.Handle, taking),
                });
            case IncidentAction.Accept:
                return Event(IncidentEventKinds.Accepted, change with { Deadline = Due(DeadlineStep.Handle, incident.HandlingClass) });
            case IncidentAction.Handle:
                return Event(IncidentEventKinds.Handled, change with { Deadline = Due(DeadlineStep.Feedback) });
            case IncidentAction.Feedback:
                return Event(IncidentEventKinds.FedBack, change);
            case IncidentAction.Rate:
                var rating = command.Rating!.Value;
                var rated = Next(IncidentEventKinds.Rated, change with { Rating = rating });
                var after = IncidentWorkflow.AfterRating(rating, incident.Reopens, maxReopens);
                if (after == IncidentStatus.Rated)
                    return Done(rated);
                var followUp = after == IncidentStatus.Accepted
                    ? (IncidentEventKinds.Reopened, new IncidentChange(Note: command.Note, Deadline: Due(DeadlineStep.Handle, incident.HandlingClass)))
                    : (IncidentEventKinds.Escalated,
                        new IncidentChange(Note: command.Note, Level: Up(incident, incident.Level), Deadline: Due(DeadlineStep.Ticket), Rating: rating));
                return Done(rated,
                    new IncidentEvent(rated.Sequence + 1, followUp.Item1, now, SystemActor, null, IncidentHistory.Data(followUp.Item2)));
            case IncidentAction.Assess:
                var assessment = new Assessment(!incident.EverOverdue, incident.Rating is Rating.Satisfied or Rating.Neutral,
                    command.Effective ?? false);
                return Event(IncidentEventKinds.Assessed, change with { Assessment = assessment });
            case IncidentAction.Escalate:
                if (incident.Level == incident.Path[^1])
                    return Refuse(ActionOutcome.Invalid, "action", "The case already lies with the county center; dispatch it to a department instead.");
                return Event(IncidentEventKinds.Escalated, change with { Level = Up(incident, incident.Level), Deadline = Due(DeadlineStep.Ticket) });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Action, "Unknown action.");
        }
    }

    /// <summary>
    /// The event that moves the case to <paramref name="grid"/> with <paramref name="path"/> (a re-import of the tree),
    /// or null when it is there already. The level it lies with, a level it is dispatched to and the level supervising
    /// it keep their place on the path (<see cref="Geography.JurisdictionSuccessors.Level"/>); <paramref name="nameOf"/>
    /// names an area of the new tree.
    /// </summary>
    public static IncidentEvent? Move(IncidentHistory history, string grid, IReadOnlyList<string> path, Func<string, string> nameOf,
        DateTimeOffset now, string actor)
    {
        var incident = history.Details ?? throw new ArgumentException("There is no case to move.", nameof(history));
        if (incident.GridCode == grid && incident.Path.SequenceEqual(path, StringComparer.Ordinal))
            return null;
        string Moved(string code) => Geography.JurisdictionSuccessors.Level(code, incident.Path, path);
        var assignee = incident.Assignee is { Kind: AssigneeKind.Jurisdiction } a && Moved(a.Id) != a.Id
            ? a with { Id = Moved(a.Id), Name = nameOf(Moved(a.Id)) }
            : null;
        var supervision = incident.Supervision is { } s && Moved(s.By) != s.By ? s with { By = Moved(s.By) } : null;
        return history.Next(IncidentEventKinds.Moved, now, actor, null, new IncidentChange(GridCode: grid, Path: path, Level: Moved(incident.Level),
            Assignee: assignee, Supervision: supervision));
    }

    /// <summary>
    /// Why the caller may not take (接警) the case, or null: only a person of the grids takes a case, and only one nobody
    /// has (a dispatch to a level the caller covers leaves it to whoever there takes it). The level check is the
    /// level actions' own.
    /// </summary>
    public static CaseRefusal? TakeRefusal(Caller caller, IncidentDetails incident)
    {
        if (caller.WorkerId is null)
            return new CaseRefusal(ActionOutcome.NotYours, "account", "Only a person of the grids takes a case; dispatch it instead.");
        return incident.Assignee switch
        {
            null => null,
            { Kind: AssigneeKind.Jurisdiction } when IsAssignee(caller, incident) => null,
            { Kind: AssigneeKind.Worker, Id: var worker } when worker == caller.WorkerId =>
                new CaseRefusal(ActionOutcome.Invalid, "action", "The case is dispatched to you already: accept it."),
            var other => new CaseRefusal(ActionOutcome.NotYours, "assignee",
                $"The case is dispatched to {other.Name}; the dispatcher may dispatch it to you."),
        };
    }

    /// <summary>
    /// Whether the action belongs to the level the case lies with (so its caller must cover that level). The others do
    /// not: accepting and handling are the assignee's, resolving on the spot a grid person's (by the access policy),
    /// rating the citizen's (through the rating link).
    /// </summary>
    public static bool IsLevelAction(IncidentAction action) => action is not (IncidentAction.Accept or IncidentAction.Handle
        or IncidentAction.Resolve or IncidentAction.Rate);

    /// <summary>
    /// Whether the caller's jurisdiction is <paramref name="level"/> or one of its ancestors on the case's path (an
    /// administrator covers every level).
    /// </summary>
    public static bool Covers(Caller caller, IncidentDetails incident, string level)
    {
        if (caller.Role == Role.Administrator)
            return true;
        var index = IndexOn(incident, level);
        return index >= 0 && caller.Jurisdictions.Any(code => IndexOn(incident, code) >= index);
    }

    /// <summary>Whether the caller is the case's assignee: the grid person named, the department's account, or someone covering the level named.</summary>
    public static bool IsAssignee(Caller caller, IncidentDetails incident) => incident.Assignee switch
    {
        { Kind: AssigneeKind.Worker, Id: var worker } => caller.WorkerId == worker,
        { Kind: AssigneeKind.Department, Id: var account } => caller.Id == Caller.UserId(account),
        { Kind: AssigneeKind.Jurisdiction, Id: var code } => Covers(caller, incident, code),
        _ => false,
    };

    /// <summary>
    /// The level a dispatch leaves the case with: a person's grid when it is on the case's path (else where it lies),
    /// the level named (on the path, at or below where the case lies), the county for a department; null when not allowed.
    /// </summary>
    public static string? DispatchLevel(IncidentDetails incident, Assignee? target, Func<string, string?> gridOfWorker) => target switch
    {
        { Kind: AssigneeKind.Worker } when gridOfWorker(target.Id) is { } grid => IndexOn(incident, grid) >= 0 ? grid : incident.Level,
        { Kind: AssigneeKind.Jurisdiction } when IndexOn(incident, target.Id) is var i && i >= 0 && i <= IndexOn(incident, incident.Level) => target.Id,
        { Kind: AssigneeKind.Department } => incident.Path[^1],
        _ => null,
    };

    /// <summary>The level above <paramref name="code"/> on the case's path; the county center is its own level above.</summary>
    public static string Up(IncidentDetails incident, string code)
    {
        var index = IndexOn(incident, code);
        return index >= 0 && index + 1 < incident.Path.Count ? incident.Path[index + 1] : incident.Path[^1];
    }

    private static int IndexOn(IncidentDetails incident, string code)
    {
        for (var i = 0; i < incident.Path.Count; i++)
        {
            if (incident.Path[i] == code)
                return i;
        }
        return -1;
    }
}
