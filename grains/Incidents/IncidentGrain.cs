using System.Security.Cryptography;
using System.Text;
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
/// loaded at activation; this grain is the only writer of that log. What a command records, or why it is refused, is
/// <see cref="CaseRules"/>' answer; the grain adds idempotency, storage, the feeds and the deadline reminder. Each
/// change is durable, then appended to the feed of the grid and of every ancestor, before the caller hears of it. The
/// running step's deadline is an Orleans reminder, so it fires after restarts; what it finds is recorded once, because
/// the log says what was recorded. Its clock is the reminder service's (the same <see cref="TimeProvider"/> unless
/// configured apart), so that a deadline and the reminder that looks at it agree on the time.
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

        if (CaseRules.NotNow(incident, command.Action) is { } notNow)
            return notNow.For(incident);
        var plan = CaseRules.Plan(_history, command with { RequestKey = request }, clock.GetUtcNow(), await calendars.Current(), sla,
            options.Value.MaxReopens, worker => directory.Worker(worker)?.GridCode);
        if (plan.Refusal is { } refusal)
            return refusal.For(incident);

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
        await Commit([_history.Next(IncidentEventKinds.FeedbackShared, clock.GetUtcNow(), CaseRules.SystemActor, null,
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
                var supervisor = Deadlines.Supervisor(incident, missed);
                var due = sla.Due(DeadlineStep.Supervision, null, now, await calendars.Current()).Due;
                var supervision = new Supervision(supervisor, missed.Step, now, due, (incident.Supervision?.Round ?? 0) + 1);
                await Commit([_history.Next(missed.Kind, now, CaseRules.SystemActor, null, new IncidentChange(Supervision: supervision))], exactReminder: true);
                log.LogInformation("Incident {Id}: {Step} deadline missed, supervised by {Supervisor} (round {Round})",
                    Id, missed.Step, supervisor, supervision.Round);
                return;
            }
        }
        await SyncReminder(exact: true);
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

    /// <summary>A request key as recorded: the caller and their key, hashed (keys are chosen by clients).</summary>
    private static string RequestId(string callerId, string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(callerId + "\n" + key)))[..32];
}
