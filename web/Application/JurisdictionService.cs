using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Web.Application;

public sealed record JurisdictionItem(string Code, string Name, JurisdictionLevel Level, string? ParentCode);

public sealed record JurisdictionImportSummary(int Areas, IReadOnlyDictionary<string, int> ByLevel);

/// <summary>The jurisdiction tree (网格): import a county as GeoJSON, read the tree, export it back.</summary>
public sealed class JurisdictionService(JurisdictionDirectory directory, IGrainFactory grains, CountyImporter importer, AuditLog audit)
{
    /// <summary>The areas within the caller's jurisdiction, root first, without geometry.</summary>
    public Outcome<IReadOnlyList<JurisdictionItem>> List(Caller caller) =>
        directory.Tree is not { } tree
            ? Refusal.Unavailable("No county has been imported yet.")
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

    /// <summary>Replaces the tree with a GeoJSON FeatureCollection, all or nothing, naming every offending feature.</summary>
    public async Task<Outcome<JurisdictionImportSummary>> Import(Actor actor, byte[] geoJson)
    {
        var outcome = await importer.Import(geoJson);
        if (outcome.Problems.Count > 0)
        {
            return Refusal.Invalid(outcome.Problems
                .GroupBy(p => p.FeatureIndex < 0 ? p.Field : $"features[{p.FeatureIndex}].{p.Field}")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Code is null ? p.Message : $"{p.Code}: {p.Message}").ToArray()));
        }
        await audit.Append(actor.Caller, AuditActions.ImportJurisdictions, null,
            detail: $"{outcome.Areas} areas: " + string.Join(", ", outcome.ByLevel.Select(l => $"{l.Key} {l.Value}")),
            clientAddress: actor.ClientAddress);
        return new JurisdictionImportSummary(outcome.Areas, outcome.ByLevel);
    }
}
