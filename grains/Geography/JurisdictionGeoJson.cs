using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>One reason a jurisdiction file was refused.</summary>
/// <param name="FeatureIndex">Index of the feature in the "features" array, or -1 for the whole document.</param>
/// <param name="Code">The feature's code when it has a readable one.</param>
/// <param name="Field">"code", "name", "level", "parentCode", "geometry" or "$" (the document or the feature as a whole).</param>
/// <param name="Message">What is wrong, for a person to fix the file.</param>
public sealed record GeoJsonProblem(int FeatureIndex, string? Code, string Field, string Message);

/// <summary>Either a tree or the complete list of problems, never both.</summary>
public sealed record JurisdictionImportResult(JurisdictionTree? Tree, IReadOnlyList<GeoJsonProblem> Problems)
{
    public bool Succeeded => Tree is not null;
}

/// <summary>
/// Imports and exports the jurisdiction tree as a GeoJSON FeatureCollection (RFC 7946, WGS84). Reading takes four
/// steps, each in its own class: a feature's properties (<see cref="JurisdictionProperties"/>) and geometry
/// (<see cref="JurisdictionGeometryReader"/>), then the parents and levels (<see cref="JurisdictionRelations"/>), then
/// how children cover their parent (<see cref="JurisdictionCoverage"/>); <see cref="JurisdictionGeoJsonWriter"/> writes.
/// </summary>
public static class JurisdictionGeoJson
{
    /// <summary>Largest accepted file.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>Longest accepted code; codes use only 0-9, A-Z, a-z, '-' and '_'.</summary>
    public const int MaxCodeLength = 32;

    /// <summary>Longest accepted name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Two siblings may share at most this much area (square degrees, about 10 m² here).</summary>
    public const double OverlapToleranceSquareDegrees = 1e-9;

    /// <summary>A child may stick out of its parent by at most this share of its own area (or the absolute overlap tolerance, whichever is larger).</summary>
    public const double OutsideParentRelativeTolerance = 1e-4;

    /// <summary>The factory of every area read: WGS84, SRID 4326.</summary>
    internal static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>
    /// Parses a GeoJSON FeatureCollection of jurisdictions. All-or-nothing: a tree, or every problem found.
    /// </summary>
    public static JurisdictionImportResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxBytes)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$",
                $"the file has {utf8Json.Length:N0} bytes, more than the {MaxBytes:N0} accepted"));
        }

        if (utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8Json = utf8Json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", $"malformed JSON: {ex.Message}"));
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>
    /// Writes the tree as a FeatureCollection (features in <see cref="JurisdictionTree.All"/> order, properties
    /// code, name, level as the lowercase word, parentCode; coordinates rounded to 6 decimals, exterior rings
    /// counter-clockwise). <c>Parse(Write(tree))</c> gives the same tree back.
    /// </summary>
    public static byte[] Write(JurisdictionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Write(tree.All);
    }

    /// <summary>Writes some areas (a subtree, or one level of it) in the same format as <see cref="Write(JurisdictionTree)"/>.</summary>
    public static byte[] Write(IEnumerable<Jurisdiction> areas) => JurisdictionGeoJsonWriter.Write(areas);

    private static JurisdictionImportResult Refuse(GeoJsonProblem problem) => new(null, [problem]);

    private static JurisdictionImportResult Parse(JsonElement root)
    {
        var problems = new List<GeoJsonProblem>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", $"expected a GeoJSON FeatureCollection object, found a JSON {Describe(root.ValueKind)}"));
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection")
        {
            var found = type.ValueKind == JsonValueKind.String ? $"\"{Shorten(type.GetString())}\"" : "nothing";
            return Refuse(new GeoJsonProblem(-1, null, "$", $"not a FeatureCollection: \"type\" must be \"FeatureCollection\", found {found}"));
        }

        if (!root.TryGetProperty("features", out var featuresElement) || featuresElement.ValueKind != JsonValueKind.Array)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", "not a FeatureCollection: it has no \"features\" array"));
        }

        var features = new List<ParsedFeature>(featuresElement.GetArrayLength());
        var index = 0;
        foreach (var element in featuresElement.EnumerateArray())
        {
            features.Add(JurisdictionProperties.Read(index++, element, problems));
        }

        if (features.Count == 0)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", "the FeatureCollection has no features"));
        }

        JurisdictionRelations.Check(features, problems);
        JurisdictionCoverage.Check(features, problems);

        if (problems.Count > 0)
        {
            return new JurisdictionImportResult(null, Ordered(problems));
        }

        var items = features
            .Select(f => new Jurisdiction(f.Code!, f.Name!, f.Level!.Value, f.ParentCode, f.Geometry!))
            .ToList();
        try
        {
            return new JurisdictionImportResult(JurisdictionTree.Build(items), []);
        }
        catch (ArgumentException ex)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", ex.Message));
        }
    }

    private static List<GeoJsonProblem> Ordered(List<GeoJsonProblem> problems) =>
        problems.Select((p, i) => (p, i)).OrderBy(x => x.p.FeatureIndex).ThenBy(x => x.i).Select(x => x.p).ToList();

    /// <summary>A text from the file as quoted in a message: at most 40 characters.</summary>
    internal static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    /// <summary>A JSON value's kind as named in a message.</summary>
    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
