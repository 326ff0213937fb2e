using System.Text;
using System.Text.Json.Nodes;
using CommandCenter.Demo;
using CommandCenter.Geography;

namespace CommandCenter.Tests.Geography;

/// <summary>The demo county, generated and imported once per test run.</summary>
internal static class DemoCountyData
{
    private static readonly Lazy<(byte[] Bytes, JurisdictionTree Tree)> Value = new(() =>
    {
        var bytes = DemoCounty.GeoJson();
        var result = JurisdictionGeoJson.Parse(bytes);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("demo county refused: " + string.Join("; ", result.Problems));
        }

        return (bytes, result.Tree!);
    });

    public static byte[] Bytes => Value.Value.Bytes;

    public static JurisdictionTree Tree => Value.Value.Tree;

    public static IEnumerable<Jurisdiction> AtLevel(JurisdictionLevel level) => Tree.All.Where(a => a.Level == level);
}

/// <summary>
/// A tiny hand-made county for import tests:
/// C = [104.00, 104.02] × [36.00, 36.01]; T1 / T2 its west / east halves; V1 = T1, V2 = T2;
/// G1 / G2 the west / east halves of V1, G3 = V2.
/// </summary>
internal static class TinyCounty
{
    public const int County = 0, T1 = 1, T2 = 2, V1 = 3, V2 = 4, G1 = 5, G2 = 6, G3 = 7;

    public static JsonObject Collection() => new()
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray(
            Feature("C", "测试县", "county", null, Rect(104.00, 36.00, 104.02, 36.01)),
            Feature("T1", "西镇", "township", "C", Rect(104.00, 36.00, 104.01, 36.01)),
            Feature("T2", "东镇", "township", "C", Rect(104.01, 36.00, 104.02, 36.01)),
            Feature("V1", "西村", "village", "T1", Rect(104.00, 36.00, 104.01, 36.01)),
            Feature("V2", "东村", "village", "T2", Rect(104.01, 36.00, 104.02, 36.01)),
            Feature("G1", "西村第1网格", "grid", "V1", Rect(104.00, 36.00, 104.005, 36.01)),
            Feature("G2", "西村第2网格", "grid", "V1", Rect(104.005, 36.00, 104.01, 36.01)),
            Feature("G3", "东村第1网格", "grid", "V2", Rect(104.01, 36.00, 104.02, 36.01))),
    };

    public static JsonObject Feature(string code, string name, JsonNode? level, string? parent, JsonArray polygonRings) => new()
    {
        ["type"] = "Feature",
        ["properties"] = new JsonObject
        {
            ["code"] = code,
            ["name"] = name,
            ["level"] = level,
            ["parentCode"] = parent,
        },
        ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = polygonRings },
    };

    public static JsonArray Rect(double x0, double y0, double x1, double y1) =>
        new(Ring((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)));

    public static JsonArray Ring(params (double X, double Y)[] points) =>
        new(points.Select(p => (JsonNode)new JsonArray(p.X, p.Y)).ToArray());

    public static JsonArray Features(JsonObject collection) => collection["features"]!.AsArray();

    public static JsonObject Properties(JsonObject collection, int index) => Features(collection)[index]!["properties"]!.AsObject();

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static JurisdictionImportResult Parse(JsonNode node) => JurisdictionGeoJson.Parse(Bytes(node));
}
