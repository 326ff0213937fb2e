using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Valid;

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

/// <summary>Imports and exports the jurisdiction tree as a GeoJSON FeatureCollection (RFC 7946, WGS84).</summary>
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

    private const int CoordinateDecimals = 6;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
        SkipValidation = false,
    };

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
    public static byte[] Write(IEnumerable<Jurisdiction> areas)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var area in areas)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                writer.WriteStartObject("properties");
                writer.WriteString("code", area.Code);
                writer.WriteString("name", area.Name);
                writer.WriteString("level", area.Level.ToWord());
                if (area.ParentCode is null)
                {
                    writer.WriteNull("parentCode");
                }
                else
                {
                    writer.WriteString("parentCode", area.ParentCode);
                }

                writer.WriteEndObject();
                writer.WritePropertyName("geometry");
                WriteGeometry(writer, area.Geometry);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

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
            features.Add(ParseFeature(index++, element, problems));
        }

        if (features.Count == 0)
        {
            return Refuse(new GeoJsonProblem(-1, null, "$", "the FeatureCollection has no features"));
        }

        CheckRelations(features, problems);
        CheckGeometries(features, problems);

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

    private static ParsedFeature ParseFeature(int index, JsonElement feature, List<GeoJsonProblem> problems)
    {
        var parsed = new ParsedFeature(index);
        if (feature.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new GeoJsonProblem(index, null, "$", $"a feature must be a JSON object, found a JSON {Describe(feature.ValueKind)}"));
            parsed.Broken = true;
            return parsed;
        }

        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;

        // code first, so every later problem of this feature can name it.
        var codeElement = Property(properties, "code");
        if (codeElement.ValueKind == JsonValueKind.String)
        {
            var raw = codeElement.GetString()!;
            parsed.DisplayCode = string.IsNullOrWhiteSpace(raw) ? null : Shorten(raw);
            var error = CheckCode(raw);
            if (error is null)
            {
                parsed.Code = raw;
            }
            else
            {
                problems.Add(new GeoJsonProblem(index, parsed.DisplayCode, "code", error));
            }
        }
        else
        {
            problems.Add(new GeoJsonProblem(index, null, "code", codeElement.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                ? "code is missing"
                : $"code must be a string, found a JSON {Describe(codeElement.ValueKind)}"));
        }

        var code = parsed.DisplayCode;
        if (!feature.TryGetProperty("type", out var featureType) || featureType.ValueKind != JsonValueKind.String || featureType.GetString() != "Feature")
        {
            problems.Add(new GeoJsonProblem(index, code, "$", "\"type\" must be \"Feature\""));
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new GeoJsonProblem(index, code, "$", "\"properties\" must be an object with code, name, level and parentCode"));
        }

        var nameElement = Property(properties, "name");
        if (nameElement.ValueKind == JsonValueKind.String)
        {
            var name = nameElement.GetString()!.Trim();
            if (name.Length == 0)
            {
                problems.Add(new GeoJsonProblem(index, code, "name", "name is blank"));
            }
            else if (name.Length > MaxNameLength)
            {
                problems.Add(new GeoJsonProblem(index, code, "name", $"name has {name.Length} characters, more than {MaxNameLength}"));
            }
            else
            {
                parsed.Name = name;
            }
        }
        else
        {
            problems.Add(new GeoJsonProblem(index, code, "name", nameElement.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                ? "name is missing"
                : $"name must be a string, found a JSON {Describe(nameElement.ValueKind)}"));
        }

        var levelElement = Property(properties, "level");
        switch (levelElement.ValueKind)
        {
            case JsonValueKind.String when JurisdictionLevels.TryParse(levelElement.GetString(), out var level):
                parsed.Level = level;
                break;
            case JsonValueKind.Number when levelElement.TryGetInt32(out var number) && number is >= 0 and <= 3:
                parsed.Level = (JurisdictionLevel)number;
                break;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                problems.Add(new GeoJsonProblem(index, code, "level", "level is missing"));
                break;
            default:
                problems.Add(new GeoJsonProblem(index, code, "level",
                    $"unknown level {Shorten(levelElement.GetRawText())}: use \"county\", \"township\", \"village\" or \"grid\" (or 0..3)"));
                break;
        }

        var parentElement = Property(properties, "parentCode");
        switch (parentElement.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                parsed.IsRoot = true;
                break;
            case JsonValueKind.String when string.IsNullOrWhiteSpace(parentElement.GetString()):
                parsed.IsRoot = true;
                break;
            case JsonValueKind.String:
                var parentCode = parentElement.GetString()!;
                var error = CheckCode(parentCode);
                if (error is null)
                {
                    parsed.ParentCode = parentCode;
                }
                else
                {
                    problems.Add(new GeoJsonProblem(index, code, "parentCode", $"parentCode is not a valid code: {error}"));
                }

                break;
            default:
                problems.Add(new GeoJsonProblem(index, code, "parentCode", $"parentCode must be a string or null, found a JSON {Describe(parentElement.ValueKind)}"));
                break;
        }

        var geometryElement = feature.TryGetProperty("geometry", out var g) ? g : default;
        parsed.Geometry = ReadGeometry(geometryElement, out var geometryError);
        if (geometryError is not null)
        {
            problems.Add(new GeoJsonProblem(index, code, "geometry", geometryError));
        }

        return parsed;
    }

    private static void CheckRelations(List<ParsedFeature> features, List<GeoJsonProblem> problems)
    {
        var byCode = new Dictionary<string, ParsedFeature>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            if (f.Code is null)
            {
                continue;
            }

            if (byCode.TryGetValue(f.Code, out var first))
            {
                problems.Add(new GeoJsonProblem(f.Index, f.Code, "code", $"duplicate code {f.Code}: feature {first.Index} already has it"));
                f.IsDuplicate = true;
            }
            else
            {
                byCode.Add(f.Code, f);
            }
        }

        var roots = features.Where(f => !f.Broken && f.IsRoot).ToList();
        if (roots.Count == 0)
        {
            problems.Add(new GeoJsonProblem(-1, null, "parentCode", "no root: exactly one feature (the county) must have no parentCode"));
        }

        foreach (var extra in roots.Skip(1))
        {
            problems.Add(new GeoJsonProblem(extra.Index, extra.DisplayCode, "parentCode",
                $"parentCode is missing, but only one feature may be the root and feature {roots[0].Index} ({roots[0].DisplayCode ?? "no code"}) already is"));
        }

        foreach (var f in features)
        {
            if (f.ParentCode is null || f.IsDuplicate)
            {
                continue;
            }

            if (!byCode.TryGetValue(f.ParentCode, out var parent))
            {
                problems.Add(new GeoJsonProblem(f.Index, f.DisplayCode, "parentCode", $"unknown parentCode {f.ParentCode}: no feature has that code"));
                continue;
            }

            if (ReferenceEquals(parent, f))
            {
                problems.Add(new GeoJsonProblem(f.Index, f.DisplayCode, "parentCode", "a feature cannot be its own parent"));
                continue;
            }

            if (f.Level is { } level && parent.Level is { } parentLevel && (int)parentLevel != (int)level - 1)
            {
                var expected = (int)level == 0 ? "a county has no parent" : $"its parent should be a {((JurisdictionLevel)((int)level - 1)).ToWord()}";
                problems.Add(new GeoJsonProblem(f.Index, f.DisplayCode, "level",
                    $"level {level.ToWord()} is not exactly one below its parent {parent.Code} ({parentLevel.ToWord()}): {expected}"));
                continue;
            }

            f.Parent = parent;
        }
    }

    private static void CheckGeometries(List<ParsedFeature> features, List<GeoJsonProblem> problems)
    {
        // Children are checked per parent. Fast path: the children plus the parent's complement (a frame with the
        // parent cut out) are run through NTS's CoverageValidator; when edges match exactly (a clean tiling) nothing
        // is flagged, and the children can neither overlap each other nor leave the parent. Only flagged children
        // take the slow path: overlay areas against the parent and, through an STRtree, against their siblings.
        var groups = features
            .Where(f => f.Geometry is not null && f.Parent is not null)
            .GroupBy(f => f.Parent!)
            .OrderBy(g => g.Key.Index);
        foreach (var group in groups)
        {
            var parent = group.Key;
            var children = group.OrderBy(f => f.Index).ToList();
            var flagged = FlagCoverageProblems(children, parent.Geometry);

            for (var i = 0; i < children.Count; i++)
            {
                if (flagged[i] && parent.Geometry is not null)
                {
                    CheckInsideParent(children[i], parent, problems);
                }
            }

            if (!flagged.Contains(true) && children.Count < 2)
            {
                continue;
            }

            var tree = new STRtree<int>();
            for (var i = 0; i < children.Count; i++)
            {
                tree.Insert(children[i].Geometry!.EnvelopeInternal, i);
            }

            tree.Build();
            for (var i = 0; i < children.Count; i++)
            {
                var a = children[i];
                var later = tree.Query(a.Geometry!.EnvelopeInternal).Where(j => j > i).Order().ToList();
                foreach (var j in later)
                {
                    var b = children[j];
                    // Two unflagged members of a valid coverage cannot overlap, unless they are identical.
                    if (!flagged[i] && !flagged[j] && !a.Geometry!.EnvelopeInternal.Equals(b.Geometry!.EnvelopeInternal))
                    {
                        continue;
                    }

                    CheckSiblings(a, b, problems);
                }
            }
        }
    }

    /// <summary>Which children CoverageValidator flags (mismatched or crossing edges) among siblings and the parent's complement.</summary>
    private static bool[] FlagCoverageProblems(List<ParsedFeature> children, Geometry? parent)
    {
        var coverage = children.Select(c => c.Geometry!).ToList();
        if (parent is not null)
        {
            coverage.Add(Complement(parent));
        }

        try
        {
            var result = NetTopologySuite.Coverage.CoverageValidator.Validate(coverage.ToArray());
            return children.Select((_, i) => result[i] is not null).ToArray();
        }
        catch (Exception ex) when (ex is TopologyException or ArgumentException or InvalidOperationException)
        {
            return Enumerable.Repeat(true, children.Count).ToArray();
        }
    }

    /// <summary>The parent's envelope, enlarged, with the parent cut out (and the parent's holes as islands).</summary>
    private static Geometry Complement(Geometry parent)
    {
        var envelope = new Envelope(parent.EnvelopeInternal);
        envelope.ExpandBy(0.1 * Math.Max(envelope.Width, envelope.Height) + 1e-3);
        var polygons = Enumerable.Range(0, parent.NumGeometries).Select(i => (Polygon)parent.GetGeometryN(i)).ToList();
        var frame = Factory.CreatePolygon(
            Factory.CreateLinearRing(
            [
                new Coordinate(envelope.MinX, envelope.MinY), new Coordinate(envelope.MaxX, envelope.MinY),
                new Coordinate(envelope.MaxX, envelope.MaxY), new Coordinate(envelope.MinX, envelope.MaxY),
                new Coordinate(envelope.MinX, envelope.MinY),
            ]),
            polygons.Select(p => (LinearRing)p.ExteriorRing).ToArray());
        var islands = polygons.SelectMany(p => p.InteriorRings).Select(r => Factory.CreatePolygon((LinearRing)r)).ToList();
        return islands.Count == 0 ? frame : Factory.CreateMultiPolygon([frame, .. islands]);
    }

    private static void CheckInsideParent(ParsedFeature child, ParsedFeature parent, List<GeoJsonProblem> problems)
    {
        if (parent.Prepared.Covers(child.Geometry!))
        {
            return;
        }

        var outside = SafeArea(() => OverlayNGRobust.Overlay(child.Geometry!, parent.Geometry!, SpatialFunction.Difference));
        if (outside is null)
        {
            problems.Add(new GeoJsonProblem(child.Index, child.DisplayCode, "geometry", $"could not be compared with its parent {parent.Code}"));
            return;
        }

        var area = child.Geometry!.Area;
        if (outside > Math.Max(OverlapToleranceSquareDegrees, OutsideParentRelativeTolerance * area))
        {
            problems.Add(new GeoJsonProblem(child.Index, child.DisplayCode, "geometry",
                $"not inside its parent {parent.Code}: {Percent(outside.Value, area)} of its area ({SquareMetres(outside.Value, child.Geometry)}) lies outside"));
        }
    }

    private static void CheckSiblings(ParsedFeature a, ParsedFeature b, List<GeoJsonProblem> problems)
    {
        if (!a.Prepared.Intersects(b.Geometry!))
        {
            return;
        }

        var shared = SafeArea(() => OverlayNGRobust.Overlay(a.Geometry!, b.Geometry!, SpatialFunction.Intersection));
        if (shared is null)
        {
            problems.Add(new GeoJsonProblem(b.Index, b.DisplayCode, "geometry", $"could not be compared with its sibling {a.Code} (feature {a.Index})"));
        }
        else if (shared > OverlapToleranceSquareDegrees)
        {
            problems.Add(new GeoJsonProblem(b.Index, b.DisplayCode, "geometry",
                $"overlaps its sibling {a.Code} (feature {a.Index}) by {SquareMetres(shared.Value, b.Geometry!)}"));
        }
    }

    private static double? SafeArea(Func<Geometry> overlay)
    {
        try
        {
            return overlay().Area;
        }
        catch (TopologyException)
        {
            return null;
        }
    }

    private static string Percent(double part, double whole) =>
        whole > 0 ? (100 * part / whole).ToString("0.####", CultureInfo.InvariantCulture) + "%" : "all";

    /// <summary>Rough conversion of square degrees at the geometry's latitude, for messages only.</summary>
    private static string SquareMetres(double squareDegrees, Geometry near)
    {
        var latitude = near.EnvelopeInternal.Centre.Y * Math.PI / 180;
        var m2 = squareDegrees * 111_320.0 * 111_320.0 * Math.Cos(latitude);
        return m2 >= 1e6
            ? (m2 / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " km²"
            : m2.ToString("0.#", CultureInfo.InvariantCulture) + " m²";
    }

    private static JsonElement Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    private static string? CheckCode(string code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "code is blank";
        }

        if (code.Length > MaxCodeLength)
        {
            return $"code has {code.Length} characters, more than {MaxCodeLength}";
        }

        foreach (var c in code)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return $"code contains '{c}': only 0-9, A-Z, a-z, '-' and '_' are allowed";
            }
        }

        return null;
    }

    private static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    // ---- geometry reading ----------------------------------------------------------------------------

    private static Geometry? ReadGeometry(JsonElement element, out string? error)
    {
        error = null;
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            error = "geometry is missing";
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"geometry must be a GeoJSON geometry object, found a JSON {Describe(element.ValueKind)}";
            return null;
        }

        var type = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            error = type is null
                ? "geometry has no \"type\""
                : $"geometry type {Shorten(type)} is not accepted: an area must be a Polygon or MultiPolygon";
            return null;
        }

        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            error = $"{type} has no \"coordinates\" array";
            return null;
        }

        Geometry geometry;
        try
        {
            if (type == "Polygon")
            {
                geometry = ReadPolygon(coordinates, "coordinates");
            }
            else
            {
                var polygons = new List<Polygon>();
                var i = 0;
                foreach (var polygon in coordinates.EnumerateArray())
                {
                    polygons.Add(ReadPolygon(polygon, $"coordinates[{i}]"));
                    i++;
                }

                geometry = Factory.CreateMultiPolygon(polygons.ToArray());
            }
        }
        catch (FormatException ex)
        {
            error = $"{type}: {ex.Message}";
            return null;
        }

        if (geometry.IsEmpty)
        {
            error = $"{type} is empty";
            return null;
        }

        var validity = new IsValidOp(geometry);
        if (!validity.IsValid)
        {
            var problem = validity.ValidationError;
            var where = problem.Coordinate is { } c
                ? $" at ({c.X.ToString("R", CultureInfo.InvariantCulture)}, {c.Y.ToString("R", CultureInfo.InvariantCulture)})"
                : "";
            error = $"invalid {type}: {problem.Message}{where}";
            return null;
        }

        return geometry;
    }

    private static Polygon ReadPolygon(JsonElement rings, string path)
    {
        if (rings.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} must be an array of linear rings");
        }

        var count = rings.GetArrayLength();
        if (count == 0)
        {
            return Factory.CreatePolygon();
        }

        LinearRing? shell = null;
        var holes = new LinearRing[count - 1];
        var r = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            var linearRing = ReadRing(ring, $"{path}[{r}]");
            if (r == 0)
            {
                shell = linearRing;
            }
            else
            {
                holes[r - 1] = linearRing;
            }

            r++;
        }

        return Factory.CreatePolygon(shell, holes);
    }

    private static LinearRing ReadRing(JsonElement ring, string path)
    {
        if (ring.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} must be an array of positions");
        }

        var positions = new Coordinate[ring.GetArrayLength()];
        var i = 0;
        foreach (var position in ring.EnumerateArray())
        {
            positions[i] = ReadPosition(position, $"{path}[{i}]");
            i++;
        }

        if (positions.Length < 4)
        {
            throw new FormatException($"{path} has {positions.Length} positions; a linear ring needs at least 4");
        }

        if (!positions[0].Equals2D(positions[^1]))
        {
            throw new FormatException($"{path} is not closed: its first and last positions differ");
        }

        return Factory.CreateLinearRing(positions);
    }

    private static Coordinate ReadPosition(JsonElement position, string path)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2)
        {
            throw new FormatException($"{path} must be a position [longitude, latitude]");
        }

        var longitude = ReadNumber(position[0], path);
        var latitude = ReadNumber(position[1], path);
        if (longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw new FormatException(
                $"{path} [{longitude.ToString(CultureInfo.InvariantCulture)}, {latitude.ToString(CultureInfo.InvariantCulture)}] is out of range: longitude first (-180..180), then latitude (-90..90)");
        }

        return new Coordinate(longitude, latitude);
    }

    private static double ReadNumber(JsonElement number, string path) =>
        number.ValueKind == JsonValueKind.Number && number.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{path} must contain numbers");

    // ---- geometry writing ----------------------------------------------------------------------------

    private static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry)
    {
        writer.WriteStartObject();
        switch (geometry)
        {
            case Polygon polygon:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                WritePolygon(writer, polygon);
                break;
            case MultiPolygon multi:
                writer.WriteString("type", "MultiPolygon");
                writer.WriteStartArray("coordinates");
                foreach (var part in multi.Geometries)
                {
                    WritePolygon(writer, (Polygon)part);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"cannot write a {geometry.GeometryType} as a jurisdiction", nameof(geometry));
        }

        writer.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon)
    {
        writer.WriteStartArray();
        WriteRing(writer, polygon.ExteriorRing, counterClockwise: true);
        foreach (var hole in polygon.InteriorRings)
        {
            WriteRing(writer, hole, counterClockwise: false);
        }

        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, LineString ring, bool counterClockwise)
    {
        var source = ring.Coordinates;
        var points = new List<(double X, double Y)>(source.Length);
        foreach (var c in source)
        {
            var p = (Math.Round(c.X, CoordinateDecimals), Math.Round(c.Y, CoordinateDecimals));
            if (points.Count == 0 || points[^1] != p)
            {
                points.Add(p);
            }
        }

        var reverse = Orientation.IsCCW(ring.CoordinateSequence) != counterClockwise;
        writer.WriteStartArray();
        for (var k = 0; k < points.Count; k++)
        {
            var (x, y) = points[reverse ? points.Count - 1 - k : k];
            writer.WriteStartArray();
            writer.WriteNumberValue(x);
            writer.WriteNumberValue(y);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private sealed class ParsedFeature(int index)
    {
        private IPreparedGeometry? _prepared;

        public int Index { get; } = index;

        public bool Broken { get; set; }

        public string? Code { get; set; }

        /// <summary>The code as written, for messages, even when it is not a valid code.</summary>
        public string? DisplayCode { get; set; }

        public string? Name { get; set; }

        public JurisdictionLevel? Level { get; set; }

        public string? ParentCode { get; set; }

        public bool IsRoot { get; set; }

        public bool IsDuplicate { get; set; }

        public Geometry? Geometry { get; set; }

        public ParsedFeature? Parent { get; set; }

        public IPreparedGeometry Prepared => _prepared ??= PreparedGeometryFactory.Prepare(Geometry);
    }
}
