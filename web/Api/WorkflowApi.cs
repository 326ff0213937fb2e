using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// The closed loop over HTTP: one endpoint per action (<c>POST /api/incidents/{id}/{action}</c>), the citizen's rating
/// by link, lists with filters, duplicate proposals, and what the console needs to offer choices.
/// </summary>
public static class WorkflowApi
{
    /// <summary>Anonymous rating posts are limited per client address (the token is the secret; this stops guessing at scale).</summary>
    public const string RatingLimit = "ratings";

    private static readonly Dictionary<IncidentAction, string> Summaries = new()
    {
        [IncidentAction.Verify] = "核实: the report is a real case. The response lists the open cases it may duplicate under GET …/duplicates.",
        [IncidentAction.Reject] = "驳回: the report is invalid; note (the reason) required.",
        [IncidentAction.Merge] = "合并: the report duplicates the case `into`, which handles it and passes its feedback on.",
        [IncidentAction.Resolve] = "就地办结: a grid person closes a new report on the spot; note (what was done) required, attachments as evidence.",
        [IncidentAction.Ticket] = "制单: make the ticket; handlingClass sets the handling deadline (default by source).",
        [IncidentAction.Dispatch] = "派单: targetKind worker|jurisdiction|department and target "
            + "(worker id, a level on the case's path, a department's account).",
        [IncidentAction.Take] = "接警: a person of the grids takes a case nobody has (or dispatched to a level they cover) and is handling it at once; "
            + "it signs their alerts of the case.",
        [IncidentAction.Accept] = "接单: by the assignee.",
        [IncidentAction.Handle] = "处置: by the assignee; note (the result) required, attachments (ids uploaded to this incident) as photos.",
        [IncidentAction.Feedback] = "反馈: tell the reporter (and the reporters of merged duplicates); note required. Closes the case (办结).",
        [IncidentAction.Assess] = "考单: effective (true/false) required; on time and satisfied come from the record.",
        [IncidentAction.Escalate] = "上报上级: hand the case to the level above; note (why) required.",
    };

    public static IEndpointRouteBuilder MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/incidents", "Closed loop");
        foreach (var action in Summaries.Keys)
        {
            api.MapPost($"/{{id:guid}}/{Json.Word(action)}", (Guid id, IdempotencyKey key, Body<ActionRequest> body, HttpContext http,
                        IncidentService incidents) => incidents.Act(http.Actor(), id, action, key.Value, body.Value).Answer(TypedResults.Ok))
                .WithName("Incident" + action)
                .WithSummary(Summaries[action])
                .WithDescription("Requires an Idempotency-Key header: a retry with the same key answers as the first time. "
                    + "409 names the status and the actions allowed in it.")
                .RequireAccess(AccessPolicy.ForIncident(action))
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        }
        api.MapPost("/{id:guid}/rate", (Guid id, IdempotencyKey key, Body<RatingRequest> body, HttpContext http, IncidentService incidents) =>
                incidents.Rate(id, key.Value, body.Value, http.ClientAddress()).Answer(TypedResults.Ok))
            .WithName("IncidentRate")
            .WithSummary("评单: the citizen's rating through the rating link (no account): token from the link, "
                + "rating satisfied|neutral|dissatisfied, note (the reason) required when dissatisfied.")
            .AllowAnonymous()
            .ValidateInput()
            .RequireRateLimiting(RatingLimit)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/", ([AsParameters] IncidentListQuery query, IncidentService incidents) => incidents.List(query).Answer(TypedResults.Ok))
            .WithName("ListIncidents")
            .WithSummary("Incidents within a jurisdiction, most recently changed first: filters status (comma-separated), category, source, "
                + "overdue, supervised, and notable=supervised|reopened|dissatisfied with from and to (China days, both included: the cases "
                + "supervised, reopened or rated dissatisfied in that period); paging by before (updatedAt of the last row seen).")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/export.xlsx", ([AsParameters] IncidentListQuery query, IncidentService incidents) =>
                incidents.Export(query).Answer(x => TypedResults.File(x.Bytes, x.ContentType, x.FileName)))
            .WithName("ExportIncidents")
            .WithSummary($"The list of GET /api/incidents with the same filters as .xlsx: sheets 事件 (names, China times as dates) and 筛选条件; "
                + $"limit up to {IncidentService.MaxExported} (the default), the most recently changed first.")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/mine", async Task<Ok<IReadOnlyList<IncidentDetails>>> (HttpContext http, IncidentService incidents) =>
                TypedResults.Ok(await incidents.Mine(http.Actor().Caller)))
            .WithName("MyIncidents")
            .WithSummary("The cases assigned to the caller (a grid person by worker id, a department by account), most recently changed first.")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Anywhere);
        api.MapGet("/{id:guid}/duplicates", (Guid id, HttpContext http, IncidentService incidents) =>
                incidents.Duplicates(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("IncidentDuplicates")
            .WithSummary("Cases this report may duplicate: same category, within the configured radius and time window, visible to the caller, nearest first.")
            .RequireAccess(AccessAction.ReadIncidents)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/responders", (Guid id, int? limit, HttpContext http, ResponderService responders) =>
                responders.Nearest(http.Actor().Caller, id, limit).Answer(TypedResults.Ok))
            .WithName("IncidentResponders")
            .WithSummary("The nearest responders (就近派单): the available people (on duty or on patrol, in contact) within the caller's "
                + "jurisdiction, the incident's own grid people first, then by distance; each with distance, status, age of "
                + "position, open cases and whether a patrol officer is bound to the grid. ?limit= 1–50 (10).")
            .RequireAccess(AccessAction.DispatchIncidents)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/rating-link", (Guid id, HttpContext http, IncidentService incidents) =>
                incidents.RatingLink(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("IncidentRatingLink")
            .WithSummary("The citizen's rating link of the incident, for the one who tells the reporter (SMS, the 12345 callback).")
            .RequireAccess(AccessAction.DispatchIncidents)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var loop = app.MapApiGroup("/api", "Closed loop");
        loop.MapGet("/departments", async Task<Ok<IReadOnlyList<Department>>> (IncidentService incidents) => TypedResults.Ok(await incidents.Departments()))
            .WithName("ListDepartments")
            .WithSummary("The functional departments cases can be dispatched to: the department accounts.")
            .RequireAccess(AccessAction.DispatchIncidents, AccessTarget.Anywhere);
        loop.MapGet("/workflow", (IncidentService incidents) => TypedResults.Ok(incidents.Rules()))
            .WithName("Workflow")
            .WithSummary("The closed loop's rules: allowed actions per status, handling classes and step terms (N working days \"Nwd\", N weeks \"Nw\").")
            .RequireAccess(AccessAction.ReadIncidents, AccessTarget.Anywhere);
        return app;
    }
}
