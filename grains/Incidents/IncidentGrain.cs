using System.Security.Cryptography;
using System.Text;
using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Reminders;

namespace CommandCenter.Incidents;

/// <summary>
/// One incident and its closed loop. Its state is the fold of its event log in PostgreSQL (<see cref="IncidentStore"/>),
/// loaded at activation; this grain is the only writer of that log. Each change is durable, then appended to the feed
/// of the grid and of every ancestor, before the caller hears of it. The running step's deadline is an Orleans
/// reminder, so it fires after restarts; what it finds is recorded once, because the log says what was recorded.
/// Its clock is the reminder service's (the same <see cref="TimeProvider"/> unless configured apart), so that a
/// deadline and the reminder that looks at it agree on the time.
/// </summary>
public sealed class IncidentGrain(
    IncidentStore store,
    CalendarService calendars,
    SlaTable sla,
    JurisdictionDirectory directory,
    IOptions<WorkflowOptions> options,
    [FromKeyedServices(ReminderTimeProviderNames.Reminders)] TimeProvider clock,
    ILogger<IncidentGrain> log) : Grain, IIncidentGrain, IRemindable
{
    public const string DeadlineReminder = "deadline";
    public const string SystemActor = "system";

    private readonly List<IncidentEvent> _events = [];
    /// <summary>The state after each event, for the feed entry of that event.</summary>
    private readonly List<IncidentDetails> _states = [];
    private IncidentHistory _history = IncidentHistory.Empty;
    /// <summary>How many events are known to be on the feeds.</summary>
    private int _published;
    /// <summary>When the deadline reminder is registered to fire (null: none); unknown until this activation first sets it.</summary>
    private (bool Known, DateTimeOffset? At) _reminder;

    private Guid Id => this.GetPrimaryKey();

    private IncidentDetails? Details => _history.Details;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var e in await store.Load(Id))
            Fold(e);
        // Each action publishes its events before the next one is taken, so only the last action's events (at most
        // two) can be missing from the feeds after a crash; they are offered again, and the feeds drop what they have.
        _published = Math.Max(0, _events.Count - 2);
    }

    public async Task<ReportResult> Report(ReportIncident report)
    {
        if (Details is { } existing)
        {
            if (_history.ReportFingerprint != IncidentHistory.Fingerprint(report))
                return new ReportResult(ReportOutcome.KeyReused, existing);

            // A retry: the first attempt may have stopped between storing and publishing.
            await PublishPending();
            return new ReportResult(ReportOutcome.Replayed, existing);
        }

        var now = clock.GetUtcNow();
        var deadline = sla.Due(DeadlineStep.Ticket, null, now, await calendars.Current());
        await Commit([IncidentHistory.NewReport(report, now, deadline)]);
        return new ReportResult(ReportOutcome.Created, Details!);
    }

    public Task<IncidentDetails?> Get() => Task.FromResult(Details);

    public Task<IReadOnlyList<IncidentEvent>> Timeline() => Task.FromResult<IReadOnlyList<IncidentEvent>>([.. _events]);

    public async Task<ActionResult> Act(IncidentCommand command)
    {
        if (Details is not { } incident)
            return new ActionResult(ActionOutcome.NotFound, null);
        var request = RequestId(command.Caller.Id, command.RequestKey);
        if (_history.Requests.TryGetValue(request, out var done))
        {
            if (done != command.Action)
                return new ActionResult(ActionOutcome.KeyReused, incident, "Idempotency-Key", $"This key was already used to {Json.Word(done)} this incident.");
            // A retry: the first attempt may have stopped after storing, before publishing or before its follow-ups.
            await PublishPending();
            await FollowUp(command.Action);
            return new ActionResult(ActionOutcome.Replayed, Details);
        }
        await PublishPending();

        if (IncidentWorkflow.Next(incident.Status, command.Action) is null)
        {
            return new ActionResult(ActionOutcome.NotAllowedNow, incident, "action",
                $"The incident is {Json.Word(incident.Status)}; allowed now: {string.Join(", ", incident.Allowed.Select(a => Json.Word(a)))}.");
        }
        var plan = await Plan(incident, command with { RequestKey = request });
        if (plan.Refusal is { } refusal)
            return refusal with { Incident = incident };

        await Commit(plan.Events);
        await FollowUp(command.Action);
        return new ActionResult(ActionOutcome.Done, Details);
    }

    public async Task Link(Guid duplicate, string actor)
    {
        if (Details is null || Details.Duplicates.Contains(duplicate))
            return;
        await Commit([_history.Next(IncidentEventKinds.Linked, clock.GetUtcNow(), actor, null, new IncidentChange(Incident: duplicate))]);
    }

    public async Task ShareFeedback(Guid primary, string feedback)
    {
        if (Details is not { MergedInto: { } into } || into != primary || Details.Feedback == feedback)
            return;
        await Commit([_history.Next(IncidentEventKinds.FeedbackShared, clock.GetUtcNow(), SystemActor, null,
            new IncidentChange(Note: feedback, Incident: primary))]);
    }

    public async Task<bool> Attach(Guid attachment, string mediaType, string actor, string? actorRole)
    {
        if (Details is null)
            return false;
        if (!_history.Attachments.Contains(attachment))
        {
            await Commit([_history.Next(IncidentEventKinds.Attached, clock.GetUtcNow(), actor, actorRole,
                new IncidentChange(Attachment: attachment, MediaType: mediaType))]);
        }
        return true;
    }

    public async Task CameraRecovered(string actor, string note)
    {
        if (Details is null)
            return;
        await PublishPending();
        await Commit([_history.Next(IncidentEventKinds.CameraRecovered, clock.GetUtcNow(), actor, null, new IncidentChange(Note: note))]);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == DeadlineReminder ? ReviewDeadlines() : Task.CompletedTask;

    public async Task ReviewDeadlines()
    {
        await PublishPending();
        if (Details is { } incident)
        {
            var now = clock.GetUtcNow();
            if (Deadlines.Review(incident, now) is { } missed)
            {
                var supervisor = missed.Kind == IncidentEventKinds.Overdue ? Up(incident, incident.Level) : Up(incident, incident.Supervision!.By);
                var due = sla.Due(DeadlineStep.Supervision, null, now, await calendars.Current()).Due;
                var supervision = new Supervision(supervisor, missed.Step, now, due, (incident.Supervision?.Round ?? 0) + 1);
                await Commit([_history.Next(missed.Kind, now, SystemActor, null, new IncidentChange(Supervision: supervision))], exactReminder: true);
                log.LogInformation("Incident {Id}: {Step} deadline missed, supervised by {Supervisor} (round {Round})",
                    Id, missed.Step, supervisor, supervision.Round);
                return;
            }
        }
        await SyncReminder(exact: true);
    }

    /// <summary>The events an allowed action leads to, or why it is refused for this case and caller.</summary>
    private async Task<(IReadOnlyList<IncidentEvent> Events, ActionResult? Refusal)> Plan(IncidentDetails incident, IncidentCommand command)
    {
        var caller = command.Caller;
        var now = clock.GetUtcNow();
        var calendar = await calendars.Current();
        var change = new IncidentChange(Note: command.Note, Attachments: command.Attachments is { Count: > 0 } a ? a : null,
            Request: command.RequestKey, Action: command.Action);
        IncidentEvent Event(string kind, IncidentChange data) => _history.Next(kind, now, caller.Id, caller.Role.ToString(), data);
        static (IReadOnlyList<IncidentEvent>, ActionResult?) Refuse(ActionOutcome outcome, string field, string message) =>
            ([], new ActionResult(outcome, null, field, message));
        Deadline Due(DeadlineStep step, string? handlingClass = null) => sla.Due(step, handlingClass, now, calendar);

        if (IsLevelAction(command.Action) && !Covers(caller, incident, incident.Level))
            return Refuse(ActionOutcome.NotYours, "level", $"The case lies with {incident.Level}, above your jurisdiction.");
        if (command.Action is IncidentAction.Accept or IncidentAction.Handle && !IsAssignee(caller, incident))
            return Refuse(ActionOutcome.NotYours, "assignee", $"The case is assigned to {incident.Assignee?.Name ?? incident.Level}, not to you.");
        if (command.Attachments?.Where(id => !_history.Attachments.Contains(id)).Select(id => (Guid?)id).FirstOrDefault() is { } foreign)
            return Refuse(ActionOutcome.Invalid, "attachments", $"Attachment {foreign} was not uploaded to this incident.");

        switch (command.Action)
        {
            case IncidentAction.Verify:
                return ([Event(IncidentEventKinds.Verified, change with { Deadline = incident.Deadline })], null);
            case IncidentAction.Reject:
                return ([Event(IncidentEventKinds.Rejected, change)], null);
            case IncidentAction.Merge:
                if (command.Into is not { } into || into == Id)
                    return Refuse(ActionOutcome.Invalid, "into", "Name the other incident this report duplicates.");
                return ([Event(IncidentEventKinds.Merged, change with { Incident = into })], null);
            case IncidentAction.Resolve:
                return ([Event(IncidentEventKinds.Resolved, change)], null);
            case IncidentAction.Ticket:
                var handlingClass = command.HandlingClass ?? sla.DefaultClassFor(incident.Source);
                if (!sla.IsClass(handlingClass))
                    return Refuse(ActionOutcome.Invalid, "handlingClass", $"Handling classes: {string.Join(", ", sla.Classes)}.");
                return ([Event(IncidentEventKinds.Ticketed, change with { HandlingClass = handlingClass, Deadline = incident.Deadline })], null);
            case IncidentAction.Dispatch:
                if (DispatchLevel(incident, command.Target) is not { } level)
                    return Refuse(ActionOutcome.Invalid, "target", "Dispatch to a person of the grids, a level on the case's path at or below where it lies, or a department.");
                return ([Event(IncidentEventKinds.Dispatched, change with { Assignee = command.Target, Level = level, Deadline = Due(DeadlineStep.Accept) })], null);
            case IncidentAction.Accept:
                return ([Event(IncidentEventKinds.Accepted, change with { Deadline = Due(DeadlineStep.Handle, incident.HandlingClass) })], null);
            case IncidentAction.Handle:
                return ([Event(IncidentEventKinds.Handled, change with { Deadline = Due(DeadlineStep.Feedback) })], null);
            case IncidentAction.Feedback:
                return ([Event(IncidentEventKinds.FedBack, change)], null);
            case IncidentAction.Rate:
                var rating = command.Rating!.Value;
                var rated = Event(IncidentEventKinds.Rated, change with { Rating = rating });
                var after = IncidentWorkflow.AfterRating(rating, incident.Reopens, options.Value.MaxReopens);
                if (after == IncidentStatus.Rated)
                    return ([rated], null);
                var followUp = after == IncidentStatus.Accepted
                    ? (IncidentEventKinds.Reopened, new IncidentChange(Note: command.Note, Deadline: Due(DeadlineStep.Handle, incident.HandlingClass)))
                    : (IncidentEventKinds.Escalated, new IncidentChange(Note: command.Note, Level: Up(incident, incident.Level), Deadline: Due(DeadlineStep.Ticket), Rating: rating));
                return ([rated, new IncidentEvent(rated.Sequence + 1, followUp.Item1, now, SystemActor, null, IncidentHistory.Data(followUp.Item2))], null);
            case IncidentAction.Assess:
                var assessment = new Assessment(!incident.EverOverdue, incident.Rating is Rating.Satisfied or Rating.Neutral,
                    command.Effective ?? false);
                return ([Event(IncidentEventKinds.Assessed, change with { Assessment = assessment })], null);
            case IncidentAction.Escalate:
                if (incident.Level == incident.Path[^1])
                    return Refuse(ActionOutcome.Invalid, "action", "The case already lies with the county center; dispatch it to a department instead.");
                return ([Event(IncidentEventKinds.Escalated, change with { Level = Up(incident, incident.Level), Deadline = Due(DeadlineStep.Ticket) })], null);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Action, "Unknown action.");
        }
    }

    /// <summary>What an action does beyond its own log: a merge links the duplicate into its case; feedback reaches the duplicates' reporters.</summary>
    private async Task FollowUp(IncidentAction action)
    {
        var incident = Details!;
        if (action == IncidentAction.Merge && incident.MergedInto is { } into)
            await GrainFactory.GetGrain<IIncidentGrain>(into).Link(Id, _events[^1].Actor);
        if (action == IncidentAction.Feedback && incident.Feedback is { } feedback)
            await Task.WhenAll(incident.Duplicates.Select(d => GrainFactory.GetGrain<IIncidentGrain>(d).ShareFeedback(Id, feedback)));
    }

    /// <summary>
    /// Stores events, folds them, publishes them and makes sure the deadline reminder fires in time (see
    /// <see cref="SyncReminder"/>; <paramref name="exactReminder"/> when the reminder has just fired and must move).
    /// </summary>
    private async Task Commit(IReadOnlyList<IncidentEvent> events, bool exactReminder = false)
    {
        var history = _history;
        foreach (var e in events)
            history = history.Apply(Id, e);
        await store.AppendEvents(Id, events, history.Details!);
        foreach (var e in events)
            Fold(e);
        await PublishPending();
        await SyncReminder(exactReminder);
    }

    private void Fold(IncidentEvent e)
    {
        _history = _history.Apply(Id, e);
        _events.Add(e);
        _states.Add(_history.Details!);
    }

    /// <summary>Appends the events not yet known to be on the feeds, in order, to the grid's feed and every ancestor's.</summary>
    private async Task PublishPending()
    {
        while (_published < _events.Count)
        {
            var e = _events[_published];
            var after = _states[_published];
            var before = _published > 0 ? _states[_published - 1] : null;
            var kind = e.Kind switch
            {
                IncidentEventKinds.Reported => FeedKinds.IncidentReported,
                IncidentEventKinds.Overdue or IncidentEventKinds.SupervisionEscalated => FeedKinds.IncidentSupervised,
                _ => FeedKinds.IncidentUpdated,
            };
            var append = new FeedAppend($"incident/{Id:N}/{e.Sequence}", kind, e.At, after.ToSummary(), FeedCounts.Between(before, after));
            await Task.WhenAll(after.Path.Select(code => GrainFactory.GetGrain<IFeedGrain>(code).Append(append)));
            _published++;
        }
    }

    /// <summary>
    /// Keeps the deadline reminder no later than the next moment the case must be looked at. As a case moves on, its
    /// deadlines only move later, so a reminder already due earlier is left alone: when it fires, the review finds
    /// nothing missed and moves it exactly (<paramref name="exact"/>: to the next moment, or away when there is none).
    /// That spares a reminder write for most actions of a case that is handled in time.
    /// </summary>
    private async Task SyncReminder(bool exact = false)
    {
        var wake = Details is { } incident ? Deadlines.NextReview(incident) : null;
        if (_reminder.Known && (_reminder.At == wake || (!exact && _reminder.At is { } registered && (wake is null || registered < wake))))
            return;
        if (wake is { } at)
        {
            var dueIn = at - clock.GetUtcNow();
            await this.RegisterOrUpdateReminder(DeadlineReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, options.Value.ReminderPeriod);
        }
        else if (await this.GetReminder(DeadlineReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _reminder = (true, wake);
    }

    private static bool IsLevelAction(IncidentAction action) => action is not (IncidentAction.Accept or IncidentAction.Handle
        or IncidentAction.Resolve or IncidentAction.Rate);

    /// <summary>Whether the caller's jurisdiction is <paramref name="level"/> or one of its ancestors on the case's path.</summary>
    private static bool Covers(Caller caller, IncidentDetails incident, string level)
    {
        if (caller.Role == Role.Administrator)
            return true;
        var index = IndexOn(incident, level);
        return index >= 0 && caller.Jurisdictions.Any(code => IndexOn(incident, code) >= index);
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

    private static bool IsAssignee(Caller caller, IncidentDetails incident) => incident.Assignee switch
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
    private string? DispatchLevel(IncidentDetails incident, Assignee? target) => target switch
    {
        { Kind: AssigneeKind.Worker } when directory.Worker(target.Id) is { } worker =>
            IndexOn(incident, worker.GridCode) >= 0 ? worker.GridCode : incident.Level,
        { Kind: AssigneeKind.Jurisdiction } when IndexOn(incident, target.Id) is var i && i >= 0 && i <= IndexOn(incident, incident.Level) => target.Id,
        { Kind: AssigneeKind.Department } => incident.Path[^1],
        _ => null,
    };

    /// <summary>The level above <paramref name="code"/> on the case's path; the county center is its own level above.</summary>
    private static string Up(IncidentDetails incident, string code)
    {
        var index = IndexOn(incident, code);
        return index >= 0 && index + 1 < incident.Path.Count ? incident.Path[index + 1] : incident.Path[^1];
    }

    /// <summary>A request key as recorded: the caller and their key, hashed (keys are chosen by clients).</summary>
    private static string RequestId(string callerId, string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(callerId + "\n" + key)))[..32];
}

/// <summary>The deadline rules that look at a case's state and the time: plain code, tested without a grain or a clock.</summary>
public static class Deadlines
{
    /// <summary>A missed deadline to record: the event kind (overdue, or supervision escalated) and the step it concerns.</summary>
    public sealed record Missed(string Kind, DeadlineStep Step);

    /// <summary>
    /// What is missed at <paramref name="now"/>: the running step's deadline (when not yet recorded as overdue) opens a
    /// supervision; a supervision's own deadline sends it one level up. Null when nothing is due, or it is already recorded.
    /// </summary>
    public static Missed? Review(IncidentDetails incident, DateTimeOffset now)
    {
        if (incident.Supervision is { } supervision)
            return supervision.Due <= now ? new Missed(IncidentEventKinds.SupervisionEscalated, supervision.Step) : null;
        if (incident.Deadline is { } deadline && !incident.Overdue && deadline.Due <= now)
            return new Missed(IncidentEventKinds.Overdue, deadline.Step);
        return null;
    }

    /// <summary>When the case must be looked at next: its supervision's deadline, else its running step's; null when neither runs.</summary>
    public static DateTimeOffset? NextReview(IncidentDetails incident) =>
        incident.Supervision?.Due ?? (incident.Deadline is { } deadline && !incident.Overdue ? deadline.Due : null);
}
