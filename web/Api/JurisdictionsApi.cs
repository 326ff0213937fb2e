using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Api;

/// <summary>The jurisdiction tree (网格): import a county as GeoJSON, read the tree, export it back.</summary>
public static class JurisdictionsApi
{
    public sealed record JurisdictionItem(string Code, string Name, JurisdictionLevel Level, string? ParentCode);

    public sealed record ImportSummary(int Areas, IReadOnlyDictionary<string, int> ByLevel);

    public static IEndpointRouteBuilder MapJurisdictionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jurisdictions").WithTags("Jurisdictions");
        api.MapGet("/", List)
            .WithName("ListJurisdictions")
            .WithSummary("The areas within your jurisdiction, root first, without geometry.")
            .RequireAccess(AccessAction.ViewJurisdictions);
        api.MapGet("/{code}", Get)
            .WithName("GetJurisdiction")
            .WithSummary("One area with its path, children, people, cameras and live counters.")
            .Produces<JurisdictionOverview>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ViewJurisdictions, AccessTarget.Parameter, "code");
        api.MapGet("/{code}/geojson", Export)
            .WithName("ExportJurisdictions")
            .WithSummary("The subtree under an area as a GeoJSON FeatureCollection (the import format); ?levels=township,grid filters.")
            .RequireAccess(AccessAction.ViewJurisdictions, AccessTarget.Parameter, "code");
        api.MapPost("/import", Import)
            .WithName("ImportJurisdictions")
            .WithSummary("Replace the tree with a GeoJSON FeatureCollection (code, name, level, parentCode). All or nothing.")
            .Accepts<object>("application/geo+json", "application/json")
            .Produces<ImportSummary>()
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ImportJurisdictions, AccessTarget.County)
            // Twice the file limit: a file just too large still gets its 400 (the server reads past it) rather than a cut connection.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * JurisdictionGeoJson.MaxBytes))
            .DisableAntiforgery();
        return app;
    }

    private static IResult List(HttpContext http, JurisdictionDirectory directory)
    {
        if (directory.Tree is not { } tree)
            return Problems.Unavailable("No county has been imported yet.");
        var caller = http.Caller()!;
        return TypedResults.Ok(tree.All
            .Where(j => AccessPolicy.IsWithinScope(caller, j.Code, tree))
            .Select(j => new JurisdictionItem(j.Code, j.Name, j.Level, j.ParentCode)));
    }

    private static async Task<IResult> Get(string code, JurisdictionDirectory directory, IGrainFactory grains) =>
        directory.Tree?.Find(code) is not null && await grains.GetGrain<IJurisdictionGrain>(code).Get() is { } overview
            ? TypedResults.Ok(overview)
            : Problems.NotFound($"No jurisdiction {code}.");

    private static IResult Export(string code, string? levels, JurisdictionDirectory directory)
    {
        if (directory.Tree is not { } tree || tree.Find(code) is null)
            return Problems.NotFound($"No jurisdiction {code}.");
        var wanted = new HashSet<JurisdictionLevel>();
        foreach (var word in (levels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<JurisdictionLevel>(word, ignoreCase: true, out var level) || !Enum.IsDefined(level) || int.TryParse(word, out _))
                return Problems.Validation("levels", $"Unknown level '{word}': use county, township, village, grid.");
            wanted.Add(level);
        }
        var subtree = tree.All.Where(j => tree.IsWithin(j.Code, code) && (wanted.Count == 0 || wanted.Contains(j.Level))).ToList();
        return TypedResults.Bytes(JurisdictionGeoJson.Write(subtree), "application/geo+json");
    }

    private static async Task<IResult> Import(HttpContext http, CountyImporter importer, AuditLog audit, CancellationToken cancellationToken)
    {
        var (bytes, error) = await RequestBody.ReadBytes(http.Request, JurisdictionGeoJson.MaxBytes, cancellationToken);
        if (bytes is null)
            return error!;
        var outcome = await importer.Import(bytes);
        if (outcome.Problems.Count > 0)
        {
            var errors = outcome.Problems
                .GroupBy(p => p.FeatureIndex < 0 ? p.Field : $"features[{p.FeatureIndex}].{p.Field}")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Code is null ? p.Message : $"{p.Code}: {p.Message}").ToArray());
            return Problems.Validation(errors);
        }
        await audit.Append(http.Caller(), AuditActions.ImportJurisdictions, null,
            detail: $"{outcome.Areas} areas: " + string.Join(", ", outcome.ByLevel.Select(l => $"{l.Key} {l.Value}")), clientAddress: http.ClientAddress());
        return TypedResults.Ok(new ImportSummary(outcome.Areas, outcome.ByLevel));
    }
}
