using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Web.Api;

/// <summary>Report intake (事件上报) and reading incidents.</summary>
public static class IncidentsApi
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>Overload protection: reports beyond these wait, then get 503 + Retry-After (safe to retry with the same key).</summary>
    public const string IntakeLimit = "intake";
    public const int MaxConcurrentReports = 256;
    public const int MaxQueuedReports = 2048;

    public sealed record IncidentCreated(Guid Id, string GridCode, IncidentStatus Status, IncidentDetails Incident);

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").WithTags("Incidents");
        api.MapPost("/", Report)
            .WithName("ReportIncident")
            .WithSummary("Report an incident; durable before the answer. Requires an Idempotency-Key header.")
            .Accepts<ReportIncidentRequest>("application/json")
            .Produces<IncidentCreated>(StatusCodes.Status201Created)
            .Produces<IncidentCreated>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(IntakeLimit)
            .DisableAntiforgery();
        api.MapGet("/{id:guid}", Get)
            .WithName("GetIncident")
            .Produces<IncidentDetails>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The body of a report, for the OpenAPI document; the endpoint validates the raw JSON itself to name each bad field.</summary>
    public sealed record ReportIncidentRequest(IncidentSource Source, string Category, string Title, string? Description, double Lat, double Lng, string? Reporter);

    private static async Task<IResult> Report(HttpRequest request, JurisdictionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0)
            return Problems.Validation("Idempotency-Key", "Required header: a unique key per report, reused only when retrying it.");
        if (key.Length > MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7E))
            return Problems.Validation("Idempotency-Key", $"1 to {MaxIdempotencyKeyLength} visible ASCII characters.");

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

        if (directory.Tree is not { } tree)
            return Problems.Unavailable("No county has been imported yet.");
        if (tree.LocateGrid(lat!.Value, lng!.Value) is not { } grid)
            return Problems.Unprocessable("lat", $"The point ({lat}, {lng}) is outside every grid of {tree.Root.Name}.", "The location is outside the jurisdiction.");

        var report = new ReportIncident(source!.Value, category!, title!, description, lat.Value, lng.Value,
            string.IsNullOrEmpty(reporter) ? null : reporter, grid.Code, tree.PathToRoot(grid.Code));
        var result = await grains.GetGrain<IIncidentGrain>(IncidentIds.FromIdempotencyKey(key)).Report(report);
        var incident = result.Incident;
        var answer = new IncidentCreated(incident.Id, incident.GridCode, incident.Status, incident);
        return result.Outcome switch
        {
            ReportOutcome.Created => TypedResults.Created($"/api/incidents/{incident.Id}", answer),
            ReportOutcome.Replayed => TypedResults.Ok(answer),
            _ => Problems.Unprocessable("Idempotency-Key", "This key was already used for a different report.", "Idempotency key reused."),
        };
    }

    private static async Task<IResult> Get(Guid id, IGrainFactory grains) =>
        await grains.GetGrain<IIncidentGrain>(id).Get() is { } incident
            ? TypedResults.Ok(incident)
            : Problems.NotFound($"No incident {id}.");
}
