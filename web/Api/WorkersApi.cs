using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>Grid workers and patrol officers: who is where.</summary>
public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workers", "Workers");
        api.MapGet("/", (string? jurisdiction, string? q, int? limit, WorkerService workers) => workers.List(jurisdiction, q, limit).Answer(TypedResults.Ok))
            .WithName("ListWorkers")
            .WithSummary("People bound to grids within ?jurisdiction=CODE, with their grid's name (home positions; live ones come with the "
                + "feed snapshot); &q= those whose name holds it or whose id begins with it, &limit= at most that many (1-500).")
            .RequireAccess(AccessAction.ReadPeople, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/{id}", (string id, HttpContext http, WorkerService workers) => workers.Get(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("GetWorker")
            .RequireAccess(AccessAction.ReadPeople)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/track", (string id, [AsParameters] TrackQuery query, HttpContext http, TrackService tracks) =>
                tracks.Read(http.Actor(), id, query).Answer(TypedResults.Ok))
            .WithName("GetWorkerTrack")
            .WithSummary("A person's simplified track (轨迹) over ?from=&to= (ISO 8601; at most CommandCenter:Tracks:MaxPeriod, 7 days): the kept points with their times.")
            .RequireAccess(AccessAction.ReadPeople)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/me/status", (Body<DutyStatusRequest> body, HttpContext http, WorkerService workers) =>
                workers.SetOwnStatus(http.Actor(), body.Value).Answer(TypedResults.Ok))
            .WithName("SetOwnDutyStatus")
            .WithSummary("A grid worker's or officer's own duty status from their phone: { status: offDuty | onDuty | onPatrol | sos } (busy is the loop's).")
            .RequireAccess(AccessAction.SetOwnDutyStatus)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/positions", (Body<PositionBatch> body, HttpContext http, WorkerService workers) =>
                workers.ReportOwn(http.Actor(), body.Value).Answer(_ => TypedResults.NoContent()))
            .WithName("ReportOwnPosition")
            .WithSummary("A grid worker's or officer's own position from their phone: [{ workerId, lat, lng, at? }] with their own workerId.")
            .RequireAccess(AccessAction.ReportOwnPosition);
        api.MapPost("/import", async (HttpContext http, PeopleService people, CancellationToken cancellationToken) =>
            {
                // Anything but CSV or Excel is a 415 before this runs (the types the endpoint accepts).
                var xlsx = (http.Request.ContentType ?? "").StartsWith(SpreadsheetTable.ContentType, StringComparison.OrdinalIgnoreCase);
                var bytes = await RequestBody.ReadBytes(http.Request, PeopleService.MaxImportBytes, cancellationToken);
                return await bytes.Then(file => people.Import(http.Actor(), file, xlsx)).Answer(TypedResults.Ok);
            })
            .WithName("ImportPeople")
            .WithSummary("Add or update the county's grid workers, grid chiefs and patrol officers from CSV or Excel (id, name, role, grid, phone; or 编号, 姓名, 角色, 网格, 电话). "
                + "All or nothing; every bad row is named.")
            .Accepts<object>("text/csv", SpreadsheetTable.ContentType)
            .RequireAccess(AccessAction.ManagePeople, AccessTarget.County)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * PeopleService.MaxImportBytes));
        return app;
    }
}
