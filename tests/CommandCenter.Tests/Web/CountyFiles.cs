using System.Text.Json.Nodes;
using CommandCenter.Geography;

namespace CommandCenter.Tests.Web;

/// <summary>County boundary files made from the fixture's own tree, for import checks that must not change it.</summary>
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
}
