using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Geography;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Geography;

public sealed class JurisdictionGeoJsonTests
{
    [Fact]
    public void Tiny_county_imports()
    {
        var result = TinyCounty.Parse(TinyCounty.Collection());

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(["C", "T1", "T2", "V1", "V2", "G1", "G2", "G3"], result.Tree!.All.Select(a => a.Code));
        Assert.Equal("西村第2网格", result.Tree.Find("G2")!.Name);
        Assert.Equal(JurisdictionLevel.Village, result.Tree.Find("V2")!.Level);
    }

    [Fact]
    public void Demo_county_imports_and_write_then_parse_round_trips_byte_for_byte()
    {
        var tree = DemoCountyData.Tree;
        var written = JurisdictionGeoJson.Write(tree);
        // The demo file is the tree as written, its grids also naming their patrol checkpoints.
        var demo = JsonNode.Parse(DemoCountyData.Bytes)!;
        foreach (var feature in demo["features"]!.AsArray())
            feature!["properties"]!.AsObject().Remove(CommandCenter.Patrols.PatrolCheckpoints.Property);
        Assert.Equal(written, Encoding.UTF8.GetBytes(demo.ToJsonString(new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        })));

        var again = JurisdictionGeoJson.Parse(written);
        Assert.True(again.Succeeded);
        Assert.Equal(tree.All.Count, again.Tree!.All.Count);
        for (var i = 0; i < tree.All.Count; i++)
        {
            var (a, b) = (tree.All[i], again.Tree.All[i]);
            Assert.Equal((a.Code, a.Name, a.Level, a.ParentCode), (b.Code, b.Name, b.Level, b.ParentCode));
            Assert.True(a.Geometry.EqualsExact(b.Geometry), $"{a.Code} geometry changed");
        }

        Assert.Equal(written, JurisdictionGeoJson.Write(again.Tree));
    }

    [Fact]
    public void Write_uses_the_documented_properties_and_counter_clockwise_shells()
    {
        using var document = JsonDocument.Parse(JurisdictionGeoJson.Write(TinyCounty.Parse(TinyCounty.Collection()).Tree!));
        var features = document.RootElement.GetProperty("features");
        Assert.Equal("FeatureCollection", document.RootElement.GetProperty("type").GetString());
        Assert.Equal(8, features.GetArrayLength());

        var county = features[0].GetProperty("properties");
        Assert.Equal("C", county.GetProperty("code").GetString());
        Assert.Equal("测试县", county.GetProperty("name").GetString());
        Assert.Equal("county", county.GetProperty("level").GetString());
        Assert.Equal(JsonValueKind.Null, county.GetProperty("parentCode").ValueKind);
        Assert.Equal("grid", features[7].GetProperty("properties").GetProperty("level").GetString());
        Assert.Equal("V2", features[7].GetProperty("properties").GetProperty("parentCode").GetString());

        foreach (var feature in features.EnumerateArray())
        {
            var shell = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray()
                .Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray();
            Assert.True(Orientation.IsCCW(shell));
        }
    }

    [Fact]
    public void Levels_may_be_given_as_numbers_0_to_3_and_blank_parentCode_marks_the_root()
    {
        var collection = TinyCounty.Collection();
        for (var i = 0; i < 8; i++)
        {
            var properties = TinyCounty.Properties(collection, i);
            var level = properties["level"]!.GetValue<string>();
            properties["level"] = Array.IndexOf(["county", "township", "village", "grid"], level);
        }

        TinyCounty.Properties(collection, TinyCounty.County)["parentCode"] = "";
        var result = TinyCounty.Parse(collection);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Equal(JurisdictionLevel.Grid, result.Tree!.Find("G1")!.Level);
        Assert.Null(result.Tree.Root.ParentCode);
    }

    [Fact]
    public void Malformed_json_is_refused_as_a_whole()
    {
        var result = JurisdictionGeoJson.Parse("{\"type\":\"FeatureCollection\",\"features\":["u8);

        var problem = AssertRefused(result);
        Assert.Equal((-1, (string?)null, "$"), (problem.FeatureIndex, problem.Code, problem.Field));
        Assert.Contains("malformed JSON", problem.Message);
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        var bytes = new byte[JurisdictionGeoJson.MaxBytes + 1];
        Array.Fill(bytes, (byte)' ');

        var problem = AssertRefused(JurisdictionGeoJson.Parse(bytes));
        Assert.Equal((-1, "$"), (problem.FeatureIndex, problem.Field));
        Assert.Contains("16,777,216", problem.Message);
    }

    [Fact]
    public void Something_else_than_a_FeatureCollection_is_refused()
    {
        var feature = TinyCounty.Features(TinyCounty.Collection())[0]!.DeepClone();
        var problem = AssertRefused(TinyCounty.Parse(feature));
        Assert.Equal((-1, "$"), (problem.FeatureIndex, problem.Field));
        Assert.Contains("FeatureCollection", problem.Message);

        Assert.Equal("$", AssertRefused(JurisdictionGeoJson.Parse("[1,2]"u8)).Field);
        Assert.Equal("$", AssertRefused(JurisdictionGeoJson.Parse("{\"type\":\"FeatureCollection\",\"features\":[]}"u8)).Field);
    }

    [Fact]
    public void A_duplicate_code_is_refused_on_the_second_feature()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Features(collection).Add(TinyCounty.Feature("G3", "重复网格", "grid", "V2", TinyCounty.Rect(104.01, 36.00, 104.02, 36.01)));

        var problem = AssertRefused(TinyCounty.Parse(collection));
        Assert.Equal((8, "G3", "code"), (problem.FeatureIndex, problem.Code, problem.Field));
        Assert.Contains("feature 7", problem.Message);
    }

    [Fact]
    public void An_unknown_parent_is_refused()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Properties(collection, TinyCounty.G3)["parentCode"] = "V9";

        var problem = AssertRefused(TinyCounty.Parse(collection));
        Assert.Equal((TinyCounty.G3, "G3", "parentCode"), (problem.FeatureIndex, problem.Code, problem.Field));
        Assert.Contains("V9", problem.Message);
    }

    [Fact]
    public void A_self_intersecting_bow_tie_is_refused_with_the_reason()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Features(collection)[TinyCounty.G1]!["geometry"]!["coordinates"] = new JsonArray(
            TinyCounty.Ring((104.00, 36.00), (104.005, 36.01), (104.005, 36.00), (104.00, 36.01), (104.00, 36.00)));

        var problems = AssertRefusedWith(TinyCounty.Parse(collection), TinyCounty.G1, "G1", "geometry");
        Assert.Contains("Self-intersection", problems.Single(p => p.Code == "G1").Message);
    }

    [Fact]
    public void An_unknown_level_and_a_level_that_skips_one_are_refused()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Properties(collection, TinyCounty.V1)["level"] = "province";
        var problem = AssertRefused(TinyCounty.Parse(collection));
        Assert.Equal((TinyCounty.V1, "V1", "level"), (problem.FeatureIndex, problem.Code, problem.Field));
        Assert.Contains("province", problem.Message);

        collection = TinyCounty.Collection();
        TinyCounty.Properties(collection, TinyCounty.V2)["level"] = "grid";    // a grid directly under a township
        var problems = AssertRefusedWith(TinyCounty.Parse(collection), TinyCounty.V2, "V2", "level");
        Assert.Contains("T2", problems.First(p => p.Code == "V2").Message);
    }

    [Fact]
    public void Missing_blank_over_long_and_ill_formed_properties_are_each_reported()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Properties(collection, TinyCounty.G1).Remove("name");
        TinyCounty.Properties(collection, TinyCounty.G2)["code"] = "  ";
        TinyCounty.Properties(collection, TinyCounty.G3)["code"] = new string('G', 33);
        TinyCounty.Properties(collection, TinyCounty.V2)["name"] = new string('村', 65);
        TinyCounty.Properties(collection, TinyCounty.V1)["code"] = "V 1";

        var problems = TinyCounty.Parse(collection).Problems;
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G1, Code: "G1", Field: "name" } && p.Message.Contains("missing"));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G2, Field: "code" } && p.Message.Contains("blank"));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G3, Field: "code" } && p.Message.Contains("33"));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.V2, Code: "V2", Field: "name" } && p.Message.Contains("65"));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.V1, Code: "V 1", Field: "code" } && p.Message.Contains("' '"));
    }

    [Fact]
    public void Zero_or_several_roots_are_refused()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Properties(collection, TinyCounty.T2)["parentCode"] = null;
        var problems = AssertRefusedWith(TinyCounty.Parse(collection), TinyCounty.T2, "T2", "parentCode");
        Assert.Contains("root", problems.First(p => p.Code == "T2").Message);

        collection = TinyCounty.Collection();
        TinyCounty.Features(collection).RemoveAt(TinyCounty.County);
        Assert.Contains(TinyCounty.Parse(collection).Problems, p => p is { FeatureIndex: -1, Field: "parentCode" } && p.Message.Contains("no root"));
    }

    [Fact]
    public void Wrong_geometry_types_and_out_of_range_coordinates_are_refused()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Features(collection)[TinyCounty.G3]!["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(104.015, 36.005) };
        TinyCounty.Features(collection)[TinyCounty.G2]!["geometry"] = null;
        TinyCounty.Features(collection)[TinyCounty.G1]!["geometry"]!["coordinates"] = TinyCounty.Rect(36.00, 104.00, 36.01, 104.005);   // latitude first

        var problems = AssertRefused3(TinyCounty.Parse(collection));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G3, Field: "geometry" } && p.Message.Contains("Point"));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G2, Field: "geometry" } && p.Message.Contains("missing"));
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G1, Field: "geometry" } && p.Message.Contains("out of range"));
    }

    [Fact]
    public void Overlapping_siblings_and_a_child_outside_its_parent_are_refused()
    {
        var collection = TinyCounty.Collection();
        // 0.001° × 0.01° over G1
        TinyCounty.Features(collection)[TinyCounty.G2]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.004, 36.00, 104.01, 36.01);

        var problems = AssertRefusedWith(TinyCounty.Parse(collection), TinyCounty.G2, "G2", "geometry");
        Assert.Contains("G1", problems.Single().Message);

        collection = TinyCounty.Collection();
        TinyCounty.Features(collection)[TinyCounty.G3]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.01, 36.00, 104.03, 36.01);   // sticks out east
        problems = TinyCounty.Parse(collection).Problems;
        Assert.Contains(problems, p => p is { FeatureIndex: TinyCounty.G3, Code: "G3", Field: "geometry" } && p.Message.Contains("not inside its parent V2"));
        Assert.Null(TinyCounty.Parse(collection).Tree);
    }

    [Fact]
    public void Siblings_that_only_touch_or_overlap_below_the_tolerance_are_accepted()
    {
        var collection = TinyCounty.Collection();
        // G2 reaches 1e-8° into G1 over 0.01°: 1e-10 deg², under the 1e-9 deg² tolerance.
        TinyCounty.Features(collection)[TinyCounty.G2]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.00499999, 36.00, 104.01, 36.01);

        var result = TinyCounty.Parse(collection);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_nothing_is_half_imported()
    {
        var collection = TinyCounty.Collection();
        TinyCounty.Properties(collection, TinyCounty.G1)["level"] = "hamlet";
        TinyCounty.Properties(collection, TinyCounty.G2)["parentCode"] = "V7";
        TinyCounty.Features(collection)[TinyCounty.G3]!["geometry"] = null;

        var result = TinyCounty.Parse(collection);
        Assert.False(result.Succeeded);
        Assert.Null(result.Tree);
        Assert.Equal(
            [(TinyCounty.G1, "level"), (TinyCounty.G2, "parentCode"), (TinyCounty.G3, "geometry")],
            result.Problems.Select(p => (p.FeatureIndex, p.Field)));
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(TinyCounty.Bytes(TinyCounty.Collection())).ToArray();
        Assert.True(JurisdictionGeoJson.Parse(bytes).Succeeded);
    }

    private static GeoJsonProblem AssertRefused(JurisdictionImportResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Tree);
        return Assert.Single(result.Problems);
    }

    private static IReadOnlyList<GeoJsonProblem> AssertRefused3(JurisdictionImportResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Tree);
        Assert.Equal(3, result.Problems.Count);
        return result.Problems;
    }

    private static IReadOnlyList<GeoJsonProblem> AssertRefusedWith(JurisdictionImportResult result, int index, string code, string field)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Tree);
        Assert.Contains(result.Problems, p => p.FeatureIndex == index && p.Code == code && p.Field == field);
        return result.Problems;
    }
}
