using CommandCenter.Jurisdictions;
using CommandCenter.Workers;

namespace CommandCenter.Web.Api;

/// <summary>Grid workers and patrol officers: who is where.</summary>
public static class WorkersApi
{
    public const int MaxPositionsPerBatch = 2000;

    public sealed record PositionReport(string WorkerId, double Lat, double Lng);

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workers").WithTags("Workers");
        api.MapGet("/", List)
            .WithName("ListWorkers")
            .WithSummary("People bound to grids within ?jurisdiction=CODE (home positions; live ones come with the feed snapshot).");
        api.MapGet("/{id}", Get)
            .WithName("GetWorker")
            .Produces<WorkerView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/positions", ReportPositions)
            .WithName("ReportPositions")
            .WithSummary("Positions from phones or a terminal gateway: [{ workerId, lat, lng }].")
            .Accepts<PositionReport[]>("application/json")
            .ProducesValidationProblem()
            .DisableAntiforgery();
        return app;
    }

    private static IResult List(string? jurisdiction, JurisdictionDirectory directory)
    {
        if (string.IsNullOrEmpty(jurisdiction))
            return Problems.Validation("jurisdiction", "Required: the code of the area to list.");
        if (directory.Tree?.Find(jurisdiction) is null)
            return Problems.NotFound($"No jurisdiction {jurisdiction}.");
        return TypedResults.Ok(directory.WorkersIn(jurisdiction));
    }

    private static async Task<IResult> Get(string id, IGrainFactory grains) =>
        await grains.GetGrain<IWorkerGrain>(id).Get() is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"No worker {id}.");

    private static async Task<IResult> ReportPositions(HttpRequest request, JurisdictionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (bytes, error) = await RequestBody.ReadBytes(request, 256 * 1024, cancellationToken);
        if (bytes is null)
            return error!;
        PositionReport[]? reports;
        try
        {
            reports = System.Text.Json.JsonSerializer.Deserialize<PositionReport[]>(bytes, Json.Options);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Problems.Validation("$", $"Expected an array of {{ workerId, lat, lng }}: {e.Message}");
        }
        if (reports is null || reports.Length > MaxPositionsPerBatch)
            return Problems.Validation("$", $"Expected an array of 1 to {MaxPositionsPerBatch} positions.");

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < reports.Length; i++)
        {
            var r = reports[i];
            if (r is null || directory.Worker(r.WorkerId ?? "") is null)
                errors[$"[{i}].workerId"] = ["Unknown worker."];
            else if (r.Lat is < -90 or > 90 || r.Lng is < -180 or > 180)
                errors[$"[{i}].lat"] = ["Coordinates out of range."];
        }
        if (errors.Count > 0)
            return Problems.Validation(errors);

        await Task.WhenAll(reports.Select(r => grains.GetGrain<IWorkerGrain>(r.WorkerId).ReportPosition(r.Lat, r.Lng)));
        return TypedResults.NoContent();
    }
}
