using CommandCenter.Access;
using CommandCenter.Cameras;
using CommandCenter.Jurisdictions;
using CommandCenter.Silo.Cameras;
using CommandCenter.Web.Cameras;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Application;

/// <summary>A camera as listed: where it is and its health (never its stream address). <see cref="Reason"/>: why it is offline.</summary>
public sealed record CameraItem(string Id, string Name, string GridCode, double Latitude, double Longitude,
    CameraStatus Status, DateTimeOffset? StatusSince, DateTimeOffset? LastFrameAt, string? Reason);

public sealed record CameraCounts(string Jurisdiction, int Online, int Offline, int Unknown);

public sealed record CameraImportSummary(int Cameras);

/// <summary>An edit of a camera; the stream address must be allowed (<c>CommandCenter:Cameras:AllowedHosts</c>).</summary>
/// <summary>An edit of a camera: <c>{ name, lat, lng, streamUrl? }</c>; without a stream address the recorded one stays.</summary>
public sealed record CameraRequest(string Name, double Lat, double Lng, string? StreamUrl) : IRequestContract<CameraRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static CameraRequest Read(JsonFields body) => new(
        body.Text("name", CameraImport.MaxNameLength, required: true) ?? "",
        body.Number("lat", -90, 90) ?? 0,
        body.Number("lng", -180, 180) ?? 0,
        body.OptionalText("streamUrl", StreamUrlPolicy.MaxLength));
}

/// <summary>A camera file to import: CSV (id,name,lat,lng,streamUrl) or GeoJSON Points.</summary>
/// <summary>What a camera file is: a table (CSV, or an Excel workbook's first sheet) or GeoJSON.</summary>
public enum CameraFileKind
{
    Csv,
    Xlsx,
    GeoJson,
}

public sealed record CameraFile(byte[] Bytes, CameraFileKind Kind);

/// <summary>Public cameras of the 雪亮工程: listed with their health within an area, their latest frames, imported and edited by administrators.</summary>
public sealed class CameraService(JurisdictionDirectory directory, JurisdictionStore store, CameraHealthStore health, SnapshotCache snapshots,
    StreamingCameras streaming, IGrainFactory grains, IOptions<CameraOptions> options, AuditLog audit, ReadAudit reads)
{
    public const int MaxImportBytes = 4 * 1024 * 1024;

    /// <summary>Cameras within an area (whose access the endpoint's rule has checked), of one status when <paramref name="status"/> is given.</summary>
    public async Task<Outcome<IReadOnlyList<CameraItem>>> List(string? jurisdiction, string? status)
    {
        if (Area(jurisdiction) is { } refused)
            return refused;
        CameraStatus? only = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!EnumWords.TryParse<CameraStatus>(status, out var parsed))
                return Refusal.Invalid("status", $"One of: {EnumWords.List<CameraStatus>()}.");
            only = parsed;
        }
        var all = await health.All();
        return directory.CamerasIn(jurisdiction!)
            .Select(c => Item(c, all.GetValueOrDefault(c.Id) ?? CameraHealth.Unknown))
            .Where(c => only is null || c.Status == only)
            .ToList();
    }

    public async Task<Outcome<CameraCounts>> Counts(string? jurisdiction)
    {
        if (Area(jurisdiction) is { } refused)
            return refused;
        var all = await health.All();
        var statuses = directory.CamerasIn(jurisdiction!).Select(c => all.GetValueOrDefault(c.Id)?.Status ?? CameraStatus.Unknown).ToList();
        return new CameraCounts(jurisdiction!, statuses.Count(s => s == CameraStatus.Online),
            statuses.Count(s => s == CameraStatus.Offline), statuses.Count(s => s == CameraStatus.Unknown));
    }

    /// <summary>The camera's latest frame: warm or stale from Redis, or captured now.</summary>
    /// <remarks>A camera outside the caller's jurisdiction is "not found", like an unknown one.</remarks>
    public async Task<Outcome<SnapshotCache.Frame>> Snapshot(Actor actor, string id)
    {
        if (directory.Camera(id) is not { } camera
            || AccessPolicy.Decide(actor.Caller, AccessAction.ReadCameras, camera.GridCode, directory.Tree) != AccessDecision.Allowed)
            return Refusal.NotFound($"No camera {id}.");
        await reads.Record(actor, AuditActions.ReadSnapshot, "camera:" + id, camera.Name);
        return await Frame(id);
    }

    /// <summary>
    /// The latest frame of a camera a command session shares with the caller: <see cref="CommandService.SharedCameraRefusal"/>
    /// decides (<see cref="AccessPolicy.DecideShared"/>), whatever the caller's own jurisdiction.
    /// </summary>
    public async Task<Outcome<SnapshotCache.Frame>> SharedSnapshot(Actor actor, CommandService command, Guid session, string id)
    {
        if (await command.SharedCameraRefusal(actor.Caller, session, id) is { } refusal)
            return refusal;
        if (directory.Camera(id) is not { } camera)
            return Refusal.NotFound($"No camera {id}.");
        await reads.Record(actor, AuditActions.ReadSnapshot, "camera:" + id, $"{camera.Name} · session {session}");
        return await Frame(id);
    }

    private async Task<Outcome<SnapshotCache.Frame>> Frame(string id)
    {
        try
        {
            return await snapshots.Latest(id, () => store.StreamUrlOf(id)) is { } frame
                ? frame
                : Refusal.NotFound($"Camera {id} has no stream address.");
        }
        catch (CaptureException e)
        {
            return e.Failure == CaptureFailure.TimedOut
                ? new Refusal(RefusalKind.GatewayTimeout, "The camera did not answer in time.", e.Message)
                : new Refusal(RefusalKind.BadGateway, "The camera's stream failed.", e.Message);
        }
    }

    /// <summary>Adds or updates the cameras of a file, all or nothing, naming every bad camera.</summary>
    public async Task<Outcome<CameraImportSummary>> Import(Actor actor, CameraFile file)
    {
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("No county has been imported yet.");
        var urls = new StreamUrlPolicy(options.Value.AllowedHosts);
        CameraImport.Result result;
        switch (file.Kind)
        {
            case CameraFileKind.Csv or CameraFileKind.Xlsx:
                var (rows, error) = SpreadsheetTable.Read(file.Bytes, xlsx: file.Kind == CameraFileKind.Xlsx);
                if (rows is null)
                    return Refusal.Invalid("$", error!);
                result = CameraImport.ReadTable(rows, tree, urls);
                break;
            default:
                result = CameraImport.ReadGeoJson(file.Bytes, tree, urls);
                break;
        }
        if (result.Problems.Count > 0)
            return Refusal.Invalid(ImportProblem.ByField(result.Problems, file.Kind == CameraFileKind.GeoJson ? "features" : "rows"));
        if (result.Cameras.Count == 0)
            return Refusal.Invalid("$", "No cameras in the file.");
        await Store(result.Cameras);
        await audit.Append(actor.Caller, AuditActions.ImportCameras, null, detail: $"{result.Cameras.Count} cameras", clientAddress: actor.ClientAddress);
        return new CameraImportSummary(result.Cameras.Count);
    }

    public async Task<Outcome<CameraRecord>> Save(Actor actor, string id, CameraRequest request)
    {
        if (directory.Tree is not { } tree || directory.Camera(id) is null)
            return Refusal.NotFound($"No camera {id}.");
        var streamUrl = request.StreamUrl ?? await store.StreamUrlOf(id);
        var (camera, problems) = CameraImport.CheckOne(id, request.Name, request.Lat, request.Lng, streamUrl, tree,
            new StreamUrlPolicy(options.Value.AllowedHosts), withoutStream: streamUrl is null);
        if (camera is null)
            return Refusal.Invalid(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        await Store([camera]);
        await audit.Append(actor.Caller, AuditActions.SaveCamera, id, detail: $"{camera.Name} · {camera.GridCode}", clientAddress: actor.ClientAddress);
        return camera.ToRecord();
    }

    /// <summary>
    /// Stores cameras, refreshes this host's registry and list of streaming cameras, and sends each a watch (one-way):
    /// their probes start with their new addresses.
    /// </summary>
    private async Task Store(IReadOnlyList<CameraEntry> cameras)
    {
        await store.UpsertCameras(cameras);
        await directory.Refresh(force: true);
        streaming.Invalidate();
        await Task.WhenAll(cameras.Select(c => grains.GetGrain<ICameraGrain>(c.Id).Watch()));
    }

    private Refusal? Area(string? jurisdiction) =>
        string.IsNullOrEmpty(jurisdiction) ? Refusal.Invalid("jurisdiction", "Required: the code of the area.")
        : directory.Tree?.Find(jurisdiction) is null ? Refusal.NotFound($"No jurisdiction {jurisdiction}.")
        : null;

    private static CameraItem Item(CameraRecord camera, CameraHealth health) =>
        new(camera.Id, camera.Name, camera.GridCode, camera.Latitude, camera.Longitude, health.Status,
            health.Since, health.LastFrameAt, health.Status == CameraStatus.Offline ? health.Reason : null);
}
