using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Web.Application;

public sealed record JurisdictionItem(string Code, string Name, JurisdictionLevel Level, string? ParentCode);

/// <summary>
/// What an import did or (a dry run) would do: the areas by level, the coordinates' system read, every repair made;
/// a dry run's <see cref="Problems"/> are what a real import would be refused for (<see cref="Accepted"/> false).
/// </summary>
public sealed record JurisdictionImportSummary(bool Applied, bool Accepted, int Areas, IReadOnlyDictionary<string, int> ByLevel, string Crs,
    IReadOnlyList<JurisdictionRepair> Repairs, IReadOnlyList<GeoJsonProblem> Problems);

/// <summary>
/// How to import (<c>POST /api/jurisdictions/import?dryRun=&amp;repair=&amp;tolerance=&amp;crs=</c>, and for a zip of
/// shapefiles the columns <c>codeField</c>, <c>nameField</c>, <c>levelField</c>, <c>parentField</c> and the attributes'
/// <c>encoding</c>), as the request says.
/// </summary>
public sealed record JurisdictionImportRequest(bool DryRun = false, bool Repair = false, string? Tolerance = null, string? Crs = null,
    string? CodeField = null, string? NameField = null, string? LevelField = null, string? ParentField = null, string? Encoding = null);

/// <summary>The jurisdiction tree (网格): import a county as GeoJSON, read the tree, export it back.</summary>
public sealed class JurisdictionService(JurisdictionDirectory directory, IGrainFactory grains, CountyImporter importer, AuditLog audit)
{
    /// <summary>The areas within the caller's jurisdiction, root first, without geometry; none before a county is imported.</summary>
    public Outcome<IReadOnlyList<JurisdictionItem>> List(Caller caller) =>
        directory.Tree is not { } tree
            ? Outcome.Of<IReadOnlyList<JurisdictionItem>>([])
            : tree.All
                .Where(j => AccessPolicy.IsWithinScope(caller, j.Code, tree))
                .Select(j => new JurisdictionItem(j.Code, j.Name, j.Level, j.ParentCode))
                .ToList();

    /// <summary>One area with its path, children, people, cameras and live counters.</summary>
    public async Task<Outcome<JurisdictionOverview>> Get(string code) =>
        directory.Tree?.Find(code) is not null && await grains.GetGrain<IJurisdictionGrain>(code).Get() is { } overview
            ? overview
            : Refusal.NotFound($"No jurisdiction {code}.");

    /// <summary>The subtree under an area as GeoJSON (the import format), of the levels named (comma-separated; all when none).</summary>
    public Outcome<byte[]> Export(string code, string? levels)
    {
        if (directory.Tree is not { } tree || tree.Find(code) is null)
            return Refusal.NotFound($"No jurisdiction {code}.");
        var wanted = new HashSet<JurisdictionLevel>();
        foreach (var word in (levels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EnumWords.TryParse<JurisdictionLevel>(word, out var level))
                return Refusal.Invalid("levels", $"Unknown level '{word}': use {EnumWords.List<JurisdictionLevel>()}.");
            wanted.Add(level);
        }
        var subtree = tree.All.Where(j => tree.IsWithin(j.Code, code) && (wanted.Count == 0 || wanted.Contains(j.Level))).ToList();
        return JurisdictionGeoJson.Write(subtree);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The largest repair tolerance one may ask for: 5 % of the area concerned.</summary>
    public const double MaxTolerance = 0.05;

    /// <summary>
    /// Replaces the tree with a GeoJSON FeatureCollection, all or nothing, naming every offending feature; or, as a dry
    /// run, says what the import would do and be refused for, changing nothing.
    /// </summary>
    public async Task<Outcome<JurisdictionImportSummary>> Import(Actor actor, byte[] geoJson, JurisdictionImportRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var tolerance = JurisdictionImportOptions.DefaultTolerance;
        if (!string.IsNullOrEmpty(request.Tolerance) && (!double.TryParse(request.Tolerance, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out tolerance) || !(tolerance > 0 && tolerance <= MaxTolerance)))
            errors["tolerance"] = [$"A share of the area concerned, above 0 and at most {MaxTolerance} (0.005 = 0.5 %)."];
        CoordinateSystem? crs = null;
        if (!string.IsNullOrEmpty(request.Crs))
        {
            if (ChinaDatum.TryParse(request.Crs, out var named))
                crs = named;
            else
                errors["crs"] = ["One of wgs84 (EPSG:4326), cgcs2000 (EPSG:4490), gcj02."];
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);

        var defaults = new ShapefileColumns();
        var columns = new ShapefileColumns(Blank(request.CodeField) ?? defaults.Code, Blank(request.NameField) ?? defaults.Name,
            Blank(request.LevelField) ?? defaults.Level, Blank(request.ParentField) ?? defaults.Parent, Blank(request.Encoding));
        var outcome = await importer.Import(geoJson, new JurisdictionImportOptions(request.Repair, tolerance, crs), request.DryRun, columns);
        if (outcome.Problems.Count > 0 && !request.DryRun)
        {
            return Refusal.Invalid(outcome.Problems
                .GroupBy(p => p.FeatureIndex < 0 ? p.Field : $"features[{p.FeatureIndex}].{p.Field}")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Code is null ? p.Message : $"{p.Code}: {p.Message}").ToArray()));
        }
        if (outcome.Applied)
        {
            await audit.Append(actor.Caller, AuditActions.ImportJurisdictions, null,
                detail: $"{outcome.Areas} areas: " + string.Join(", ", outcome.ByLevel.Select(l => $"{l.Key} {l.Value}"))
                    + (outcome.Repairs.Count > 0 ? $"; {outcome.Repairs.Count} repairs" : "") + $"; {Json.Word(outcome.Crs)}",
                clientAddress: actor.ClientAddress);
        }
        return new JurisdictionImportSummary(outcome.Applied, outcome.Problems.Count == 0, outcome.Areas, outcome.ByLevel, Json.Word(outcome.Crs),
            outcome.Repairs, outcome.Problems);
    }
}
