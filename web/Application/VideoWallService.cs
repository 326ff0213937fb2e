using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Cameras;

namespace CommandCenter.Web.Application;

/// <summary>A video wall to save: tiles ∈ {1, 4, 9, 16}, intervalSeconds 1–5, at most one camera per tile (null: an empty tile).</summary>
public sealed record LayoutRequest(int Tiles, VideoWallMode Mode, string? Area, IReadOnlyList<string?> Cameras, int IntervalSeconds)
    : IRequestContract<LayoutRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static LayoutRequest Read(JsonFields body)
    {
        var tiles = body.Integer("tiles", 1, 16);
        if (tiles is { } t && !VideoWallLayout.TileCounts.Contains(t))
            body.Fail("tiles", "One of 1, 4, 9, 16.");
        var interval = body.Integer("intervalSeconds", VideoWallLayout.MinInterval, VideoWallLayout.MaxInterval);
        var mode = body.Enum<VideoWallMode>("mode");
        var area = body.Text("area", 64, required: mode == VideoWallMode.Area);
        var cameras = new List<string?>();
        if (body.Root.TryGetProperty("cameras", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    body.Fail($"cameras[{index}]", "A camera id, or null for an empty tile.");
                cameras.Add(item.ValueKind == JsonValueKind.String ? item.GetString() : null);
                index++;
            }
            if (tiles is { } count && cameras.Count > count)
                body.Fail("cameras", $"At most one camera per tile ({count}).");
        }
        else if (body.Has("cameras"))
        {
            body.Fail("cameras", "An array of camera ids (null for an empty tile).");
        }
        return new(tiles ?? 0, mode ?? default, string.IsNullOrEmpty(area) ? null : area, cameras, interval ?? 0);
    }
}

/// <summary>The video wall's layout, remembered per person: each reads and writes only their own, within their jurisdiction.</summary>
public sealed class VideoWallService(VideoWallLayouts layouts, JurisdictionDirectory directory)
{
    /// <summary>The caller's layout, or a default (nine tiles of their area) until they save one.</summary>
    public async Task<VideoWallLayout> Get(Caller caller) =>
        await layouts.Of(caller.Id)
        ?? VideoWallLayout.Default(directory.Tree is { } tree ? AccessPolicy.ScopeRoots(caller, tree).FirstOrDefault()?.Code : null);

    public async Task<Outcome<VideoWallLayout>> Save(Caller caller, LayoutRequest request)
    {
        var tree = directory.Tree;
        var errors = new Dictionary<string, string[]>();
        if (request.Area is { } area && AccessPolicy.Decide(caller, AccessAction.ReadCameras, area, tree) != AccessDecision.Allowed)
            errors["area"] = [$"No area {area} within your jurisdiction."];
        for (var i = 0; i < request.Cameras.Count; i++)
        {
            if (request.Cameras[i] is { } id && (directory.Camera(id) is not { } camera
                    || AccessPolicy.Decide(caller, AccessAction.ReadCameras, camera.GridCode, tree) != AccessDecision.Allowed))
                errors[$"cameras[{i}]"] = [$"No camera {id} within your jurisdiction."];
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        var layout = new VideoWallLayout(request.Tiles, request.Mode, request.Area, request.Cameras, request.IntervalSeconds);
        await layouts.Save(caller.Id, layout);
        return layout;
    }
}
