using CommandCenter.Access;
using CommandCenter.Categories;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Cameras;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Application;

/// <summary>
/// Incidents and the closed loop (六单): reports, reading, actions, the citizen's rating and the lists. Each operation
/// asks the access policy, calls the Incident grain, writes the audit and answers a value or a refusal.
/// </summary>
public sealed class IncidentService(JurisdictionDirectory directory, IGrainFactory grains, AuditLog audit, RatingLinks links,
    EvidenceCollector evidence, AccountStore accounts, IncidentStore store, CommandCenter.Alerts.AlertStore alertStore,
    CategoryCatalog categories, IOptions<WorkflowOptions> options, StoreCircuit circuit, TimeProvider clock, ReadAudit reads)
{
    private static readonly HashSet<IncidentAction> NoteRequired =
        [IncidentAction.Reject, IncidentAction.Resolve, IncidentAction.Handle, IncidentAction.Feedback, IncidentAction.Escalate];

    /// <summary>Stores a report by a signed-in person, at a point within their jurisdiction.</summary>
    public Task<Outcome<Reported>> Report(Actor actor, string key, ReportIncidentRequest request) =>
        Report(actor, AccessAction.ReportIncidents, null, key, request);

    /// <summary>Stores a report by an integration, which may only report as its own sources.</summary>
    public Task<Outcome<Reported>> Intake(Actor actor, Integration? integration, string key, ReportIncidentRequest request) =>
        Report(actor, AccessAction.IntakeIncidents, integration?.Sources ?? [], key, request);

    private async Task<Outcome<Reported>> Report(Actor actor, AccessAction action, IReadOnlyCollection<string>? sources, string key,
        ReportIncidentRequest request)
    {
        var caller = actor.Caller;
        var sourceName = Json.Word(request.Source);
        if (sources is not null && !sources.Contains(sourceName))
            return Refusal.Forbidden("source", $"This integration may report as: {string.Join(", ", sources)}.");
        if (await categories.RefusalOfReport(request.Category) is { } wrongCategory)
            return Refusal.Invalid("category", wrongCategory);
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("No county has been imported yet.");
        if (tree.LocateGrid(request.Lat, request.Lng) is not { } grid)
            return Refusal.Unprocessable("lat", $"The point ({request.Lat}, {request.Lng}) is outside every grid of {tree.Root.Name}.",
                "The location is outside the jurisdiction.");
        if (AccessPolicy.Decide(caller, action, grid.Code, tree) != AccessDecision.Allowed)
            return Refusal.Forbidden("lat", $"The point ({request.Lat}, {request.Lng}) lies in grid {grid.Code}, outside your jurisdiction.");

        var report = new ReportIncident(request.Source, request.Category, request.Title, request.Description ?? "", request.Lat, request.Lng,
            request.Reporter, grid.Code, tree.PathToRoot(grid.Code), caller.Id, caller.Role.ToString(), new AuditedBy(caller, actor.ClientAddress));
        return await circuit.Run(() => Store(actor, key, report), Refusal.StoreUnavailable);
    }

    private async Task<Outcome<Reported>> Store(Actor actor, string key, ReportIncident report)
    {
        var caller = actor.Caller;
        var grain = grains.GetGrain<IIncidentGrain>(IncidentIds.FromIdempotencyKey(caller.Id, key));
        var result = await ClusterRetry.Run(() => grain.Report(report), clock);
        if (result.Outcome == ReportOutcome.KeyReused)
            return Refusal.Unprocessable(IdempotencyKeys.Header, "This key was already used for a different report.", "Idempotency key reused.");
        var incident = result.Incident;
        var created = result.Outcome == ReportOutcome.Created;
        // A new report's audit row went into its own commit; a retry is audited here (as replayed).
        if (created)
            evidence.Collect(incident);
        else
            await audit.Append(caller, AuditActions.ReportIncident, incident.Id.ToString(), AuditLog.Outcomes.Replayed,
                AuditActions.ReportDetail(incident), actor.ClientAddress);
        var answer = new IncidentCreated(incident.Id, incident.GridCode, incident.Status, incident, await links.PathFor(incident.Id));
        return new Reported(answer, created);
    }

    /// <summary>The incident when it exists and the caller may do <paramref name="action"/> (by default: read it) in its grid.</summary>
    /// <remarks>An incident outside the caller's jurisdiction is "not found": ids must not reveal what exists elsewhere.</remarks>
    public async Task<IncidentDetails?> Visible(Caller caller, Guid id, AccessAction action = AccessAction.ReadIncidents) =>
        await ClusterRetry.Run(() => grains.GetGrain<IIncidentGrain>(id).Get(), clock) is { } incident
        && AccessPolicy.Decide(caller, action, incident.GridCode, directory.Tree) == AccessDecision.Allowed
            ? incident
            : null;

    /// <summary>
    /// The case page's incident: the reporter's contact as given to those handling it (<see cref="AccessPolicy.MaySeeContact"/>;
    /// the read is audited), masked (<see cref="ContactMask"/>) for everyone else.
    /// </summary>
    public async Task<Outcome<IncidentDetails>> Get(Actor actor, Guid id)
    {
        if (await Visible(actor.Caller, id) is not { } incident)
            return NoIncident(id);
        if (incident.Reporter is not { Length: > 0 } || !AccessPolicy.MaySeeContact(actor.Caller, incident.GridCode, directory.Tree))
            return Masked(incident);
        await reads.Record(actor, AuditActions.ReadContact, incident.Id.ToString(), incident.Title);
        return incident;
    }

    /// <summary>The incident with its reporter's contact masked: what lists, searches and everyone but its handlers see.</summary>
    public static IncidentDetails Masked(IncidentDetails incident) =>
        incident.Reporter is { Length: > 0 } reporter ? incident with { Reporter = ContactMask.Of(reporter) } : incident;

    /// <summary>The incident's history, oldest first; the report's contact masked (the case page shows it to its handlers).</summary>
    public async Task<Outcome<IReadOnlyList<TimelineEntry>>> Timeline(Caller caller, Guid id)
    {
        if (await Visible(caller, id) is null)
            return NoIncident(id);
        var events = await grains.GetGrain<IIncidentGrain>(id).Timeline();
        var entries = events.Select(e => new TimelineEntry(e.Sequence, e.Kind, e.At, e.Actor, e.ActorRole, EventData(e)));
        // Its alerts: raised, signed, sent up (not events of the incident: sequence 0), in time order with the events,
        // to the millisecond (the alerts' times come back from PostgreSQL in microseconds), an event before its alerts.
        var alerts = (await alertStore.OfIncident(id)).SelectMany(AlertEntries);
        return entries.Concat(alerts).OrderBy(e => e.At.UtcTicks / TimeSpan.TicksPerMillisecond).ToList();
    }

    private static System.Text.Json.JsonElement EventData(IncidentEvent e)
    {
        // A report's data is ReportedData: { report: { …, reporter }, fingerprint, deadline }.
        if (e.Kind == IncidentEventKinds.Reported && System.Text.Json.Nodes.JsonNode.Parse(e.Data) is System.Text.Json.Nodes.JsonObject data
            && data["report"] is System.Text.Json.Nodes.JsonObject report && report["reporter"]?.GetValue<string>() is { Length: > 0 } reporter)
        {
            report["reporter"] = ContactMask.Of(reporter);
            return System.Text.Json.JsonSerializer.SerializeToElement(data);
        }
        return System.Text.Json.JsonDocument.Parse(e.Data).RootElement.Clone();
    }

    /// <summary>An alert's entries on its incident's timeline: raised (推送), signed (签收), sent up unsigned (超时未签收).</summary>
    private static IEnumerable<TimelineEntry> AlertEntries(CommandCenter.Alerts.Alert alert)
    {
        var actor = Caller.UserId(alert.Username);
        TimelineEntry Entry(string kind, DateTimeOffset at, string note) =>
            new(0, kind, at, actor, null, System.Text.Json.JsonSerializer.SerializeToElement(new { note, alert = alert.Id }, Json.Options));
        yield return Entry("alerted", alert.CreatedAt, alert.Name);
        if (alert.EscalatedAt is { } escalated)
            yield return Entry("alertEscalated", escalated, alert.Name);
        if (alert.AcknowledgedAt is { } acknowledged)
            yield return Entry("alertAcknowledged", acknowledged, alert.Name);
    }

    /// <summary>
    /// A closed-loop action by a signed-in person: the case must be visible to them and lie where their role may act;
    /// the action's required fields are checked here, the status and level rules by the grain.
    /// </summary>
    public async Task<Outcome<IncidentDetails>> Act(Actor actor, Guid id, IncidentAction action, string key, ActionRequest request)
    {
        var caller = actor.Caller;
        if (await Visible(caller, id) is not { } incident || directory.Tree is not { } tree)
            return NoIncident(id);
        if (Refusal.For(AccessPolicy.Decide(caller, AccessPolicy.ForIncident(action), incident.GridCode, tree)) is { } refused)
            return refused;

        var fields = new Dictionary<string, string[]>();
        if (NoteRequired.Contains(action))
            Require(fields, "note", request.Note is null ? "Required." : request.Note.Length == 0 ? "Must not be empty." : null);
        Assignee? target = null;
        switch (action)
        {
            case IncidentAction.Dispatch:
                Require(fields, "targetKind", request.TargetKind is null ? "Required." : null);
                Require(fields, "target", request.Target is null ? "Required." : null);
                if (fields.Count == 0)
                {
                    target = await Assignee(caller, request.TargetKind!.Value, request.Target!, tree);
                    Require(fields, "target", target is null ? $"No {Json.Word(request.TargetKind!.Value)} '{request.Target}' you can dispatch to." : null);
                }
                break;
            case IncidentAction.Merge:
                Require(fields, "into", request.Into switch
                {
                    null => "Required.",
                    { } other when await Visible(caller, other) is not { Status: not (IncidentStatus.Merged or IncidentStatus.Rejected) } =>
                        $"No open case {other} within your jurisdiction to merge into.",
                    _ => null,
                });
                break;
            case IncidentAction.Assess:
                Require(fields, "effective", request.Effective is null ? "Required: true or false." : null);
                break;
        }
        if (fields.Count > 0)
            return Refusal.Invalid(fields);

        var command = new IncidentCommand(action, caller, key, string.IsNullOrEmpty(request.Note) ? null : request.Note, request.Attachments,
            target, action == IncidentAction.Ticket ? request.HandlingClass : null,
            Into: action == IncidentAction.Merge ? request.Into : null, Effective: action == IncidentAction.Assess ? request.Effective : null);
        return await Run(actor, id, command);
    }

    /// <summary>
    /// The citizen's rating through the rating link: a wrong token and an unknown incident look the same; an expired
    /// link is a 410, a link used this round a 409 (a retry with the same key still answers as the first time: the
    /// grain replays it before the status refuses it).
    /// </summary>
    public async Task<Outcome<IncidentDetails>> Rate(Guid id, string key, RatingRequest request, string? clientAddress)
    {
        if (await ByRatingLink(id, request.Token) is not { } incident)
            return Refusal.NotFound($"No incident {id} for this link.");
        var state = links.StateOf(incident);
        if (state == RatingLinkState.Expired)
        {
            return new Refusal(RefusalKind.Gone, "The rating link has expired.",
                $"A rating link rates within {links.Lifetime.TotalDays:0.##} days of the feedback; this case was fed back at {incident.ClosedAt:u}.",
                new Dictionary<string, string[]> { ["token"] = ["This rating link has expired."] });
        }
        var command = new IncidentCommand(IncidentAction.Rate, RatingLinks.Citizen(id), key, request.Note, Rating: request.Rating);
        var rated = await Run(new Actor(command.Caller, clientAddress), id, command);
        // Whoever holds the link sees the case as the wall shows it: the reporter masked.
        return rated.Refusal switch
        {
            { Kind: RefusalKind.Conflict } when state == RatingLinkState.Used =>
                Refusal.Conflict("token", "This rating link was used: it rates again once the case is reopened and fed back again.") with { Title = "Already rated." },
            { } refusal => refusal,
            null => Masked(rated.Value!),
        };
    }

    /// <summary>The incident a rating link opens, or null for a wrong token or an unknown incident.</summary>
    public async Task<IncidentDetails?> ByRatingLink(Guid id, string? token) =>
        await links.IsValid(id, token) ? await grains.GetGrain<IIncidentGrain>(id).Get() : null;

    /// <summary>What the link of <paramref name="incident"/> can do now, and for how long it rates after a feedback.</summary>
    public (RatingLinkState State, TimeSpan Lifetime) LinkState(IncidentDetails incident) => (links.StateOf(incident), links.Lifetime);

    /// <summary>
    /// Runs a command on the Incident grain, audited: what is done gets its audit row in its own commit, a retry is
    /// audited here (as replayed). The grain decides status, level and assignee; callers of this method have checked
    /// visibility and fields.
    /// </summary>
    public async Task<Outcome<IncidentDetails>> Run(Actor actor, Guid id, IncidentCommand command)
    {
        var audited = command with { Audit = new AuditedBy(command.Caller, actor.ClientAddress) };
        var result = await ClusterRetry.Run(() => grains.GetGrain<IIncidentGrain>(id).Act(audited), clock);
        if (result.Outcome == ActionOutcome.Done)
            return result.Incident!;
        if (result.Outcome == ActionOutcome.Replayed)
        {
            var incident = result.Incident!;
            await audit.Append(command.Caller, AuditActions.IncidentAction(command.Action), incident.Id.ToString(), AuditLog.Outcomes.Replayed,
                AuditActions.ActionDetail(incident), actor.ClientAddress);
            return incident;
        }
        return result.Outcome switch
        {
            ActionOutcome.NotFound => NoIncident(id),
            ActionOutcome.NotAllowedNow => Refusal.NotNow(result.Incident!.Status, result.Incident.Allowed, result.Message!),
            ActionOutcome.KeyReused => Refusal.Unprocessable(result.Field!, result.Message!, "Idempotency key reused."),
            ActionOutcome.NotYours => Refusal.Forbidden(result.Field!, result.Message!),
            _ => Refusal.Unprocessable(result.Field!, result.Message!, "Not possible for this case."),
        };
    }

    /// <summary>Incidents within an area (whose access the endpoint's rule has checked), most recently changed first.</summary>
    public async Task<Outcome<IReadOnlyList<IncidentDetails>>> List(IncidentListQuery query)
    {
        var filter = FilterOf(query, maxLimit: 500, defaultLimit: 50);
        return filter.Refusal is { } refused ? refused : Outcome.Of<IReadOnlyList<IncidentDetails>>((await store.List(filter.Value!)).Select(Masked).ToList());
    }

    /// <summary>The most rows of an exported list (<c>GET /api/incidents/export.xlsx</c>), and its default.</summary>
    public const int MaxExported = 5000;

    /// <summary>A list as the console filters it, as an Excel workbook: the most recently changed first, at most <see cref="MaxExported"/> rows.</summary>
    public async Task<Outcome<ExportFile>> Export(IncidentListQuery query)
    {
        var filter = FilterOf(query, maxLimit: MaxExported, defaultLimit: MaxExported);
        if (filter.Refusal is { } refused)
            return refused;
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
        var asked = filter.Value!;
        var found = await store.List(asked with { Limit = asked.Limit + 1 });
        var rows = found.Take(asked.Limit).Select(i => IncidentRow.Of(i, tree, categories.List)).ToList();
        var area = tree.NameOf(asked.Jurisdiction);
        var conditions = new List<ListConditionRow>
        {
            new() { Name = "辖区", Value = area },
            new() { Name = "状态", Value = asked.Statuses is { Count: > 0 } statuses ? string.Join("、", statuses.Select(IncidentNames.Of)) : "全部" },
            new() { Name = "类别", Value = query.Category is { Length: > 0 } category ? categories.List.FullName(category) : "全部" },
            new() { Name = "来源", Value = asked.Source is { } source ? IncidentSources.Name(source) : "全部" },
        };
        if (asked.Overdue is { } overdue)
            conditions.Add(new() { Name = "超期", Value = overdue ? "仅超期" : "仅未超期" });
        if (asked.Supervised is { } supervised)
            conditions.Add(new() { Name = "督办", Value = supervised ? "仅督办中" : "仅未督办" });
        if (asked.Notable is { } notable)
            conditions.Add(new() { Name = "重点", Value = $"{NotableName(notable.Event)}({query.From} 至 {query.To})" });
        if (asked.UpdatedBefore is { } before)
            conditions.Add(new() { Name = "更新早于", Value = ChinaTime.Of(before).ToString("yyyy-MM-dd HH:mm:ss") });
        conditions.Add(new() { Name = "导出时间", Value = ChinaTime.Of(clock.GetUtcNow()).ToString("yyyy-MM-dd HH:mm:ss") });
        conditions.Add(new()
        {
            Name = "条数",
            Value = found.Count > asked.Limit ? $"{rows.Count}(仅含最近更新的 {rows.Count} 条,更多的请缩小条件)" : rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new ExportFile(IncidentExport.Xlsx(rows, conditions), ReportExport.ContentType,
            $"{area}事件{ChinaTime.Of(clock.GetUtcNow()):yyyyMMdd-HHmm}.xlsx");
    }

    /// <summary>The Chinese name of a notable event, as reports and exports show it.</summary>
    public static string NotableName(NotableEvent notable) => notable switch
    {
        NotableEvent.Supervised => "督办",
        NotableEvent.Reopened => "重新办理",
        _ => "不满意",
    };

    /// <summary>The store's filter of a list query, or what is wrong with it (each field named).</summary>
    private Outcome<IncidentFilter> FilterOf(IncidentListQuery query, int maxLimit, int defaultLimit)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(query.Jurisdiction))
            errors["jurisdiction"] = ["Required: the code of the area to list."];
        var statuses = new List<IncidentStatus>();
        foreach (var word in (query.Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (EnumWords.TryParse<IncidentStatus>(word, out var status))
                statuses.Add(status);
            else
                errors["status"] = [$"Statuses: {EnumWords.List<IncidentStatus>()}."];
        }
        IncidentSource? source = null;
        if (!string.IsNullOrEmpty(query.Source))
        {
            if (EnumWords.TryParse<IncidentSource>(query.Source, out var parsed))
                source = parsed;
            else
                errors["source"] = [$"Sources: {EnumWords.List<IncidentSource>()}."];
        }
        IReadOnlyList<string>? categoryCodes = null;
        if (!string.IsNullOrEmpty(query.Category))
        {
            if (categories.List.Find(query.Category) is null)
                errors["category"] = [CategoryList.NotACategory(query.Category)];
            else
                categoryCodes = categories.List.CodesWithin(query.Category);
        }
        if (query.Limit < 1 || query.Limit > maxLimit)
            errors["limit"] = [$"Between 1 and {maxLimit}."];
        var notable = Notable(query, errors);
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        return new IncidentFilter(query.Jurisdiction!, statuses, categoryCodes, source, query.Overdue, query.Supervised,
            UpdatedBefore: query.Before, Limit: query.Limit ?? defaultLimit, Notable: notable);
    }

    /// <summary>The query's notable event and its period (China days, both included), or null; errors name notable, from and to.</summary>
    private static NotableWithin? Notable(IncidentListQuery query, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(query.Notable))
        {
            if (!string.IsNullOrEmpty(query.From) || !string.IsNullOrEmpty(query.To))
                errors["notable"] = [$"Required with from and to: {EnumWords.List<NotableEvent>()}."];
            return null;
        }
        if (!EnumWords.TryParse<NotableEvent>(query.Notable, out var happened))
            errors["notable"] = [$"One of {EnumWords.List<NotableEvent>()}."];
        var from = ZeroReportFormats.ReadDay("from", query.From, errors);
        var to = ZeroReportFormats.ReadDay("to", query.To, errors);
        if (string.IsNullOrEmpty(query.From))
            errors["from"] = ["Required with notable: the first day, YYYY-MM-DD (China Standard Time)."];
        if (string.IsNullOrEmpty(query.To))
            errors["to"] = ["Required with notable: the last day, YYYY-MM-DD (China Standard Time)."];
        if (from is not { } first || to is not { } last || errors.ContainsKey("notable"))
            return null;
        if (last < first || last.DayNumber - first.DayNumber + 1 > StatsService.MaxDays)
        {
            errors["to"] = [$"On or after the first day, at most {StatsService.MaxDays} days."];
            return null;
        }
        return NotableWithin.Days(happened, first, last);
    }

    /// <summary>The cases assigned to the caller (a grid person by worker id, a department by account), most recently changed first.</summary>
    public async Task<IReadOnlyList<IncidentDetails>> Mine(Caller caller)
    {
        Assignee? me = caller switch
        {
            { WorkerId: { } worker } => new Assignee(AssigneeKind.Worker, worker, caller.Name),
            { Role: Role.Department } => new Assignee(AssigneeKind.Department, caller.Username!, caller.Name),
            _ => null,
        };
        if (me is null)
            return [];
        var found = new List<IncidentDetails>();
        foreach (var root in caller.Jurisdictions.Distinct())
            found.AddRange(await store.List(new IncidentFilter(root, Assignee: me, Limit: 200)));
        return found.DistinctBy(i => i.Id).OrderByDescending(i => i.UpdatedAt).Select(Masked).ToList();
    }

    /// <summary>Cases the report may duplicate (same category, near, recent), nearest first, within the caller's jurisdiction.</summary>
    public async Task<Outcome<IReadOnlyList<DuplicateProposal>>> Duplicates(Caller caller, Guid id)
    {
        if (await Visible(caller, id) is not { } incident)
            return NoIncident(id);
        var near = await store.Near(incident, options.Value.DuplicateRadiusMeters, options.Value.DuplicateWindow);
        return near
            .Where(c => AccessPolicy.Decide(caller, AccessAction.ReadIncidents, c.Incident.GridCode, directory.Tree) == AccessDecision.Allowed)
            .Select(c => new DuplicateProposal(Masked(c.Incident), Math.Round(c.Meters, 1)))
            .ToList();
    }

    /// <summary>The citizen's rating link, for the dispatcher who tells the reporter.</summary>
    public async Task<Outcome<string>> RatingLink(Caller caller, Guid id)
    {
        if (await Visible(caller, id) is not { } incident)
            return NoIncident(id);
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.DispatchIncidents, incident.GridCode, directory.Tree)) is { } refused)
            return refused;
        return await links.PathFor(id);
    }

    /// <summary>The functional departments cases can be dispatched to: the department accounts.</summary>
    public async Task<IReadOnlyList<Department>> Departments() =>
        (await accounts.List())
            .Where(a => a.Role == Role.Department)
            .Select(a => new Department(a.Username, a.DisplayName))
            .ToList();

    /// <summary>The closed loop's rules as the console shows them.</summary>
    public WorkflowView Rules()
    {
        var o = options.Value;
        return new WorkflowView(
            Enum.GetValues<IncidentStatus>().ToDictionary(s => Json.Word(s), IncidentWorkflow.Allowed),
            o.HandlingClasses,
            new Dictionary<string, string> { ["ticket"] = o.Ticket, ["accept"] = o.Accept, ["feedback"] = o.Feedback, ["supervision"] = o.Supervision },
            o.MaxReopens, o.DuplicateRadiusMeters, o.DuplicateWindow);
    }

    /// <summary>The assignee named by a dispatch, when it exists and lies within the dispatcher's jurisdiction.</summary>
    private async Task<Assignee?> Assignee(Caller caller, AssigneeKind kind, string id, JurisdictionTree tree) => kind switch
    {
        AssigneeKind.Worker when directory.Worker(id) is { } worker && AccessPolicy.IsWithinScope(caller, worker.GridCode, tree) =>
            new Assignee(kind, worker.Id, worker.Name),
        AssigneeKind.Jurisdiction when tree.Find(id) is { } area && AccessPolicy.IsWithinScope(caller, area.Code, tree) =>
            new Assignee(kind, area.Code, area.Name),
        AssigneeKind.Department when await accounts.Find(id) is { Role: Role.Department } department =>
            new Assignee(kind, department.Username, department.DisplayName),
        _ => null,
    };

    private static void Require(Dictionary<string, string[]> fields, string field, string? problem)
    {
        if (problem is not null)
            fields[field] = [problem];
    }

    private static Refusal NoIncident(Guid id) => Refusal.NotFound($"No incident {id}.");
}
