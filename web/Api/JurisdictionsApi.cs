using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>The jurisdiction tree (网格) over HTTP.</summary>
public static class JurisdictionsApi
{
    public static IEndpointRouteBuilder MapJurisdictionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/jurisdictions", "Jurisdictions");
        api.MapGet("/", (HttpContext http, JurisdictionService jurisdictions) => jurisdictions.List(http.Actor().Caller).Answer(TypedResults.Ok))
            .WithName("ListJurisdictions")
            .WithSummary("The areas within your jurisdiction, root first, without geometry; an empty list before a county is imported.")
            .RequireAccess(AccessAction.ViewJurisdictions);
        api.MapGet("/{code}", (string code, JurisdictionService jurisdictions) => jurisdictions.Get(code).Answer(TypedResults.Ok))
            .WithName("GetJurisdiction")
            .WithSummary("One area with its path, children, people, cameras and live counters.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ViewJurisdictions, AccessTarget.Parameter, "code");
        api.MapGet("/{code}/geojson", (string code, string? levels, JurisdictionService jurisdictions) =>
                jurisdictions.Export(code, levels).Answer(bytes => TypedResults.Bytes(bytes, "application/geo+json")))
            .WithName("ExportJurisdictions")
            .WithSummary("The subtree under an area as a GeoJSON FeatureCollection (the import format); ?levels=township,grid filters.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ViewJurisdictions, AccessTarget.Parameter, "code");
        api.MapGet("/{code}/neighbours", (string code, JurisdictionService jurisdictions) => jurisdictions.Neighbours(code).Answer(TypedResults.Ok))
            .WithName("JurisdictionNeighbours")
            .WithSummary("The villages a grid may move to: those other than its own that border it (code, name, level, parentCode).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ViewJurisdictions, AccessTarget.Parameter, "code");
        api.MapPatch("/{code}", (string code, Body<JurisdictionEditRequest> body, HttpContext http, JurisdictionService jurisdictions) =>
                jurisdictions.Edit(http.Actor(), code, body.Value).Answer(TypedResults.Ok))
            .WithName("EditJurisdiction")
            .WithSummary("Rename an area ({ name }) or move a grid to a neighbouring village ({ parentCode }): the villages' outlines follow, "
                + "and the grid's open cases move to their new path. Administrators; audited as jurisdictions.edit.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ImportJurisdictions, AccessTarget.County);
        api.MapPost("/import", async (HttpContext http, bool? dryRun, bool? repair, string? tolerance, string? crs, string? codeField, string? nameField,
                string? levelField, string? parentField, string? encoding, string? successors, JurisdictionService jurisdictions,
                CancellationToken cancellationToken) =>
            {
                var bytes = await RequestBody.ReadBytes(http.Request, JurisdictionGeoJson.MaxBytes, cancellationToken);
                var request = new JurisdictionImportRequest(dryRun ?? false, repair ?? false, tolerance, crs, codeField, nameField, levelField, parentField, encoding,
                    successors);
                return await bytes.Then(file => jurisdictions.Import(http.Actor(), file, request)).Answer(TypedResults.Ok);
            })
            .WithName("ImportJurisdictions")
            .WithSummary("Replace the tree with a GeoJSON FeatureCollection (code, name, level, parentCode) or a zip of shapefiles (?codeField=&nameField=&levelField=&parentField=&encoding=). All or nothing; "
                + "?dryRun=true only says what it would do, ?repair=true makes invalid geometries valid and resolves small overlaps and slivers (?tolerance=0.005), ?crs=wgs84|cgcs2000|gcj02. "
                + "Every code the new tree drops needs its successors (?successors=G7=G7a,G7=G7b splits G7; G8=G9,G10=G9 merges): its people, cameras, accounts and open cases move there.")
            .Accepts<object>("application/geo+json", "application/json", "application/zip")
            .RequireAccess(AccessAction.ImportJurisdictions, AccessTarget.County)
            // Twice the file limit: a file just too large still gets its 400 (the server reads past it) rather than a cut connection.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * JurisdictionGeoJson.MaxBytes));
        return app;
    }
}
