using CommandCenter.Geography;

namespace CommandCenter.Jurisdictions;

public sealed record CountyImportOutcome(IReadOnlyList<GeoJsonProblem> Problems, int Areas, IReadOnlyDictionary<string, int> ByLevel);

/// <summary>The one import path for a county's jurisdiction tree, used by the API and by the demo seeding alike: all or nothing.</summary>
public sealed class CountyImporter(JurisdictionStore store, JurisdictionDirectory directory)
{
    public async Task<CountyImportOutcome> Import(ReadOnlyMemory<byte> geoJson)
    {
        var parsed = JurisdictionGeoJson.Parse(geoJson.Span);
        if (parsed.Tree is not { } tree)
            return new CountyImportOutcome(parsed.Problems, 0, new Dictionary<string, int>());
        var problems = new List<GeoJsonProblem>();
        var checkpoints = Patrols.PatrolCheckpoints.Read(geoJson.Span, tree, problems);
        if (problems.Count > 0)
            return new CountyImportOutcome(problems, 0, new Dictionary<string, int>());

        var orphanedGrids = await store.ReplaceTree(tree, checkpoints);
        if (orphanedGrids.Count > 0)
        {
            return new CountyImportOutcome(
                orphanedGrids.Select(code => new GeoJsonProblem(-1, code, "code",
                    $"Grid {code} is missing from the new tree but people or cameras are bound to it.")).ToList(),
                0, new Dictionary<string, int>());
        }
        await directory.Refresh(force: true);
        return new CountyImportOutcome([], tree.All.Count,
            tree.All.GroupBy(j => j.Level).ToDictionary(g => g.Key.ToString().ToLowerInvariant(), g => g.Count()));
    }
}
