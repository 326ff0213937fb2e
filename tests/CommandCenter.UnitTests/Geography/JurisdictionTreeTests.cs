using CommandCenter.Geography;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Geography;

public sealed class JurisdictionTreeTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    [Fact]
    public void All_lists_the_root_first_then_level_by_level_by_code()
    {
        var all = DemoCountyData.Tree.All;
        Assert.Same(DemoCountyData.Tree.Root, all[0]);
        for (var i = 1; i < all.Count; i++)
        {
            var (previous, current) = (all[i - 1], all[i]);
            Assert.True(previous.Level < current.Level
                || (previous.Level == current.Level && string.CompareOrdinal(previous.Code, current.Code) < 0),
                $"{previous.Code} listed before {current.Code}");
        }
    }

    [Fact]
    public void Find_ChildrenOf_PathToRoot_and_IsWithin_follow_the_tree()
    {
        var tree = DemoCountyData.Tree;
        var grid = tree.All.Last();
        var village = tree.Find(grid.ParentCode!)!;
        var township = tree.Find(village.ParentCode!)!;

        Assert.Equal([grid.Code, village.Code, township.Code, "620402"], tree.PathToRoot(grid.Code));
        Assert.Equal(["620402"], tree.PathToRoot("620402"));
        Assert.Contains(grid, tree.ChildrenOf(village.Code));
        Assert.Equal(tree.ChildrenOf(village.Code).Select(c => c.Code).Order(StringComparer.Ordinal), tree.ChildrenOf(village.Code).Select(c => c.Code));
        Assert.Empty(tree.ChildrenOf(grid.Code));
        Assert.Equal(10, tree.ChildrenOf("620402").Count);

        Assert.True(tree.IsWithin(grid.Code, grid.Code));
        Assert.True(tree.IsWithin(grid.Code, township.Code));
        Assert.True(tree.IsWithin(grid.Code, "620402"));
        Assert.False(tree.IsWithin(township.Code, grid.Code));
        var otherTownship = tree.ChildrenOf("620402").First(t => t.Code != township.Code);
        Assert.False(tree.IsWithin(grid.Code, otherTownship.Code));

        Assert.Null(tree.Find("nope"));
        Assert.Empty(tree.ChildrenOf("nope"));
        Assert.False(tree.IsWithin("nope", "620402"));
        Assert.False(tree.IsWithin(grid.Code, "nope"));
        Assert.Throws<KeyNotFoundException>(() => tree.PathToRoot("nope"));
        Assert.Throws<KeyNotFoundException>(() => tree.CenterOf("nope"));
    }

    [Fact]
    public void LocateGrid_finds_each_grid_from_its_centre_and_nothing_outside()
    {
        var tree = DemoCountyData.Tree;
        foreach (var grid in tree.All.Where(a => a.Level == JurisdictionLevel.Grid))
        {
            var (latitude, longitude) = tree.CenterOf(grid.Code);
            Assert.True(grid.Geometry.Contains(Factory.CreatePoint(new Coordinate(longitude, latitude))));
            Assert.Equal(grid.Code, tree.LocateGrid(latitude, longitude)?.Code);
        }

        Assert.Null(tree.LocateGrid(0, 0));
        Assert.Null(tree.LocateGrid(36.55, 105.5));     // east of the county
        Assert.Null(tree.LocateGrid(39.9, 116.4));      // Beijing
        Assert.Null(tree.LocateGrid(double.NaN, 104.17));

        // Inside the county's envelope but outside its outline: a corner of the bounding box.
        var envelope = tree.Root.Geometry.EnvelopeInternal;
        var corner = new Coordinate(envelope.MinX + 1e-4, envelope.MinY + 1e-4);
        Assert.False(tree.Root.Geometry.Covers(Factory.CreatePoint(corner)));
        Assert.Null(tree.LocateGrid(corner.Y, corner.X));
    }

    [Fact]
    public void LocateGrid_on_a_shared_boundary_picks_the_smallest_code_of_the_touching_grids()
    {
        var tree = DemoCountyData.Tree;
        var grid = tree.All.First(a => a.Level == JurisdictionLevel.Grid && a.Code.EndsWith("002", StringComparison.Ordinal));
        var checkedVertices = 0;
        foreach (var vertex in grid.Geometry.Coordinates.Distinct())
        {
            var point = Factory.CreatePoint(vertex);
            var touching = tree.All.Where(a => a.Level == JurisdictionLevel.Grid && a.Geometry.Covers(point)).Select(a => a.Code).ToList();
            if (touching.Count < 2)
            {
                continue;
            }

            checkedVertices++;
            Assert.Equal(touching.Min(StringComparer.Ordinal), tree.LocateGrid(vertex.Y, vertex.X)?.Code);
        }

        Assert.True(checkedVertices >= 2);
    }

    [Fact]
    public void LocateGrid_gives_the_same_answers_from_many_threads()
    {
        var tree = DemoCountyData.Tree;
        var envelope = tree.Root.Geometry.EnvelopeInternal;
        var random = new Random(7);
        var points = Enumerable.Range(0, 20_000)
            .Select(_ => (Lat: envelope.MinY + random.NextDouble() * envelope.Height, Lon: envelope.MinX + random.NextDouble() * envelope.Width))
            .ToArray();
        var expected = points.Select(p => tree.LocateGrid(p.Lat, p.Lon)?.Code).ToArray();
        Assert.InRange(expected.Count(c => c is not null), 10_000, 19_000);

        var actual = new string?[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => actual[i] = tree.LocateGrid(points[i].Lat, points[i].Lon)?.Code);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Tiny_county_tree_locates_points_and_breaks_boundary_ties_by_code()
    {
        var tree = TinyCounty.Parse(TinyCounty.Collection()).Tree!;

        Assert.Equal("G1", tree.LocateGrid(36.005, 104.0025)?.Code);
        Assert.Equal("G2", tree.LocateGrid(36.005, 104.0075)?.Code);
        Assert.Equal("G3", tree.LocateGrid(36.005, 104.015)?.Code);
        Assert.Equal("G1", tree.LocateGrid(36.005, 104.005)?.Code);    // G1 | G2 edge
        Assert.Equal("G2", tree.LocateGrid(36.005, 104.01)?.Code);     // G2 | G3 edge
        Assert.Equal("G1", tree.LocateGrid(36.0, 104.0)?.Code);        // county corner
        Assert.Null(tree.LocateGrid(36.0101, 104.005));
        Assert.Null(tree.LocateGrid(36.005, 103.9999));

        var (lat, lon) = tree.CenterOf("G3");
        Assert.InRange(lon, 104.01, 104.02);
        Assert.InRange(lat, 36.0, 36.01);
    }

    [Fact]
    public void Build_refuses_what_is_not_a_tree()
    {
        Polygon Square(double x) => Factory.CreatePolygon([new(x, 0), new(x + 1, 0), new(x + 1, 1), new(x, 1), new(x, 0)]);
        var root = new Jurisdiction("C", "县", JurisdictionLevel.County, null, Square(0));
        var town = new Jurisdiction("T", "镇", JurisdictionLevel.Township, "C", Square(0));

        var small = JurisdictionTree.Build([root, town]);
        Assert.Null(small.LocateGrid(0.5, 0.5));      // no grid level at all
        Assert.Equal((0.5, 0.5), small.CenterOf("T"));
        Assert.Throws<ArgumentException>(() => JurisdictionTree.Build([]));
        Assert.Throws<ArgumentException>(() => JurisdictionTree.Build([root, town, town with { Name = "again" }]));
        Assert.Throws<ArgumentException>(() => JurisdictionTree.Build([root, root with { Code = "C2" }]));
        Assert.Throws<ArgumentException>(() => JurisdictionTree.Build([root, town with { ParentCode = "X" }]));
        Assert.Throws<ArgumentException>(() => JurisdictionTree.Build([town with { ParentCode = "T2" }, town with { Code = "T2", ParentCode = "T" }]));
        Assert.Throws<ArgumentException>(() =>
            JurisdictionTree.Build([root, town with { Code = "A", ParentCode = "B" }, town with { Code = "B", ParentCode = "A" }]));
    }
}
