using CommandCenter.Geography;

namespace CommandCenter.Jurisdictions;

/// <summary>
/// What an import found: its problems (none when it was or would be applied), the areas by level, the repairs made to
/// read the file, the coordinates' system it came in, the tree read (<see cref="Tree"/>) and what it moves to the
/// successors of the codes it drops; <see cref="Applied"/> when the tree was replaced.
/// </summary>
public sealed record CountyImportOutcome(IReadOnlyList<GeoJsonProblem> Problems, int Areas, IReadOnlyDictionary<string, int> ByLevel,
    IReadOnlyList<JurisdictionRepair> Repairs, CoordinateSystem Crs, bool Applied, TreeChange? Change = null, JurisdictionTree? Tree = null);

/// <summary>The one import path for a county's jurisdiction tree, used by the API and by the demo seeding alike: all or nothing.</summary>
public sealed class CountyImporter(JurisdictionStore store, JurisdictionDirectory directory)
{
    /// <summary>
    /// Reads the file, GeoJSON or a zip of shapefiles (their columns as <paramref name="columns"/> say), repairing it as
    /// <paramref name="options"/> allow, and unless <paramref name="dryRun"/> replaces the tree with it, the codes it
    /// drops going to their <paramref name="successions"/> (<see cref="JurisdictionStore.ReplaceTree"/>).
    /// </summary>
    public async Task<CountyImportOutcome> Import(ReadOnlyMemory<byte> file, JurisdictionImportOptions? options = null, bool dryRun = false,
        ShapefileColumns? columns = null, IReadOnlyList<Succession>? successions = null)
    {
        var geoJson = file;
        IReadOnlyList<string> sources = [];
        if (JurisdictionShapefile.IsZip(file.Span))
        {
            var converted = JurisdictionShapefile.ToGeoJson(file.ToArray(), columns ?? new ShapefileColumns());
            if (converted.GeoJson is null)
                return new CountyImportOutcome(converted.Problems, 0, new Dictionary<string, int>(), [], options?.Crs ?? CoordinateSystem.Wgs84, Applied: false);
            (geoJson, sources) = (converted.GeoJson, converted.Sources);
        }
        var parsed = JurisdictionGeoJson.Parse(geoJson.Span, options);
        var repairs = parsed.Repairs ?? [];
        CountyImportOutcome Refused(IReadOnlyList<GeoJsonProblem> problems) =>
            new(problems, 0, new Dictionary<string, int>(), repairs, parsed.Crs, Applied: false);
        if (parsed.Tree is not { } tree)
        {
            // A shapefile's feature is named by its file and record, which is what the county can find again.
            return Refused(parsed.Problems.Select(p => p.FeatureIndex >= 0 && p.FeatureIndex < sources.Count
                ? p with { Message = $"{sources[p.FeatureIndex]}: {p.Message}" }
                : p).ToList());
        }
        var problems = new List<GeoJsonProblem>();
        var checkpoints = Patrols.PatrolCheckpoints.Read(geoJson.Span, tree, problems);
        if (problems.Count > 0)
            return Refused(problems);
        var byLevel = tree.All.GroupBy(j => j.Level).ToDictionary(g => g.Key.ToString().ToLowerInvariant(), g => g.Count());
        var change = dryRun ? await store.CheckTree(tree, successions ?? []) : await store.ReplaceTree(tree, checkpoints, successions);
        if (change.Problems.Count > 0)
            return Refused(change.Problems);
        if (dryRun)
            return new CountyImportOutcome([], tree.All.Count, byLevel, repairs, parsed.Crs, Applied: false, change, tree);
        await directory.Refresh(force: true);
        return new CountyImportOutcome([], tree.All.Count, byLevel, repairs, parsed.Crs, Applied: true, change, tree);
    }
}
