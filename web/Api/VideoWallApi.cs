using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using CommandCenter.Web.Cameras;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>The video wall's layout over HTTP.</summary>
public static class VideoWallApi
{
    public static IEndpointRouteBuilder MapVideoWallApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/videowall", "Cameras");
        api.MapGet("/layout", async Task<Ok<VideoWallLayout>> (HttpContext http, VideoWallService videoWall) =>
                TypedResults.Ok(await videoWall.Get(http.Actor().Caller)))
            .WithName("GetVideoWallLayout")
            .WithSummary("Your video wall: tiles (1, 4, 9, 16), mode (manual | area | incident), area, cameras per tile, intervalSeconds; "
                + "a default (9 tiles of your area) until you save one.")
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Anywhere);
        api.MapPut("/layout", (Body<LayoutRequest> body, HttpContext http, VideoWallService videoWall) =>
                videoWall.Save(http.Actor().Caller, body.Value).Answer(TypedResults.Ok))
            .WithName("SaveVideoWallLayout")
            .WithSummary("Saves your video wall: tiles ∈ {1, 4, 9, 16}; intervalSeconds 1–5; an area and cameras within your jurisdiction "
                + "(at most one per tile, null for an empty tile).")
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Anywhere);
        return app;
    }
}
