using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
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
            .WithSummary("People bound to grids within ?jurisdiction=CODE (home positions; live ones come with the feed snapshot).")
            .RequireAccess(AccessAction.ReadPeople, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/{id}", Get)
            .WithName("GetWorker")
            .RequireAccess(AccessAction.ReadPeople)
            .Produces<WorkerView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/positions", (HttpContext http, JurisdictionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken) =>
                ReportPositions(http, http.Caller()!, AccessAction.ReportOwnPosition, directory, grains, cancellationToken))
            .WithName("ReportOwnPosition")
            .WithSummary("A grid worker's or officer's own position from their phone: [{ workerId, lat, lng }] with their own workerId.")
            .RequireAccess(AccessAction.ReportOwnPosition)
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

    /// <remarks>A person outside the caller's jurisdiction is "not found".</remarks>
    private static async Task<IResult> Get(string id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains) =>
        directory.Worker(id) is { } worker
        && AccessPolicy.Decide(http.Caller(), AccessAction.ReadPeople, worker.GridCode, directory.Tree) == AccessDecision.Allowed
        && await grains.GetGrain<IWorkerGrain>(id).Get() is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"No worker {id}.");

    /// <summary>
    /// Positions as <paramref name="caller"/>: with <see cref="AccessAction.ReportOwnPosition"/> only the caller's own,
    /// with <see cref="AccessAction.IntakePositions"/> anyone bound to a grid within the caller's jurisdiction.
    /// Nothing is applied unless every position in the batch is allowed.
    /// </summary>
    internal static async Task<IResult> ReportPositions(HttpContext http, Caller caller, AccessAction action, JurisdictionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (bytes, error) = await RequestBody.ReadBytes(http.Request, 256 * 1024, cancellationToken);
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
        var forbidden = new Dictionary<string, string[]>();
        for (var i = 0; i < reports.Length; i++)
        {
            var r = reports[i];
            var worker = r is null ? null : directory.Worker(r.WorkerId ?? "");
            if (worker is null)
                errors[$"[{i}].workerId"] = ["Unknown worker."];
            else if (r!.Lat is < -90 or > 90 || r.Lng is < -180 or > 180)
                errors[$"[{i}].lat"] = ["Coordinates out of range."];
            else if (action == AccessAction.ReportOwnPosition ? worker.Id != caller.WorkerId
                     : AccessPolicy.Decide(caller, action, worker.GridCode, directory.Tree) != AccessDecision.Allowed)
                forbidden[$"[{i}].workerId"] = [action == AccessAction.ReportOwnPosition ? "Only your own position." : "Outside your jurisdiction."];
        }
        if (errors.Count > 0)
            return Problems.Validation(errors);
        if (forbidden.Count > 0)
            return Problems.Forbidden(forbidden);

        await Task.WhenAll(reports.Select(r => grains.GetGrain<IWorkerGrain>(r.WorkerId).ReportPosition(r.Lat, r.Lng)));
        return TypedResults.NoContent();
    }
}
