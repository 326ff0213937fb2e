using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>One reason a jurisdiction file was refused.</summary>
/// <param name="FeatureIndex">Index of the feature in the "features" array, or -1 for the whole document.</param>
/// <param name="Code">The feature's code when it has a readable one.</param>
/// <param name="Field">"code", "name", "level", "parentCode", "geometry" or "$" (the document or the feature as a whole).</param>
/// <param name="Message">What is wrong, for a person to fix the file.</param>
public sealed record GeoJsonProblem(int FeatureIndex, string? Code, string Field, string Message);

/// <summary>What kind of change a repair made to a feature's geometry.</summary>
public enum RepairKind
{
    /// <summary>An invalid geometry (a self-intersecting ring, say) made valid.</summary>
    MadeValid,
    /// <summary>The part outside its parent cut off.</summary>
    ClippedToParent,
    /// <summary>The part shared with an earlier sibling cut off: it stays with that sibling.</summary>
    OverlapCut,
    /// <summary>A sliver of the parent between siblings, covered by none, added to this one.</summary>
    GapFilled,
}

/// <summary>
/// One change an import's repair made to a feature (<see cref="JurisdictionImportOptions.Repair"/>): its area, parts
/// (polygons) and vertices before and after; <see cref="Other"/> names the sibling an overlap or gap was shared with.
/// </summary>
public sealed record JurisdictionRepair(int FeatureIndex, string Code, RepairKind Kind, string? Other, double AreaBeforeSquareMetres,
    double AreaAfterSquareMetres, int PartsBefore, int PartsAfter, int VerticesBefore, int VerticesAfter)
{
    /// <summary>The share of the area the repair changed (0.0012 = 0.12 %).</summary>
    public double AreaChange => AreaBeforeSquareMetres > 0 ? Math.Abs(AreaAfterSquareMetres - AreaBeforeSquareMetres) / AreaBeforeSquareMetres : 0;
}

/// <summary>
/// How to read a file: with <see cref="Repair"/>, an invalid geometry is made valid, and a part outside the parent, an
/// overlap between siblings or a sliver between them is resolved, each only when it changes at most
/// <see cref="Tolerance"/> of the area concerned (else the file is refused, as without repair); <see cref="Crs"/> is
/// the coordinates' system when the request says (else the file's <c>crs</c> member, else WGS-84).
/// </summary>
public sealed record JurisdictionImportOptions(bool Repair = false, double Tolerance = JurisdictionImportOptions.DefaultTolerance,
    CoordinateSystem? Crs = null)
{
    /// <summary>0.5 % of the smaller area concerned.</summary>
    public const double DefaultTolerance = 0.005;

    public static readonly JurisdictionImportOptions Strict = new();
}

/// <summary>Either a tree or the complete list of problems, never both; the repairs made to read it and the coordinates' system it came in.</summary>
public sealed record JurisdictionImportResult(JurisdictionTree? Tree, IReadOnlyList<GeoJsonProblem> Problems,
    IReadOnlyList<JurisdictionRepair>? Repairs = null, CoordinateSystem Crs = CoordinateSystem.Wgs84)
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

    /// <summary>A geometry as a GeoJSON geometry object and back (NetTopologySuite's converter): how areas are stored and converted.</summary>
    public static readonly JsonSerializerOptions GeometryJson = new() { Converters = { new NetTopologySuite.IO.Converters.GeoJsonConverterFactory() } };

    /// <summary>
    /// Parses a GeoJSON FeatureCollection of jurisdictions. All-or-nothing: a tree, or every problem found.
    /// </summary>
    public static JurisdictionImportResult Parse(ReadOnlySpan<byte> utf8Json, JurisdictionImportOptions? options = null)
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
            return Parse(document.RootElement, options ?? JurisdictionImportOptions.Strict);
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

    private static JurisdictionImportResult Parse(JsonElement root, JurisdictionImportOptions options)
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

        if (ReadCrs(root, options) is not { } crs)
        {
            return Refuse(new GeoJsonProblem(-1, null, "crs", "unknown coordinate system: one of wgs84 (EPSG:4326), cgcs2000 (EPSG:4490), gcj02"));
        }

        var repairs = new List<JurisdictionRepair>();
        var reading = new GeometryReading(options, crs, repairs);
        var features = new List<ParsedFeature>(featuresElement.GetArrayLength());
        var index = 0;
        foreach (var element in featuresElement.EnumerateArray())
        {
            features.Add(JurisdictionProperties.Read(index++, element, problems, reading));
        }

        if (features.Count == 0)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", "the FeatureCollection has no features"));
        }

        JurisdictionRelations.Check(features, problems);
        JurisdictionCoverage.Check(features, problems, reading);

        var repaired = repairs.OrderBy(r => r.FeatureIndex).ToList();
        if (problems.Count > 0)
        {
            return new JurisdictionImportResult(null, Ordered(problems), repaired, crs);
        }

        var items = features
            .Select(f => new Jurisdiction(f.Code!, f.Name!, f.Level!.Value, f.ParentCode, f.Geometry!))
            .ToList();
        try
        {
            return new JurisdictionImportResult(JurisdictionTree.Build(items), [], repaired, crs);
        }
        catch (ArgumentException ex)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", ex.Message));
        }
    }

    /// <summary>The request's coordinate system, or the file's (a string, or the GeoJSON 2008 <c>{"type": "name", "properties": {"name": …}}</c>), or WGS-84; null when the file names an unknown one.</summary>
    private static CoordinateSystem? ReadCrs(JsonElement root, JurisdictionImportOptions options)
    {
        if (options.Crs is { } asked)
        {
            return asked;
        }

        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null)
        {
            return CoordinateSystem.Wgs84;
        }

        var name = crs.ValueKind == JsonValueKind.String ? crs.GetString()
            : crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
              && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()
            : null;
        return ChinaDatum.TryParse(name, out var read) ? read : null;
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
