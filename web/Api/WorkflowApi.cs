using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>
/// The closed loop over HTTP: one endpoint per action (<c>POST /api/incidents/{id}/{action}</c>), the citizen's rating
/// by link, lists with filters, duplicate proposals, and what the console needs to offer choices.
/// </summary>
public static class WorkflowApi
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxNoteLength = 2000;
    public const int MaxAttachments = 20;

    /// <summary>Anonymous rating posts are limited per client address (the token is the secret; this stops guessing at scale).</summary>
    public const string RatingLimit = "ratings";

    /// <summary>The body of an action, for the OpenAPI document; each action reads the fields it needs and names any that are wrong.</summary>
    public sealed record ActionRequest(
        string? Note, IReadOnlyList<Guid>? Attachments, AssigneeKind? TargetKind, string? Target, string? HandlingClass, Guid? Into, bool? Effective);

    public sealed record RatingRequest(string Token, Rating Rating, string? Note);

    public sealed record DuplicateProposal(IncidentDetails Incident, double Meters);

    public sealed record Department(string Account, string Name);

    /// <summary>The rules the console shows: statuses with their allowed actions, handling classes and the step terms.</summary>
    public sealed record WorkflowView(
        IReadOnlyDictionary<string, IReadOnlyList<IncidentAction>> Allowed,
        IReadOnlyDictionary<string, string> HandlingClasses,
        IReadOnlyDictionary<string, string> Steps,
        int MaxReopens,
        double DuplicateRadiusMeters,
        TimeSpan DuplicateWindow);

    private static readonly Dictionary<IncidentAction, string> Summaries = new()
    {
        [IncidentAction.Verify] = "核实: the report is a real case. The response lists the open cases it may duplicate under GET …/duplicates.",
        [IncidentAction.Reject] = "驳回: the report is invalid; note (the reason) required.",
        [IncidentAction.Merge] = "合并: the report duplicates the case `into`, which handles it and passes its feedback on.",
        [IncidentAction.Resolve] = "就地办结: a grid person closes a new report on the spot; note (what was done) required, attachments as evidence.",
        [IncidentAction.Ticket] = "制单: make the ticket; handlingClass sets the handling deadline (default by source).",
        [IncidentAction.Dispatch] = "派单: targetKind worker|jurisdiction|department and target (worker id, a level on the case's path, a department's account).",
        [IncidentAction.Accept] = "接单: by the assignee.",
        [IncidentAction.Handle] = "处置: by the assignee; note (the result) required, attachments (ids uploaded to this incident) as photos.",
        [IncidentAction.Feedback] = "反馈: tell the reporter (and the reporters of merged duplicates); note required. Closes the case (办结).",
        [IncidentAction.Assess] = "考单: effective (true/false) required; on time and satisfied come from the record.",
        [IncidentAction.Escalate] = "上报上级: hand the case to the level above; note (why) required.",
    };

    private static readonly HashSet<IncidentAction> NoteRequired =
        [IncidentAction.Reject, IncidentAction.Resolve, IncidentAction.Handle, IncidentAction.Feedback, IncidentAction.Escalate];

    /// <summary>Which access action the policy checks for each workflow action.</summary>
    public static AccessAction AccessOf(IncidentAction action) => action switch
    {
        IncidentAction.Accept or IncidentAction.Handle or IncidentAction.Resolve => AccessAction.HandleIncidents,
        IncidentAction.Assess => AccessAction.AssessIncidents,
        _ => AccessAction.DispatchIncidents,
    };

    public static IEndpointRouteBuilder MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").WithTags("Closed loop");
        foreach (var action in Summaries.Keys)
        {
            api.MapPost($"/{{id:guid}}/{Json.Word(action)}", (Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains,
                        AccountStore accounts, AuditLog audit, CancellationToken cancellationToken) =>
                    Act(id, action, http, directory, grains, accounts, audit, cancellationToken))
                .WithName("Incident" + action)
                .WithSummary(Summaries[action])
                .WithDescription("Requires an Idempotency-Key header: a retry with the same key answers as the first time. 409 names the status and the actions allowed in it.")
                .RequireAccess(AccessOf(action))
                .Accepts<ActionRequest>("application/json")
                .Produces<IncidentDetails>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
                .DisableAntiforgery();
        }
        api.MapPost("/{id:guid}/rate", Rate)
            .WithName("IncidentRate")
            .WithSummary("评单: the citizen's rating through the rating link (no account): token from the link, rating satisfied|neutral|dissatisfied, note (the reason) required when dissatisfied.")
            .AllowAnonymous()
            .RequireRateLimiting(RatingLimit)
            .Accepts<RatingRequest>("application/json")
            .Produces<IncidentDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .DisableAntiforgery();
        api.MapGet("/", List)
            .WithName("ListIncidents")
            .WithSummary("Incidents within a jurisdiction, most recently changed first: filters status (comma-separated), category, source, overdue, supervised; paging by before (updatedAt of the last row seen).")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Parameter, "jurisdiction")
            .Produces<IReadOnlyList<IncidentDetails>>()
            .ProducesValidationProblem();
        api.MapGet("/mine", Mine)
            .WithName("MyIncidents")
            .WithSummary("The cases assigned to the caller (a grid person by worker id, a department by account), most recently changed first.")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Anywhere)
            .Produces<IReadOnlyList<IncidentDetails>>();
        api.MapGet("/{id:guid}/duplicates", Duplicates)
            .WithName("IncidentDuplicates")
            .WithSummary("Cases this report may duplicate: same category, within the configured radius and time window, visible to the caller, nearest first.")
            .RequireAccess(AccessAction.ReadIncidents)
            .Produces<IReadOnlyList<DuplicateProposal>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/rating-link", RatingLink)
            .WithName("IncidentRatingLink")
            .WithSummary("The citizen's rating link of the incident, for the one who tells the reporter (SMS, the 12345 callback).")
            .RequireAccess(AccessAction.DispatchIncidents)
            .Produces<string>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/departments", Departments)
            .WithTags("Closed loop")
            .WithName("ListDepartments")
            .WithSummary("The functional departments cases can be dispatched to: the department accounts.")
            .RequireAccess(AccessAction.DispatchIncidents, AccessTarget.Anywhere)
            .Produces<IReadOnlyList<Department>>();
        app.MapGet("/api/workflow", (IOptions<WorkflowOptions> options) =>
            {
                var o = options.Value;
                return TypedResults.Ok(new WorkflowView(
                    Enum.GetValues<IncidentStatus>().ToDictionary(s => Json.Word(s), IncidentWorkflow.Allowed),
                    o.HandlingClasses,
                    new Dictionary<string, string> { ["ticket"] = o.Ticket, ["accept"] = o.Accept, ["feedback"] = o.Feedback, ["supervision"] = o.Supervision },
                    o.MaxReopens, o.DuplicateRadiusMeters, o.DuplicateWindow));
            })
            .WithTags("Closed loop")
            .WithName("Workflow")
            .WithSummary("The closed loop's rules: allowed actions per status, handling classes and step terms (N working days \"Nwd\", N weeks \"Nw\").")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Anywhere)
            .Produces<WorkflowView>();
        return app;
    }

    private static async Task<IResult> Act(Guid id, IncidentAction action, HttpContext http, JurisdictionDirectory directory,
        IGrainFactory grains, AccountStore accounts, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = http.Caller()!;
        var (key, keyError) = IdempotencyKey(http.Request);
        if (keyError is not null)
            return keyError;
        var (body, bodyError) = await ReadOptionalObject(http.Request, cancellationToken);
        if (body is null)
            return bodyError!;

        if (await IncidentsApi.Visible(id, http, directory, grains) is not { } incident || directory.Tree is not { } tree)
            return Problems.NotFound($"No incident {id}.");
        if (Problems.For(AccessPolicy.Decide(caller, AccessOf(action), incident.GridCode, tree)) is { } refused)
            return refused;

        var note = body.Text("note", MaxNoteLength, required: NoteRequired.Contains(action));
        var attachments = body.Has("attachments") ? Guids(body, "attachments", MaxAttachments) : null;
        Assignee? target = null;
        string? handlingClass = null;
        Guid? into = null;
        bool? effective = null;
        switch (action)
        {
            case IncidentAction.Dispatch:
                var kind = body.Enum<AssigneeKind>("targetKind");
                var targetId = body.Text("target", 64, required: true);
                if (body.IsValid)
                    target = await Resolve(caller, kind!.Value, targetId!, directory, tree, accounts, body);
                break;
            case IncidentAction.Ticket:
                handlingClass = body.Text("handlingClass", 64, required: false);
                break;
            case IncidentAction.Merge:
                into = Guids(body, "into", 1)?.FirstOrDefault();
                if (into is { } other && await IncidentsApi.Visible(other, http, directory, grains) is not { Status: not (IncidentStatus.Merged or IncidentStatus.Rejected) })
                    body.Fail("into", $"No open case {other} within your jurisdiction to merge into.");
                break;
            case IncidentAction.Assess:
                effective = body.Boolean("effective");
                break;
        }
        if (!body.IsValid)
            return Problems.Validation(body.Errors);

        var command = new IncidentCommand(action, caller, key!, string.IsNullOrEmpty(note) ? null : note, attachments, target, handlingClass,
            Into: into, Effective: effective);
        return await Answer(grains.GetGrain<IIncidentGrain>(id), command, http, audit);
    }

    private static async Task<IResult> Rate(Guid id, HttpContext http, IGrainFactory grains, RatingLinks links, AuditLog audit, CancellationToken cancellationToken)
    {
        var (key, keyError) = IdempotencyKey(http.Request);
        if (keyError is not null)
            return keyError;
        var (body, bodyError) = await RequestBody.ReadJsonObject(http.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return bodyError!;
        var token = body.Text("token", 64, required: true);
        var rating = body.Enum<Rating>("rating");
        var note = body.Text("note", MaxNoteLength, required: rating == Rating.Dissatisfied);
        if (!body.IsValid)
            return Problems.Validation(body.Errors);
        // A wrong token and an unknown incident look the same: the link is the only way in.
        if (!await links.IsValid(id, token))
            return Problems.NotFound($"No incident {id} for this link.");
        var command = new IncidentCommand(IncidentAction.Rate, Citizen(id), key!,
            string.IsNullOrEmpty(note) ? null : note, Rating: rating);
        return await Answer(grains.GetGrain<IIncidentGrain>(id), command, http, audit);
    }

    /// <summary>Who rates through an incident's link: the citizen of that incident, with no other access.</summary>
    public static Caller Citizen(Guid incident) => new($"citizen:{incident:N}", "群众", Role.Citizen, []);

    /// <summary>Runs a command on the grain and audits what was done (a retry as replayed) before returning the result.</summary>
    public static async Task<ActionResult> Run(IIncidentGrain grain, IncidentCommand command, AuditLog audit, string? clientAddress)
    {
        var result = await grain.Act(command);
        if (result.Outcome is ActionOutcome.Done or ActionOutcome.Replayed)
        {
            var incident = result.Incident!;
            await audit.Append(command.Caller, AuditActions.IncidentAction(command.Action), incident.Id.ToString(),
                result.Outcome == ActionOutcome.Done ? AuditLog.Outcomes.Succeeded : AuditLog.Outcomes.Replayed,
                $"{Json.Word(incident.Status)} · {incident.Title}", clientAddress);
        }
        return result;
    }

    /// <summary>Runs a command (see <see cref="Run"/>) and answers it over HTTP.</summary>
    public static async Task<IResult> Answer(IIncidentGrain grain, IncidentCommand command, HttpContext http, AuditLog audit)
    {
        var result = await Run(grain, command, audit, http.ClientAddress());
        if (result.Outcome is ActionOutcome.Done or ActionOutcome.Replayed)
            return TypedResults.Ok(result.Incident!);
        return result.Outcome switch
        {
            ActionOutcome.NotFound => Problems.NotFound($"No incident {command.Caller.Id}."),
            ActionOutcome.NotAllowedNow => Problems.NotNow(result.Incident!.Status, result.Incident.Allowed, result.Message!),
            ActionOutcome.KeyReused => Problems.Unprocessable(result.Field!, result.Message!, "Idempotency key reused."),
            ActionOutcome.NotYours => Problems.Forbidden(result.Field!, result.Message!),
            _ => Problems.Unprocessable(result.Field!, result.Message!, "Not possible for this case."),
        };
    }

    private static async Task<IResult> List(HttpContext http, IncidentStore store, string? jurisdiction, string? status, string? category,
        string? source, bool? overdue, bool? supervised, DateTimeOffset? before, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(jurisdiction))
            errors["jurisdiction"] = ["Required: the code of the area to list."];
        var statuses = new List<IncidentStatus>();
        foreach (var word in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.GetValues<IncidentStatus>().FirstOrDefault(s => Json.Word(s) == word) is var s && Json.Word(s) == word)
                statuses.Add(s);
            else
                errors["status"] = [$"Statuses: {string.Join(", ", Enum.GetValues<IncidentStatus>().Select(v => Json.Word(v)))}."];
        }
        IncidentSource? sourceValue = null;
        if (!string.IsNullOrEmpty(source))
        {
            sourceValue = Enum.GetValues<IncidentSource>().Select(v => (IncidentSource?)v).FirstOrDefault(v => Json.Word(v!.Value) == source);
            if (sourceValue is null)
                errors["source"] = [$"Sources: {string.Join(", ", Enum.GetValues<IncidentSource>().Select(v => Json.Word(v)))}."];
        }
        if (limit is < 1 or > 500)
            errors["limit"] = ["Between 1 and 500."];
        if (errors.Count > 0)
            return Problems.Validation(errors);
        var found = await store.List(new IncidentFilter(jurisdiction!, statuses, string.IsNullOrEmpty(category) ? null : category, sourceValue,
            overdue, supervised, UpdatedBefore: before, Limit: limit ?? 50));
        return TypedResults.Ok(found);
    }

    private static async Task<IResult> Mine(HttpContext http, IncidentStore store)
    {
        var caller = http.Caller()!;
        Assignee? me = caller switch
        {
            { WorkerId: { } worker } => new Assignee(AssigneeKind.Worker, worker, caller.Name),
            { Role: Role.Department } => new Assignee(AssigneeKind.Department, caller.Id[Caller.UserPrefix.Length..], caller.Name),
            _ => null,
        };
        if (me is null)
            return TypedResults.Ok(Array.Empty<IncidentDetails>());
        var found = new List<IncidentDetails>();
        foreach (var root in caller.Jurisdictions.Distinct())
            found.AddRange(await store.List(new IncidentFilter(root, Assignee: me, Limit: 200)));
        return TypedResults.Ok(found.DistinctBy(i => i.Id).OrderByDescending(i => i.UpdatedAt).ToList());
    }

    private static async Task<IResult> Duplicates(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains,
        IncidentStore store, IOptions<WorkflowOptions> options)
    {
        if (await IncidentsApi.Visible(id, http, directory, grains) is not { } incident)
            return Problems.NotFound($"No incident {id}.");
        var caller = http.Caller()!;
        var near = await store.Near(incident, options.Value.DuplicateRadiusMeters, options.Value.DuplicateWindow);
        return TypedResults.Ok(near
            .Where(c => AccessPolicy.Decide(caller, AccessAction.ReadIncidents, c.Incident.GridCode, directory.Tree) == AccessDecision.Allowed)
            .Select(c => new DuplicateProposal(c.Incident, Math.Round(c.Meters, 1)))
            .ToList());
    }

    private static async Task<IResult> RatingLink(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains, RatingLinks links)
    {
        if (await IncidentsApi.Visible(id, http, directory, grains) is not { } incident)
            return Problems.NotFound($"No incident {id}.");
        if (Problems.For(AccessPolicy.Decide(http.Caller(), AccessAction.DispatchIncidents, incident.GridCode, directory.Tree)) is { } refused)
            return refused;
        return TypedResults.Ok(await links.PathFor(id));
    }

    private static async Task<IResult> Departments(AccountStore accounts) =>
        TypedResults.Ok((await accounts.List())
            .Where(a => a.Role == Role.Department)
            .Select(a => new Department(a.Username, a.DisplayName))
            .ToList());

    /// <summary>The assignee named by a dispatch, when it exists and lies within the dispatcher's jurisdiction (else a field error).</summary>
    private static async Task<Assignee?> Resolve(Caller caller, AssigneeKind kind, string id, JurisdictionDirectory directory,
        Geography.JurisdictionTree tree, AccountStore accounts, RequestBody body)
    {
        switch (kind)
        {
            case AssigneeKind.Worker when directory.Worker(id) is { } worker && AccessPolicy.IsWithinScope(caller, worker.GridCode, tree):
                return new Assignee(kind, worker.Id, worker.Name);
            case AssigneeKind.Jurisdiction when tree.Find(id) is { } area && AccessPolicy.IsWithinScope(caller, area.Code, tree):
                return new Assignee(kind, area.Code, area.Name);
            case AssigneeKind.Department when await accounts.Find(id) is { Role: Role.Department } department:
                return new Assignee(kind, department.Username, department.DisplayName);
            default:
                body.Fail("target", $"No {Json.Word(kind)} '{id}' you can dispatch to.");
                return null;
        }
    }

    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The request's idempotency key, or the problem with it.</summary>
    public static (string? Key, IResult? Error) IdempotencyKey(HttpRequest request)
    {
        var key = request.Headers[IdempotencyHeader].ToString();
        if (key.Length == 0)
            return (null, Problems.Validation(IdempotencyHeader, "Required header: a unique key per request, reused only when retrying it."));
        if (key.Length > IncidentsApi.MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7E))
            return (null, Problems.Validation(IdempotencyHeader, $"1 to {IncidentsApi.MaxIdempotencyKeyLength} visible ASCII characters."));
        return (key, null);
    }

    /// <summary>A JSON object body, or an empty one when the request has no body at all (actions like accept need no fields).</summary>
    private static Task<(RequestBody? Body, IResult? Error)> ReadOptionalObject(HttpRequest request, CancellationToken cancellationToken) =>
        request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Content-Type") && !request.Headers.ContainsKey("Transfer-Encoding"))
            ? Task.FromResult<(RequestBody?, IResult?)>((RequestBody.EmptyObject(), null))
            : RequestBody.ReadJsonObject(request, MaxBodyBytes, cancellationToken);

    private static IReadOnlyList<Guid>? Guids(RequestBody body, string field, int max)
    {
        var texts = field == "into" ? body.Text(field, 64, required: true) is { } one ? [one] : null : body.TextList(field, max, 64);
        if (texts is null)
            return null;
        var ids = new List<Guid>();
        foreach (var text in texts)
        {
            if (Guid.TryParse(text, out var id))
                ids.Add(id);
            else
                body.Fail(field, $"'{text}' is not an id.");
        }
        return ids;
    }
}
