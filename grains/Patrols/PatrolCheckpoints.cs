using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;

namespace CommandCenter.Patrols;

/// <summary>A checkpoint of a grid (巡查点): a place its patrol checks in at, numbered from 1 within the grid.</summary>
public sealed record Checkpoint(string GridCode, int Ordinal, string Name, double Latitude, double Longitude);

/// <summary>
/// A grid's checkpoints come with the county's GeoJSON: an optional property <c>checkpoints</c> of a grid's feature,
/// <c>[{ "name": "社区服务站", "lat": 36.54, "lng": 104.17 }, …]</c>, each point inside the grid. A file that names
/// no checkpoints at all leaves those already kept (of the grids it still has); one that names any replaces them all.
/// </summary>
public static class PatrolCheckpoints
{
    public const string Property = "checkpoints";
    public const int MaxPerGrid = 20;
    public const int MaxNameLength = 64;

    /// <summary>The checkpoint within <paramref name="radiusMeters"/> of the point, the nearest one; null when none is.</summary>
    public static Checkpoint? Near(IEnumerable<Checkpoint> checkpoints, double latitude, double longitude, double radiusMeters) =>
        checkpoints
            .Select(c => (Checkpoint: c, Meters: Incidents.Distance.Meters(latitude, longitude, c.Latitude, c.Longitude)))
            .Where(c => c.Meters <= radiusMeters)
            .OrderBy(c => c.Meters)
            .Select(c => c.Checkpoint)
            .FirstOrDefault();

    /// <summary>
    /// The checkpoints a county file names (null when it names none), checked against its tree; every problem goes to
    /// <paramref name="problems"/>, naming the feature and the field (<c>checkpoints[1].lat</c>).
    /// </summary>
    public static IReadOnlyList<Checkpoint>? Read(ReadOnlySpan<byte> utf8Json, JurisdictionTree tree, List<GeoJsonProblem> problems)
    {
        using var document = JsonDocument.Parse(utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8Json[3..].ToArray() : utf8Json.ToArray());
        if (!document.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            return null;
        var checkpoints = new List<Checkpoint>();
        var named = false;
        var index = -1;
        foreach (var feature in features.EnumerateArray())
        {
            index++;
            if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(Property, out var list))
                continue;
            named = true;
            var code = properties.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()!.Trim() : null;
            var area = code is null ? null : tree.Find(code);
            if (area is not { Level: JurisdictionLevel.Grid })
            {
                problems.Add(new GeoJsonProblem(index, code, Property, "only grids have checkpoints"));
                continue;
            }
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxPerGrid)
            {
                problems.Add(new GeoJsonProblem(index, code, Property, $"an array of at most {MaxPerGrid} {{ name, lat, lng }}"));
                continue;
            }
            var ordinal = 0;
            foreach (var item in list.EnumerateArray())
            {
                ordinal++;
                if (ReadOne(index, area, ordinal, item, problems) is { } checkpoint)
                    checkpoints.Add(checkpoint);
            }
        }
        return named ? checkpoints : null;
    }

    /// <summary>The property a grid's feature carries for its checkpoints (what <see cref="Read"/> reads).</summary>
    public static JsonArray ToProperty(IEnumerable<Checkpoint> checkpoints) =>
        [.. checkpoints.OrderBy(c => c.Ordinal).Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["lat"] = Math.Round(c.Latitude, 6),
            ["lng"] = Math.Round(c.Longitude, 6),
        })];

    private static Checkpoint? ReadOne(int index, Jurisdiction grid, int ordinal, JsonElement item, List<GeoJsonProblem> problems)
    {
        var field = $"{Property}[{ordinal - 1}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new GeoJsonProblem(index, grid.Code, field, "must be an object { name, lat, lng }"));
            return null;
        }
        var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
        if (name.Length is 0 or > MaxNameLength)
        {
            problems.Add(new GeoJsonProblem(index, grid.Code, field + ".name", $"1 to {MaxNameLength} characters"));
            return null;
        }
        double? Coordinate(string key, double limit)
        {
            if (item.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
                && double.IsFinite(number) && Math.Abs(number) <= limit)
                return number;
            problems.Add(new GeoJsonProblem(index, grid.Code, $"{field}.{key}", $"a number within ±{limit}"));
            return null;
        }
        var (lat, lng) = (Coordinate("lat", 90), Coordinate("lng", 180));
        if (lat is null || lng is null)
            return null;
        if (!grid.Geometry.Covers(new Point(lng.Value, lat.Value)))
        {
            problems.Add(new GeoJsonProblem(index, grid.Code, field, $"{name} lies outside the grid"));
            return null;
        }
        return new Checkpoint(grid.Code, ordinal, name, lat.Value, lng.Value);
    }
}
