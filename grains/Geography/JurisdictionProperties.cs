using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using static CommandCenter.Geography.JurisdictionGeoJson;

namespace CommandCenter.Geography;

/// <summary>One feature of a jurisdiction file as read; the relations check links it to its parent.</summary>
internal sealed class ParsedFeature(int index)
{
    private IPreparedGeometry? _prepared;
    private Geometry? _geometry;

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

    /// <summary>The geometry as read (and repaired); setting it forgets the prepared one.</summary>
    public Geometry? Geometry
    {
        get => _geometry;
        set
        {
            _geometry = value;
            _prepared = null;
        }
    }

    public ParsedFeature? Parent { get; set; }

    public IPreparedGeometry Prepared => _prepared ??= PreparedGeometryFactory.Prepare(Geometry);
}

/// <summary>Reads a feature's type, properties (code, name, level, parentCode) and geometry, noting every problem.</summary>
internal static class JurisdictionProperties
{
    public static ParsedFeature Read(int index, JsonElement feature, List<GeoJsonProblem> problems, GeometryReading reading)
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
                    $"unknown level {Shorten(levelElement.GetRawText())}: use \"city\", \"county\", \"township\", \"village\" or \"grid\" (or 0..3, county to grid)"));
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
                problems.Add(new GeoJsonProblem(index, code, "parentCode",
                    $"parentCode must be a string or null, found a JSON {Describe(parentElement.ValueKind)}"));
                break;
        }

        var geometryElement = feature.TryGetProperty("geometry", out var g) ? g : default;
        parsed.Geometry = JurisdictionGeometryReader.Read(geometryElement, out var geometryError, reading, index, code);
        if (geometryError is not null)
        {
            problems.Add(new GeoJsonProblem(index, code, "geometry", geometryError));
        }

        return parsed;
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
}
