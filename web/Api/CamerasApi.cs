using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Api;

/// <summary>Public cameras of the 雪亮工程 within an area.</summary>
public static class CamerasApi
{
    public static IEndpointRouteBuilder MapCamerasApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/cameras").WithTags("Cameras")
            .MapGet("/", (string? jurisdiction, JurisdictionDirectory directory) =>
                string.IsNullOrEmpty(jurisdiction) ? Problems.Validation("jurisdiction", "Required: the code of the area to list.")
                : directory.Tree?.Find(jurisdiction) is null ? Problems.NotFound($"No jurisdiction {jurisdiction}.")
                : TypedResults.Ok(directory.CamerasIn(jurisdiction)))
            .WithName("ListCameras")
            .WithSummary("Cameras within ?jurisdiction=CODE.")
            .RequireAccess(AccessAction.ReadCameras, AccessTarget.Parameter, "jurisdiction");
        return app;
    }
}
