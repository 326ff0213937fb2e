using CommandCenter.Access;
using CommandCenter.Cameras;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Public cameras of the 雪亮工程: listed within an area; imported and edited by administrators.</summary>
public static class CamerasApi
{
    public const int MaxImportBytes = 4 * 1024 * 1024;

    public sealed record ImportSummary(int Cameras);

    /// <summary>A camera as listed: where it is and its health (never its stream address). <see cref="Reason"/>: why it is offline.</summary>
    public sealed record CameraItem(string Id, string Name, string GridCode, double Latitude, double Longitude,
        CameraStatus Status, DateTimeOffset? StatusSince, DateTimeOffset? LastFrameAt, string? Reason);

    public sealed record CameraCounts(string Jurisdiction, int Online, int Offline, int Unknown);

    /// <summary>The body of an edit, for the OpenAPI document; the endpoint validates the raw JSON itself.</summary>
    public sealed record CameraRequest(string Name, double Lat, double Lng, string StreamUrl);

    public static IEndpointRouteBuilder MapCamerasApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras").WithTags("Cameras");
        api.MapGet("/", List)
            .WithName("ListCameras")
            .WithSummary("Cameras within ?jurisdiction=CODE with their health (status online | offline | unknown, since, last frame), without their stream addresses; &status= to list one status only.")
            .Produces<CameraItem[]>()
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/counts", Counts)
            .WithName("CountCameras")
            .WithSummary("How many cameras within ?jurisdiction=CODE are online, offline and unknown (not probed yet, or without a stream).")
            .Produces<CameraCounts>()
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/{id}/snapshot", Snapshot)
            .WithName("CameraSnapshot")
            .WithSummary("The camera's latest frame as a JPEG: from Redis when one was taken within CommandCenter:Cameras:SnapshotTtl (X-Snapshot: warm), else one ffmpeg capture (key frames only, hard time limit; concurrent requests share it; X-Snapshot: captured). 502: the stream failed; 504: no picture in time.")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .RequireAccess(AccessAction.ReadCameras);
        api.MapPost("/import", Import)
            .WithName("ImportCameras")
            .WithSummary("Add or update cameras from CSV (text/csv: id,name,lat,lng,streamUrl) or GeoJSON (Points with id, name, streamUrl). All or nothing; every bad camera is named.")
            .Accepts<object>("text/csv", "application/geo+json", "application/json")
            .Produces<ImportSummary>()
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ManageCameras, AccessTarget.County)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * MaxImportBytes))
            .DisableAntiforgery();
        api.MapPut("/{id}", Save)
            .WithName("SaveCamera")
            .WithSummary("Edit a camera: {name, lat, lng, streamUrl}; the stream address must be allowed (CommandCenter:Cameras:AllowedHosts).")
            .Accepts<CameraRequest>("application/json")
            .Produces<CameraRecord>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageCameras, AccessTarget.County)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> List(string? jurisdiction, string? status, JurisdictionDirectory directory, CameraHealthStore health)
    {
        if (Area(jurisdiction, directory) is { } problem)
            return problem;
        CameraStatus? only = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<CameraStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                return Problems.Validation("status", "One of: online, offline, unknown.");
            only = parsed;
        }
        var all = await health.All();
        var items = directory.CamerasIn(jurisdiction!)
            .Select(c => Item(c, all.GetValueOrDefault(c.Id) ?? CameraHealth.Unknown))
            .Where(c => only is null || c.Status == only)
            .ToList();
        return TypedResults.Ok(items);
    }

    private static async Task<IResult> Counts(string? jurisdiction, JurisdictionDirectory directory, CameraHealthStore health)
    {
        if (Area(jurisdiction, directory) is { } problem)
            return problem;
        var all = await health.All();
        var statuses = directory.CamerasIn(jurisdiction!).Select(c => all.GetValueOrDefault(c.Id)?.Status ?? CameraStatus.Unknown).ToList();
        return TypedResults.Ok(new CameraCounts(jurisdiction!, statuses.Count(s => s == CameraStatus.Online),
            statuses.Count(s => s == CameraStatus.Offline), statuses.Count(s => s == CameraStatus.Unknown)));
    }

    private static IResult? Area(string? jurisdiction, JurisdictionDirectory directory) =>
        string.IsNullOrEmpty(jurisdiction) ? Problems.Validation("jurisdiction", "Required: the code of the area.")
        : directory.Tree?.Find(jurisdiction) is null ? Problems.NotFound($"No jurisdiction {jurisdiction}.")
        : null;

    private static CameraItem Item(CameraRecord camera, CameraHealth health) =>
        new(camera.Id, camera.Name, camera.GridCode, camera.Latitude, camera.Longitude, health.Status,
            health.Since, health.LastFrameAt, health.Status == CameraStatus.Offline ? health.Reason : null);

    /// <remarks>A camera outside the caller's jurisdiction is "not found", like an unknown one.</remarks>
    private static async Task<IResult> Snapshot(string id, HttpContext http, JurisdictionDirectory directory, JurisdictionStore store,
        Cameras.SnapshotCache snapshots)
    {
        if (directory.Camera(id) is not { } camera
            || AccessPolicy.Decide(http.Caller(), AccessAction.ReadCameras, camera.GridCode, directory.Tree) != AccessDecision.Allowed)
            return Problems.NotFound($"No camera {id}.");
        try
        {
            if (await snapshots.Latest(id, () => store.StreamUrlOf(id)) is not { } frame)
                return Problems.NotFound($"Camera {id} has no stream address.");
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Snapshot"] = frame.Warm ? "warm" : "captured";
            return TypedResults.Bytes(frame.Jpeg, "image/jpeg");
        }
        catch (Silo.Cameras.CaptureException e)
        {
            return e.Failure == Silo.Cameras.CaptureFailure.TimedOut
                ? TypedResults.Problem(e.Message, statusCode: StatusCodes.Status504GatewayTimeout, title: "The camera did not answer in time.")
                : TypedResults.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "The camera's stream failed.");
        }
    }

    /// <summary>Sends the saved cameras a watch (one-way): their probes start, with their new addresses.</summary>
    private static Task Watch(IGrainFactory grains, IEnumerable<string> ids) =>
        Task.WhenAll(ids.Select(id => grains.GetGrain<ICameraGrain>(id).Watch()));

    private static async Task<IResult> Import(HttpContext http, JurisdictionDirectory directory, JurisdictionStore store, IGrainFactory grains,
        IOptions<CameraOptions> options, AuditLog audit, CancellationToken cancellationToken)
    {
        if (directory.Tree is not { } tree)
            return Problems.Unavailable("No county has been imported yet.");
        var csv = http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        if (!csv && !http.Request.HasJsonContentType() && http.Request.ContentType?.StartsWith("application/geo+json", StringComparison.OrdinalIgnoreCase) != true)
            return Problems.Validation("$", "Send text/csv (id,name,lat,lng,streamUrl) or application/geo+json.");
        var (bytes, error) = await RequestBody.ReadBytes(http.Request, MaxImportBytes, cancellationToken);
        if (bytes is null)
            return error!;
        var urls = new StreamUrlPolicy(options.Value.AllowedHosts);
        var result = csv ? CameraImport.ReadCsv(System.Text.Encoding.UTF8.GetString(bytes), tree, urls) : CameraImport.ReadGeoJson(bytes, tree, urls);
        if (result.Problems.Count > 0)
            return Problems.Validation(Errors(result.Problems, csv ? "rows" : "features"));
        if (result.Cameras.Count == 0)
            return Problems.Validation("$", "No cameras in the file.");
        await store.UpsertCameras(result.Cameras);
        await directory.Refresh(force: true);
        await Watch(grains, result.Cameras.Select(c => c.Id));
        await audit.Append(http.Caller(), AuditActions.ImportCameras, null, detail: $"{result.Cameras.Count} cameras", clientAddress: http.ClientAddress());
        return TypedResults.Ok(new ImportSummary(result.Cameras.Count));
    }

    private static async Task<IResult> Save(string id, HttpContext http, JurisdictionDirectory directory, JurisdictionStore store, IGrainFactory grains,
        IOptions<CameraOptions> options, AuditLog audit, CancellationToken cancellationToken)
    {
        if (directory.Tree is not { } tree || directory.Camera(id) is null)
            return Problems.NotFound($"No camera {id}.");
        var (body, bodyError) = await RequestBody.ReadJsonObject(http.Request, 16 * 1024, cancellationToken);
        if (body is null)
            return bodyError!;
        var name = body.Text("name", CameraImport.MaxNameLength, required: true);
        var lat = body.Number("lat", -90, 90);
        var lng = body.Number("lng", -180, 180);
        var streamUrl = body.Text("streamUrl", StreamUrlPolicy.MaxLength, required: true);
        if (!body.IsValid)
            return Problems.Validation(body.Errors);
        var (camera, problems) = CameraImport.CheckOne(id, name, lat!.Value, lng!.Value, streamUrl, tree, new StreamUrlPolicy(options.Value.AllowedHosts));
        if (camera is null)
            return Problems.Validation(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        await store.UpsertCameras([camera]);
        await directory.Refresh(force: true);
        await Watch(grains, [camera.Id]);
        await audit.Append(http.Caller(), AuditActions.SaveCamera, id, detail: $"{camera.Name} · {camera.GridCode}", clientAddress: http.ClientAddress());
        return TypedResults.Ok(camera.ToRecord());
    }

    /// <summary>
    /// Problems as problem+json errors, each naming the camera: "rows[3].streamUrl" is the CSV's third camera (its fourth
    /// line), "features[2].streamUrl" the GeoJSON's features[2].
    /// </summary>
    private static Dictionary<string, string[]> Errors(IReadOnlyList<CameraProblem> problems, string collection) =>
        problems
            .GroupBy(p => p.Row == 0 ? p.Field : $"{collection}[{(collection == "features" ? p.Row - 1 : p.Row)}].{p.Field}")
            .ToDictionary(g => g.Key, g => g.Select(p => p.Id is null ? p.Message : $"{p.Id}: {p.Message}").ToArray());
}
