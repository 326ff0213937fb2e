using System.Globalization;
using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>Public cameras of the 雪亮工程: listed within an area; imported and edited by administrators.</summary>
public static class CamerasApi
{
    public static IEndpointRouteBuilder MapCamerasApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/cameras", "Cameras");
        api.MapGet("/", (string? jurisdiction, string? status, CameraService cameras) => cameras.List(jurisdiction, status).Answer(TypedResults.Ok))
            .WithName("ListCameras")
            .WithSummary("Cameras within ?jurisdiction=CODE with their health (status online | offline | unknown, since, last frame), "
                + "without their stream addresses; &status= to list one status only.")
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/counts", (string? jurisdiction, CameraService cameras) => cameras.Counts(jurisdiction).Answer(TypedResults.Ok))
            .WithName("CountCameras")
            .WithSummary("How many cameras within ?jurisdiction=CODE are online, offline and unknown (not probed yet, or without a stream).")
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Parameter, "jurisdiction");
        api.MapGet("/{id}/snapshot", Snapshot)
            .WithName("CameraSnapshot")
            .WithSummary("The camera's latest frame as a JPEG, taken at X-Snapshot-At: from Redis when one was taken within "
                + "CommandCenter:Cameras:SnapshotFreshFor (X-Snapshot: warm); an older one kept (SnapshotKeptFor) at once while one "
                + "capture takes the next (X-Snapshot: stale); else one ffmpeg capture (key frames only, hard time limit; concurrent "
                + "requests share it; X-Snapshot: captured). 502: the stream failed; 504: no picture in time.")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .RequireAccess(AccessAction.ReadCameras);
        api.MapPost("/import", Import)
            .WithName("ImportCameras")
            .WithSummary("Add or update cameras from CSV (text/csv: id,name,lat,lng,streamUrl; or 编号,名称,纬度,经度,视频流地址), an Excel workbook with the same columns, or GeoJSON (Points with id, name, streamUrl). "
                + "All or nothing; every bad camera is named.")
            .Accepts<object>("text/csv", SpreadsheetTable.ContentType, "application/geo+json", "application/json")
            .RequireAccess(AccessAction.ManageCameras, AccessTarget.County)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * CameraService.MaxImportBytes));
        api.MapPut("/{id}", (string id, Body<CameraRequest> body, HttpContext http, CameraService cameras) =>
                cameras.Save(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("SaveCamera")
            .WithSummary("Edit a camera: {name, lat, lng, streamUrl?}; the stream address must be allowed (CommandCenter:Cameras:AllowedHosts); without one the recorded address stays.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageCameras, AccessTarget.County);
        return app;
    }

    private static Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Snapshot(string id, HttpContext http,
        CameraService cameras) => Jpeg(cameras.Snapshot(http.Actor(), id), http);

    /// <summary>A frame as the snapshot endpoints answer it: the JPEG, never cached, with where and when it was taken.</summary>
    public static Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Jpeg(Task<Outcome<CommandCenter.Web.Cameras.SnapshotCache.Frame>> frame,
        HttpContext http) =>
        frame.Answer(frame =>
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Snapshot"] = Json.Word(frame.Source);
            http.Response.Headers["X-Snapshot-At"] = frame.TakenAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            return TypedResults.Bytes(frame.Jpeg, "image/jpeg");
        });

    private static async Task<Results<Ok<CameraImportSummary>, ValidationProblem, ProblemHttpResult>> Import(HttpContext http, CameraService cameras,
        CancellationToken cancellationToken)
    {
        // Anything but CSV, Excel or (Geo)JSON is a 415 before this runs (the types the endpoint accepts).
        var type = http.Request.ContentType ?? "";
        var kind = type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) ? CameraFileKind.Csv
            : type.StartsWith(SpreadsheetTable.ContentType, StringComparison.OrdinalIgnoreCase) ? CameraFileKind.Xlsx
            : CameraFileKind.GeoJson;
        var bytes = await RequestBody.ReadBytes(http.Request, CameraService.MaxImportBytes, cancellationToken);
        return await bytes.Then(file => cameras.Import(http.Actor(), new CameraFile(file, kind))).Answer(TypedResults.Ok);
    }
}
