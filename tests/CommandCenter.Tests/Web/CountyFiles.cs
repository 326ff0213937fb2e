using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Web;

/// <summary>County boundary files made from the fixture's own tree, for import checks that must not change it (or that put it back).</summary>
public static class CountyFiles
{
    /// <summary>
    /// The county's export with one grid traced again about 20 cm to the north-east (so it overlaps its neighbours,
    /// sticks out of its village and leaves slivers), renamed when <paramref name="name"/> is given; and that grid.
    /// </summary>
    public static async Task<(JsonNode File, JsonNode Feature, Jurisdiction Grid)> WithGridShifted(Tests.Infrastructure.WebFixture web, int index,
        string? name = null)
    {
        var county = JsonNode.Parse(await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson"))!;
        var grid = web.Directory.Tree!.All.Where(j => j.Level == JurisdictionLevel.Grid).ElementAt(index);
        var feature = county["features"]!.AsArray().Single(f => (string)f!["properties"]!["code"]! == grid.Code)!;
        var geometry = feature["geometry"]!;
        var polygons = (string)geometry["type"]! == "Polygon" ? [geometry["coordinates"]!] : geometry["coordinates"]!.AsArray().Select(p => p!);
        foreach (var position in polygons.SelectMany(polygon => polygon.AsArray()).SelectMany(ring => ring!.AsArray()))
        {
            position![0] = (double)position[0]! + 2e-6;
            position[1] = (double)position[1]! + 2e-6;
        }
        if (name is not null)
            feature["properties"]!["name"] = name;
        return (county, feature, grid);
    }

    /// <summary>
    /// The demo county's file with <paramref name="grid"/> split at the middle of its extent into a west half (its
    /// code + "W", its name + "(西)") and an east half ("E", "(东)"), each with its area.
    /// </summary>
    public static async Task<(JsonObject File, GridHalf West, GridHalf East)> WithGridSplit(Tests.Infrastructure.WebFixture web, Jurisdiction grid)
    {
        var county = JsonNode.Parse(await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson"))!.AsObject();
        var features = county["features"]!.AsArray();
        var feature = features.Single(f => (string)f!["properties"]!["code"]! == grid.Code)!;
        var box = grid.Geometry.EnvelopeInternal;
        var factory = grid.Geometry.Factory;
        GridHalf Part(string suffix, double x0, double x1) => new(grid.Code + suffix,
            grid.Geometry.Intersection(factory.ToGeometry(new Envelope(x0, x1, box.MinY - 0.01, box.MaxY + 0.01))));
        var (west, east) = (Part("W", box.MinX - 0.01, box.Centre.X), Part("E", box.Centre.X, box.MaxX + 0.01));
        features.Remove(feature);
        foreach (var (half, name) in new[] { (west, "西"), (east, "东") })
        {
            var part = feature.DeepClone();
            part["properties"]!["code"] = half.Code;
            part["properties"]!["name"] = $"{grid.Name}({name})";
            part["geometry"] = JsonSerializer.SerializeToNode(half.Area, JurisdictionGeoJson.GeometryJson);
            features.Add(part);
        }
        return (county, west, east);
    }
}

/// <summary>One half of a split grid: its code and its area.</summary>
public sealed record GridHalf(string Code, Geometry Area);
