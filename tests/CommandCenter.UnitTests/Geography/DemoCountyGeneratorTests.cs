using CommandCenter.Demo;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace CommandCenter.Tests.Geography;

public sealed class DemoCountyGeneratorTests
{
    [Fact]
    public void Partition_of_a_comb_shaped_parent_gives_one_polygon_per_cell_covering_it_exactly()
    {
        // Three thin teeth: Voronoi cells clipped to it often fall apart, and the stray parts must be merged.
        var factory = new GeometryFactory();
        var comb = factory.CreatePolygon(
        [
            new(0, 0), new(10, 0), new(10, 10), new(9, 10), new(9, 1), new(5.5, 1), new(5.5, 10),
            new(4.5, 10), new(4.5, 1), new(1, 1), new(1, 10), new(0, 10), new(0, 0),
        ]);

        for (var seed = 0; seed < 12; seed++)
        {
            var cells = DemoCountyGenerator.Partition(comb, 4, new Random(seed));

            Assert.Equal(4, cells.Count);
            Assert.All(cells, c => Assert.IsType<Polygon>(c.Shape));
            Assert.All(cells, c => Assert.True(c.Shape.IsValid));
            Assert.Equal(comb.Area, cells.Sum(c => c.Shape.Area), 9);
            Assert.Equal(comb.Area, OverlayNGRobust.Union(cells.Select(c => c.Shape)).Area, 9);
            for (var i = 0; i < cells.Count; i++)
            {
                for (var j = i + 1; j < cells.Count; j++)
                {
                    Assert.True(OverlayNGRobust.Overlay(cells[i].Shape, cells[j].Shape, SpatialFunction.Intersection).Area < 1e-9);
                }
            }
        }
    }

    [Fact]
    public void Allocate_splits_proportionally_with_a_minimum_and_the_exact_total()
    {
        Assert.Equal([3, 2, 5], DemoCountyGenerator.Allocate(10, [1, 1, 6], 2));     // a tie goes to the first
        Assert.Equal([3, 3, 4], DemoCountyGenerator.Allocate(10, [1, 1, 1.0001], 3));
        Assert.Equal(296, DemoCountyGenerator.Allocate(296, Enumerable.Range(1, 84).Select(i => (double)i).ToArray(), 2).Sum());
        Assert.Throws<ArgumentException>(() => DemoCountyGenerator.Allocate(5, [1, 1, 1], 2));
    }

    [Fact]
    public void DetMath_matches_the_platform_sine_and_cosine()
    {
        for (var x = -20.0; x <= 20; x += 0.37)
        {
            Assert.Equal(Math.Sin(x), DetMath.Sin(x), 12);
            Assert.Equal(Math.Cos(x), DetMath.Cos(x), 12);
        }
    }
}
