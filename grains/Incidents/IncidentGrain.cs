using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Reminders;

namespace CommandCenter.Incidents;

/// <summary>
/// One incident and its closed loop. Its state is the fold of its event log in PostgreSQL (<see cref="IncidentStore"/>),
/// loaded at activation; this grain is the only writer of that log. What a command records, or why it is refused, is
/// <see cref="CaseRules"/>' answer; the grain adds idempotency and storage. Each change (its events, read-model row,
/// entries on the feed of its grid and of every ancestor, and audit row) is one commit (<see cref="IncidentCommits"/>)
/// before the caller hears of it. The row carries when the case must be looked at next; the deadline sweep
/// (<see cref="DeadlineSweepGrain"/>) calls <see cref="ReviewDeadlines"/> then, also after restarts, and what it finds
/// is recorded once, because the log says what was recorded. Its clock is the reminder service's (the same
/// <see cref="TimeProvider"/> unless configured apart), as is the sweep's, so that both agree on the time.
/// Every report it answers is counted (<c>cc.reports</c>, tagged by outcome and source): the rate of created ones is
/// the county's reports per second.
/// </summary>
public sealed class IncidentGrain(
    IncidentStore store,
    IncidentCommits commits,
    CalendarService calendars,
    SlaTable sla,
    JurisdictionDirectory directory,
    IOptions<WorkflowOptions> options,
    [FromKeyedServices(ReminderTimeProviderNames.Reminders)] TimeProvider clock,
    ILogger<IncidentGrain> log) : Grain, IIncidentGrain
{
    private static readonly Counter<long> Reports = ProductMeter.Meter.CreateCounter<long>("cc.reports", "{report}",
        "Reports answered: created (stored now), replayed (the same key and content again) or keyReused (the key of another report)");

    private readonly List<IncidentEvent> _events = [];
    private IncidentHistory _history = IncidentHistory.Empty;

    private Guid Id => this.GetPrimaryKey();

    private IncidentDetails? Details => _history.Details;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var e in await store.Load(Id))
            Fold(e);
    }

    public async Task<ReportResult> Report(ReportIncident report)
    {
        var result = await Answer(report);
        Reports.Add(1, ProductMeter.Outcome(Json.Word(result.Outcome)), new KeyValuePair<string, object?>("source", Json.Word(report.Source)));
        return result;
    }

    private async Task<ReportResult> Answer(ReportIncident report)
    {
        if (Details is { } existing)
        {
            if (_history.ReportFingerprint != IncidentHistory.Fingerprint(report))
                return new ReportResult(ReportOutcome.KeyReused, existing);
            return new ReportResult(ReportOutcome.Replayed, existing);
        }

        var now = clock.GetUtcNow();
        var deadline = sla.Due(DeadlineStep.Ticket, null, now, await calendars.Current());
        await Commit([IncidentHistory.NewReport(report, now, deadline)], report.Audit is { } by
            ? state => AuditLog.Row(now, by.Caller, AuditActions.ReportIncident, Id.ToString(),
                detail: AuditActions.ReportDetail(state), clientAddress: by.ClientAddress)
            : null);
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
            // A retry: the first attempt may have stopped after storing, before its follow-ups.
            await FollowUp(command.Action);
            return new ActionResult(ActionOutcome.Replayed, Details);
        }

        if (CaseRules.NotNow(incident, command.Action) is { } notNow)
            return notNow.For(incident);
        var plan = CaseRules.Plan(_history, command with { RequestKey = request }, clock.GetUtcNow(), await calendars.Current(), sla,
            options.Value.MaxReopens, worker => directory.Worker(worker)?.GridCode);
        if (plan.Refusal is { } refusal)
            return refusal.For(incident);

        var at = clock.GetUtcNow();
        await Commit(plan.Events, command.Audit is { } by
            ? state => AuditLog.Row(at, by.Caller, AuditActions.IncidentAction(command.Action), Id.ToString(),
                detail: AuditActions.ActionDetail(state), clientAddress: by.ClientAddress)
            : null);
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
        await Commit([_history.Next(IncidentEventKinds.CameraRecovered, clock.GetUtcNow(), actor, null, new IncidentChange(Note: note))]);
    }

    public async Task<bool> Move(string gridCode, string actor)
    {
        // The import that asks for the move may have run on another host a moment ago.
        await directory.Refresh();
        if (Details is null || directory.Tree is not { } tree || tree.Find(gridCode) is not { Level: JurisdictionLevel.Grid })
            return false;
        if (CaseRules.Move(_history, gridCode, tree.PathToRoot(gridCode), tree.NameOf, clock.GetUtcNow(), actor) is not { } moved)
            return false;
        await Commit([moved]);
        return true;
    }

    public async Task ReviewDeadlines()
    {
        if (Details is not { } incident)
            return;
        if (Deadlines.Record(_history, clock.GetUtcNow(), sla, await calendars.Current()) is not { } missed)
        {
            // Nothing due yet (an early look): the row keeps the moment to look again.
            await store.MoveReview(Id, Deadlines.NextReview(incident));
            return;
        }
        await Commit([missed]);
        var supervision = Details!.Supervision!;
        log.LogInformation("Incident {Id}: {Step} deadline missed, supervised by {Supervisor} (round {Round})",
            Id, supervision.Step, supervision.By, supervision.Round);
    }

    /// <summary>
    /// What an action does beyond its own log: a merge links the duplicate into its case; feedback reaches the
    /// duplicates' reporters; a person's accepting or taking makes them busy and their handling frees them; a person
    /// dispatched to from outside the case's path is told on their own grid's feed.
    /// </summary>
    private async Task FollowUp(IncidentAction action)
    {
        var incident = Details!;
        if (action is IncidentAction.Accept or IncidentAction.Take or IncidentAction.Handle && incident.Assignee is { Kind: AssigneeKind.Worker } person)
        {
            var worker = GrainFactory.GetGrain<Workers.IWorkerGrain>(person.Id);
            await (action == IncidentAction.Handle ? worker.CaseHandled(Id) : worker.CaseAccepted(Id));
        }
        // A person dispatched to from another grid follows their own grid's feed, not this case's: their phone is told.
        if (action == IncidentAction.Dispatch && incident.Assignee is { Kind: AssigneeKind.Worker } dispatched
            && directory.Worker(dispatched.Id)?.GridCode is { } home && !incident.Path.Contains(home))
            await GrainFactory.GetGrain<IFeedGrain>(home).PublishAlertNudge(new Alerts.AlertNudge(home, dispatched.Id));
        if (action == IncidentAction.Merge && incident.MergedInto is { } into)
            await GrainFactory.GetGrain<IIncidentGrain>(into).Link(Id, _events[^1].Actor);
        if (action == IncidentAction.Feedback && incident.Feedback is { } feedback)
            await Task.WhenAll(incident.Duplicates.Select(d => GrainFactory.GetGrain<IIncidentGrain>(d).ShareFeedback(Id, feedback)));
    }

    /// <summary>
    /// Commits events with their feed entries, what they add to the statistics (and the audit row <paramref name="audit"/> makes of the state they lead
    /// to), then folds them. When the commit fails its outcome is unknown here (it may have reached the disk), so this
    /// activation ends and the next call loads the log as stored.
    /// </summary>
    private async Task Commit(IReadOnlyList<IncidentEvent> events, Func<IncidentDetails, AuditEntry>? audit = null)
    {
        var history = _history;
        var feed = new List<FeedAppend>(events.Count);
        var stats = new List<StatChange>(events.Count);
        var calendar = await calendars.Current();
        foreach (var e in events)
        {
            var before = history.Details;
            history = history.Apply(Id, e);
            feed.Add(FeedEntryOf(e, before, history.Details!));
            stats.Add(StatFacts.Of(before, history.Details!, e, calendar));
        }
        var state = history.Details!;
        try
        {
            await commits.Commit(new IncidentCommit(Id, events, state, feed, audit?.Invoke(state), stats));
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        foreach (var e in events)
            Fold(e);
    }

    private FeedAppend FeedEntryOf(IncidentEvent e, IncidentDetails? before, IncidentDetails after)
    {
        var kind = e.Kind switch
        {
            IncidentEventKinds.Reported => FeedKinds.IncidentReported,
            IncidentEventKinds.Overdue or IncidentEventKinds.SupervisionEscalated => FeedKinds.IncidentSupervised,
            IncidentEventKinds.Moved => FeedKinds.IncidentMoved,
            _ => FeedKinds.IncidentUpdated,
        };
        var move = e.Kind == IncidentEventKinds.Moved && before is not null ? new FeedMove(before.Path, FeedCounts.Of(before)) : null;
        return new FeedAppend($"incident/{Id:N}/{e.Sequence}", kind, e.At, after.ToSummary(), FeedCounts.Between(before, after), move);
    }

    private void Fold(IncidentEvent e)
    {
        _history = _history.Apply(Id, e);
        _events.Add(e);
    }

    /// <summary>A request key as recorded: the caller and their key, hashed (keys are chosen by clients).</summary>
    private static string RequestId(string callerId, string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(callerId + "\n" + key)))[..32];
}
