using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using CommandCenter.Web.Cameras;

namespace CommandCenter.Web.Api;

/// <summary>The video wall's layout, remembered per person (each reads and writes only their own).</summary>
public static class VideoWallApi
{
    /// <summary>The body of a save, for the OpenAPI document; the endpoint validates the raw JSON itself.</summary>
    public sealed record LayoutRequest(int Tiles, VideoWallMode Mode, string? Area, string?[] Cameras, int IntervalSeconds);

    public static IEndpointRouteBuilder MapVideoWallApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/videowall").WithTags("Cameras");
        api.MapGet("/layout", async (HttpContext http, VideoWallLayouts layouts, JurisdictionDirectory directory) =>
            {
                var caller = http.Caller()!;
                return TypedResults.Ok(await layouts.Of(caller.Id) ?? VideoWallLayout.Default(FirstScope(caller, directory)));
            })
            .WithName("GetVideoWallLayout")
            .WithSummary("Your video wall: tiles (1, 4, 9, 16), mode (manual | area | incident), area, cameras per tile, intervalSeconds; a default (9 tiles of your area) until you save one.")
            .Produces<VideoWallLayout>()
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Anywhere);
        api.MapPut("/layout", Save)
            .WithName("SaveVideoWallLayout")
            .WithSummary("Saves your video wall: tiles ∈ {1, 4, 9, 16}; intervalSeconds 1–5; an area and cameras within your jurisdiction (at most one per tile, null for an empty tile).")
            .Accepts<LayoutRequest>("application/json")
            .Produces<VideoWallLayout>()
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Anywhere)
            .DisableAntiforgery();
        return app;
    }

    private static string? FirstScope(Caller caller, JurisdictionDirectory directory) =>
        directory.Tree is { } tree ? AccessPolicy.ScopeRoots(caller, tree).FirstOrDefault()?.Code : null;

    private static async Task<IResult> Save(HttpContext http, VideoWallLayouts layouts, JurisdictionDirectory directory, CancellationToken cancellationToken)
    {
        var (body, bodyError) = await RequestBody.ReadJsonObject(http.Request, 16 * 1024, cancellationToken);
        if (body is null)
            return bodyError!;
        var caller = http.Caller()!;
        var tree = directory.Tree;
        var tiles = body.Integer("tiles", 1, 16);
        if (tiles is { } t && !VideoWallLayout.TileCounts.Contains(t))
            body.Fail("tiles", "One of 1, 4, 9, 16.");
        var interval = body.Integer("intervalSeconds", VideoWallLayout.MinInterval, VideoWallLayout.MaxInterval);
        var mode = body.Enum<VideoWallMode>("mode");
        var area = body.Text("area", 64, required: mode == VideoWallMode.Area);
        if (!string.IsNullOrEmpty(area) && AccessPolicy.Decide(caller, AccessAction.ReadCameras, area, tree) != AccessDecision.Allowed)
            body.Fail("area", $"No area {area} within your jurisdiction.");
        var cameras = new List<string?>();
        if (body.Root.TryGetProperty("cameras", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var id = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    body.Fail($"cameras[{index}]", "A camera id, or null for an empty tile.");
                else if (id is not null && (directory.Camera(id) is not { } camera
                             || AccessPolicy.Decide(caller, AccessAction.ReadCameras, camera.GridCode, tree) != AccessDecision.Allowed))
                    body.Fail($"cameras[{index}]", $"No camera {id} within your jurisdiction.");
                cameras.Add(id);
                index++;
            }
            if (tiles is { } count && cameras.Count > count)
                body.Fail("cameras", $"At most one camera per tile ({count}).");
        }
        else if (body.Has("cameras"))
        {
            body.Fail("cameras", "An array of camera ids (null for an empty tile).");
        }
        if (!body.IsValid)
            return Problems.Validation(body.Errors);
        var layout = new VideoWallLayout(tiles!.Value, mode!.Value, string.IsNullOrEmpty(area) ? null : area, cameras, interval!.Value);
        await layouts.Save(caller.Id, layout);
        return TypedResults.Ok(layout);
    }
}
