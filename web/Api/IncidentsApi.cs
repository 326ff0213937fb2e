using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Api;

/// <summary>Report intake (事件上报) and reading incidents.</summary>
public static class IncidentsApi
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>Overload protection: reports beyond these wait, then get 503 + Retry-After (safe to retry with the same key).</summary>
    public const string ReportLimit = "reports";
    public const int MaxConcurrentReports = 256;
    public const int MaxQueuedReports = 2048;

    public sealed record TimelineEntry(int Sequence, string Kind, DateTimeOffset At, string Actor, string? ActorRole, System.Text.Json.JsonElement Data);

    /// <summary>The answer to a report; <see cref="RatingLink"/> is the path of the citizen's rating page, for the reporter.</summary>
    public sealed record IncidentCreated(Guid Id, string GridCode, IncidentStatus Status, IncidentDetails Incident, string RatingLink);

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").WithTags("Incidents");
        api.MapPost("/", (HttpContext http, JurisdictionDirectory directory, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken) =>
                Report(http, http.Caller()!, AccessAction.ReportIncidents, null, directory, grains, audit, cancellationToken))
            .WithName("ReportIncident")
            .WithSummary("Report an incident as a signed-in person, within your jurisdiction; durable before the answer. Requires an Idempotency-Key header.")
            .RequireAccess(AccessAction.ReportIncidents)
            .Accepts<ReportIncidentRequest>("application/json")
            .Produces<IncidentCreated>(StatusCodes.Status201Created)
            .Produces<IncidentCreated>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(ReportLimit)
            .DisableAntiforgery();
        api.MapGet("/{id:guid}", Get)
            .WithName("GetIncident")
            .RequireAccess(AccessAction.ReadIncidents)
            .Produces<IncidentDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/timeline", Timeline)
            .WithName("IncidentTimeline")
            .WithSummary("The incident's history, oldest first: who did what, when, with the event's data.")
            .RequireAccess(AccessAction.ReadIncidents)
            .Produces<IReadOnlyList<TimelineEntry>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The body of a report, for the OpenAPI document; the endpoint validates the raw JSON itself to name each bad field.</summary>
    public sealed record ReportIncidentRequest(IncidentSource Source, string Category, string Title, string? Description, double Lat, double Lng, string? Reporter);

    /// <summary>
    /// Validates and stores a report as <paramref name="caller"/>: the location must lie within the caller's jurisdiction,
    /// and an integration may only report as its own <paramref name="sources"/> (null: any source).
    /// </summary>
    internal static async Task<IResult> Report(HttpContext http, Caller caller, AccessAction action, IReadOnlyCollection<string>? sources,
        JurisdictionDirectory directory, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var (key, keyError) = WorkflowApi.IdempotencyKey(request);
        if (keyError is not null)
            return keyError;

        var (body, error) = await RequestBody.ReadJsonObject(request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return error!;
        var source = body.Enum<IncidentSource>("source");
        var category = body.Text("category", 32, required: true);
        var title = body.Text("title", 100, required: true);
        var description = body.Text("description", 2000, required: false) ?? "";
        var lat = body.Number("lat", -90, 90);
        var lng = body.Number("lng", -180, 180);
        var reporter = body.Text("reporter", 64, required: false);
        if (!body.IsValid)
            return Problems.Validation(body.Errors);
        var sourceName = Json.Word(source!.Value);
        if (sources is not null && !sources.Contains(sourceName))
            return Problems.Forbidden("source", $"This integration may report as: {string.Join(", ", sources)}.");

        if (directory.Tree is not { } tree)
            return Problems.Unavailable("No county has been imported yet.");
        if (tree.LocateGrid(lat!.Value, lng!.Value) is not { } grid)
            return Problems.Unprocessable("lat", $"The point ({lat}, {lng}) is outside every grid of {tree.Root.Name}.", "The location is outside the jurisdiction.");
        if (AccessPolicy.Decide(caller, action, grid.Code, tree) != AccessDecision.Allowed)
            return Problems.Forbidden("lat", $"The point ({lat}, {lng}) lies in grid {grid.Code}, outside your jurisdiction.");

        var report = new ReportIncident(source!.Value, category!, title!, description, lat.Value, lng.Value,
            string.IsNullOrEmpty(reporter) ? null : reporter, grid.Code, tree.PathToRoot(grid.Code), caller.Id, caller.Role.ToString());
        var result = await grains.GetGrain<IIncidentGrain>(IncidentIds.FromIdempotencyKey(caller.Id, key!)).Report(report);
        var incident = result.Incident;
        var answer = new IncidentCreated(incident.Id, incident.GridCode, incident.Status, incident,
            await http.RequestServices.GetRequiredService<RatingLinks>().PathFor(incident.Id));
        if (result.Outcome == ReportOutcome.Created)
            http.RequestServices.GetRequiredService<Cameras.EvidenceCollector>().Collect(incident);
        // A retry is audited too (as replayed): if the first answer was lost after the report was stored, its row is written now.
        if (result.Outcome != ReportOutcome.KeyReused)
            await audit.Append(caller, AuditActions.ReportIncident, incident.Id.ToString(),
                result.Outcome == ReportOutcome.Created ? AuditLog.Outcomes.Succeeded : AuditLog.Outcomes.Replayed,
                $"{sourceName} · {incident.Category} · {incident.Title}", http.ClientAddress());
        return result.Outcome switch
        {
            ReportOutcome.Created => TypedResults.Created($"/api/incidents/{incident.Id}", answer),
            ReportOutcome.Replayed => TypedResults.Ok(answer),
            _ => Problems.Unprocessable("Idempotency-Key", "This key was already used for a different report.", "Idempotency key reused."),
        };
    }

    /// <remarks>An incident outside the caller's jurisdiction is "not found": ids must not reveal what exists elsewhere.</remarks>
    private static async Task<IResult> Get(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains) =>
        await Visible(id, http, directory, grains) is { } incident
            ? TypedResults.Ok(incident)
            : Problems.NotFound($"No incident {id}.");

    private static async Task<IResult> Timeline(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains)
    {
        if (await Visible(id, http, directory, grains) is null)
            return Problems.NotFound($"No incident {id}.");
        var events = await grains.GetGrain<IIncidentGrain>(id).Timeline();
        return TypedResults.Ok(events.Select(e =>
            new TimelineEntry(e.Sequence, e.Kind, e.At, e.Actor, e.ActorRole, System.Text.Json.JsonDocument.Parse(e.Data).RootElement.Clone())));
    }

    /// <summary>The incident when it exists and the caller may do <paramref name="action"/> (by default: read it) in its grid.</summary>
    internal static async Task<IncidentDetails?> Visible(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains,
        AccessAction action = AccessAction.ReadIncidents) =>
        await grains.GetGrain<IIncidentGrain>(id).Get() is { } incident
        && AccessPolicy.Decide(http.Caller(), action, incident.GridCode, directory.Tree) == AccessDecision.Allowed
            ? incident
            : null;
}
