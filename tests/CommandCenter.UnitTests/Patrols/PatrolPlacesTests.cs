using System.Text.Json.Nodes;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Patrols;
using CommandCenter.Tests.Geography;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Patrols;

/// <summary>Where a patrol goes: a grid's sectors, its checkpoints as a county's GeoJSON names them, and the demo county's.</summary>
public sealed class PatrolPlacesTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static Polygon Box(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    [Fact]
    public void A_square_grid_has_nine_sectors_and_a_point_lies_in_the_one_of_its_ninth()
    {
        var sectors = new PatrolSectors(Box(104.0, 36.0, 104.03, 36.03), 3);

        Assert.Equal(9, sectors.Count);
        Assert.Equal(0, sectors.SectorOf(36.005, 104.005));
        Assert.Equal(8, sectors.SectorOf(36.025, 104.025));
        Assert.Equal(5, sectors.SectorOf(36.015, 104.025)); // middle row, east column
        Assert.Null(sectors.SectorOf(36.05, 104.005));
        Assert.True(sectors.Inside(36.03, 104.03)); // the boundary is in the grid
    }

    [Fact]
    public void Cells_that_are_barely_grid_are_not_sectors()
    {
        // An L: the north-east ninth is missing, and a sliver of 1/10 of a cell reaches into it.
        var l = Box(104.0, 36.0, 104.03, 36.02).Union(Box(104.0, 36.02, 104.02, 36.03)).Union(Box(104.02, 36.02, 104.021, 36.03));

        var sectors = new PatrolSectors(l, 3);

        Assert.Equal(8, sectors.Count);
        Assert.Null(sectors.SectorOf(36.025, 104.0205));
        Assert.True(sectors.Inside(36.025, 104.0205));
    }

    private static JsonObject WithCheckpoints(int feature, JsonNode checkpoints)
    {
        var county = TinyCounty.Collection();
        TinyCounty.Properties(county, feature)[PatrolCheckpoints.Property] = checkpoints;
        return county;
    }

    [Fact]
    public void A_county_file_names_a_grids_checkpoints_numbered_from_one()
    {
        var county = WithCheckpoints(TinyCounty.G1, new JsonArray(
            new JsonObject { ["name"] = "村委会", ["lat"] = 36.002, ["lng"] = 104.001 },
            new JsonObject { ["name"] = " 学校门口 ", ["lat"] = 36.008, ["lng"] = 104.004 }));
        var problems = new List<GeoJsonProblem>();

        var checkpoints = PatrolCheckpoints.Read(TinyCounty.Bytes(county), TinyCounty.Parse(county).Tree!, problems);

        Assert.Empty(problems);
        Assert.Equal([new Checkpoint("G1", 1, "村委会", 36.002, 104.001), new Checkpoint("G1", 2, "学校门口", 36.008, 104.004)], checkpoints);
        Assert.Null(PatrolCheckpoints.Read(TinyCounty.Bytes(TinyCounty.Collection()), TinyCounty.Parse(county).Tree!, problems));
        Assert.Equal(checkpoints![1], PatrolCheckpoints.Near(checkpoints, 36.0082, 104.004, 50));
        Assert.Null(PatrolCheckpoints.Near(checkpoints, 36.0086, 104.004, 50)); // about 67 m
    }

    [Fact]
    public void Checkpoints_outside_their_grid_on_a_village_or_without_name_or_coordinates_are_each_named()
    {
        var outside = WithCheckpoints(TinyCounty.G1, new JsonArray(
            new JsonObject { ["name"] = "东村路口", ["lat"] = 36.005, ["lng"] = 104.015 },
            new JsonObject { ["lat"] = 36.005, ["lng"] = 104.001 },
            new JsonObject { ["name"] = "无坐标", ["lat"] = "36.005", ["lng"] = 104.001 }));
        TinyCounty.Properties(outside, TinyCounty.V1)[PatrolCheckpoints.Property] = new JsonArray();
        var problems = new List<GeoJsonProblem>();

        PatrolCheckpoints.Read(TinyCounty.Bytes(outside), TinyCounty.Parse(outside).Tree!, problems);

        Assert.Equal(
            [(TinyCounty.V1, "checkpoints"), (TinyCounty.G1, "checkpoints[0]"), (TinyCounty.G1, "checkpoints[1].name"), (TinyCounty.G1, "checkpoints[2].lat")],
            problems.Select(p => (p.FeatureIndex, p.Field)).Order());
        Assert.Contains("outside the grid", problems.Single(p => p.Field == "checkpoints[0]").Message);
    }

    [Fact]
    public void The_demo_county_names_three_checkpoints_inside_every_grid_far_apart_the_same_every_time()
    {
        var problems = new List<GeoJsonProblem>();

        var checkpoints = PatrolCheckpoints.Read(DemoCountyData.Bytes, DemoCountyData.Tree, problems)!;

        Assert.Empty(problems);
        var grids = DemoCountyData.AtLevel(JurisdictionLevel.Grid).ToList();
        Assert.Equal(grids.Count * DemoCounty.CheckpointsPerGrid, checkpoints.Count);
        Assert.All(checkpoints.GroupBy(c => c.GridCode), g => Assert.Equal([1, 2, 3], g.Select(c => c.Ordinal)));
        Assert.All(checkpoints, c => Assert.True(DemoCountyData.Tree.Find(c.GridCode)!.Geometry.Covers(new Point(c.Longitude, c.Latitude)), c.ToString()));
        Assert.Equal(checkpoints, DemoCounty.Checkpoints(DemoCountyData.Tree));
        // Far apart: in most grids two of them lie in different sectors.
        var spread = checkpoints.GroupBy(c => c.GridCode).Count(g =>
        {
            var sectors = new PatrolSectors(DemoCountyData.Tree.Find(g.Key)!.Geometry, 3);
            return g.Select(c => sectors.SectorOf(c.Latitude, c.Longitude)).Distinct().Count() >= 2;
        });
        Assert.True(spread > grids.Count * 0.9, $"{spread} of {grids.Count} grids have checkpoints in two sectors");
    }
}
