using System.Text.RegularExpressions;
using CommandCenter.Demo;
using CommandCenter.Geography;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace CommandCenter.Tests.Geography;

public sealed class DemoCountyTests
{
    private const double KmPerDegreeLongitude = 89.434;
    private const double KmPerDegreeLatitude = 110.96;

    [Fact]
    public void Has_one_county_ten_townships_122_villages_and_486_grids()
    {
        var counts = DemoCountyData.Tree.All.GroupBy(a => a.Level).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(1, counts[JurisdictionLevel.County]);
        Assert.Equal(10, counts[JurisdictionLevel.Township]);
        Assert.Equal(122, counts[JurisdictionLevel.Village]);
        Assert.Equal(486, counts[JurisdictionLevel.Grid]);
        Assert.Equal(619, DemoCountyData.Tree.All.Count);
    }

    [Fact]
    public void Root_is_Baiyin_District_with_its_real_townships_and_streets()
    {
        var root = DemoCountyData.Tree.Root;
        Assert.Equal("620402", root.Code);
        Assert.Equal("白银区", root.Name);
        Assert.Equal(JurisdictionLevel.County, root.Level);
        Assert.Null(root.ParentCode);

        string[] expected = ["人民路街道", "公园路街道", "四龙路街道", "工农路街道", "纺织路街道",
            "水川镇", "四龙镇", "王岘镇", "武川乡", "强湾乡"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), DemoCountyData.Tree.ChildrenOf("620402").Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_non_root_has_a_parent_exactly_one_level_up_and_a_hierarchical_code()
    {
        foreach (var area in DemoCountyData.Tree.All.Skip(1))
        {
            Assert.NotNull(area.ParentCode);
            var parent = DemoCountyData.Tree.Find(area.ParentCode!);
            Assert.NotNull(parent);
            Assert.Equal(parent!.Level + 1, area.Level);
            Assert.Matches("^" + parent.Code + "[0-9]{3}$", area.Code);
        }
    }

    [Fact]
    public void Names_follow_the_local_conventions()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var township in DemoCountyData.Tree.ChildrenOf("620402"))
        {
            var urban = township.Name.EndsWith("街道", StringComparison.Ordinal);
            foreach (var village in DemoCountyData.Tree.ChildrenOf(township.Code))
            {
                Assert.EndsWith(urban ? "社区" : "村", village.Name);
                Assert.True(names.Add(village.Name), $"village name {village.Name} used twice");
                var grids = DemoCountyData.Tree.ChildrenOf(village.Code);
                for (var i = 0; i < grids.Count; i++)
                {
                    Assert.Equal($"{village.Name}第{i + 1}网格", grids[i].Name);
                }
            }
        }

        Assert.Equal(122, names.Count);
        Assert.Contains("王岘村", names);
    }

    [Fact]
    public void Every_geometry_is_a_valid_polygon_in_WGS84_near_Baiyin_on_a_1e6_degree_grid()
    {
        foreach (var area in DemoCountyData.Tree.All)
        {
            Assert.True(area.Geometry.IsValid, $"{area.Code} invalid");
            Assert.IsType<Polygon>(area.Geometry);
            Assert.Equal(4326, area.Geometry.SRID);
            foreach (var c in area.Geometry.Coordinates)
            {
                Assert.InRange(c.X, 103.8, 104.6);
                Assert.InRange(c.Y, 36.3, 36.8);
                Assert.Equal(Math.Round(c.X, 6), c.X);
                Assert.Equal(Math.Round(c.Y, 6), c.Y);
            }
        }
    }

    [Fact]
    public void County_is_an_irregular_outline_of_roughly_40_by_35_km_around_104_17_36_55()
    {
        var county = DemoCountyData.Tree.Root.Geometry;
        var envelope = county.EnvelopeInternal;
        var widthKm = envelope.Width * KmPerDegreeLongitude;
        var heightKm = envelope.Height * KmPerDegreeLatitude;

        Assert.InRange(widthKm, 34, 48);
        Assert.InRange(heightKm, 29, 41);
        Assert.InRange(envelope.Centre.X, 104.07, 104.27);
        Assert.InRange(envelope.Centre.Y, 36.45, 36.65);
        Assert.True(county.NumPoints > 40, "outline too coarse");
        Assert.InRange(county.Area / envelope.Area, 0.5, 0.9);   // not a rectangle
    }

    [Fact]
    public void Urban_streets_are_small_and_central_and_rural_townships_large()
    {
        var townships = DemoCountyData.Tree.ChildrenOf("620402");
        var streets = townships.Where(t => t.Name.EndsWith("街道", StringComparison.Ordinal)).ToList();
        var towns = townships.Except(streets).ToList();
        Assert.Equal(5, streets.Count);

        var smallestTown = towns.Min(t => t.Geometry.Area);
        var centre = DemoCountyData.Tree.Root.Geometry.EnvelopeInternal.Centre;
        foreach (var street in streets)
        {
            Assert.True(street.Geometry.Area * 10 < smallestTown, $"{street.Name} is not small");
            var c = street.Geometry.Centroid.Coordinate;
            var km = Math.Sqrt(Math.Pow((c.X - centre.X) * KmPerDegreeLongitude, 2) + Math.Pow((c.Y - centre.Y) * KmPerDegreeLatitude, 2));
            Assert.True(km < 10, $"{street.Name} is {km:F1} km from the centre");
        }

        Assert.Equal(38, streets.Sum(s => DemoCountyData.Tree.ChildrenOf(s.Code).Count));
        Assert.Equal(84, towns.Sum(t => DemoCountyData.Tree.ChildrenOf(t.Code).Count));
    }

    [Fact]
    public void Children_tile_each_parent_exactly_without_gaps_or_overlaps()
    {
        foreach (var parent in DemoCountyData.Tree.All.Where(a => a.Level != JurisdictionLevel.Grid))
        {
            var children = DemoCountyData.Tree.ChildrenOf(parent.Code);
            Assert.NotEmpty(children);

            var union = CoverageUnion.Union(parent.Geometry.Factory.BuildGeometry(children.Select(c => c.Geometry)));
            var parentArea = parent.Geometry.Area;
            Assert.True(Math.Abs(union.Area - parentArea) / parentArea < 1e-9, $"{parent.Code}: children cover {union.Area} of {parentArea}");
            var gapOrExcess = OverlayNGRobust.Overlay(union, parent.Geometry, SpatialFunction.SymDifference).Area;
            Assert.True(gapOrExcess / parentArea < 1e-9, $"{parent.Code}: children differ from the parent by {gapOrExcess}");

            for (var i = 0; i < children.Count; i++)
            {
                for (var j = i + 1; j < children.Count; j++)
                {
                    var (a, b) = (children[i].Geometry, children[j].Geometry);
                    if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal))
                    {
                        continue;
                    }

                    var shared = OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection).Area;
                    Assert.True(shared < 1e-15, $"{children[i].Code} and {children[j].Code} overlap by {shared}");
                }
            }
        }
    }

    [Fact]
    public void No_slivers_every_area_is_at_least_a_third_of_its_median_sibling_and_compact()
    {
        foreach (var parent in DemoCountyData.Tree.All.Where(a => a.Level is JurisdictionLevel.Township or JurisdictionLevel.Village))
        {
            var children = DemoCountyData.Tree.ChildrenOf(parent.Code);
            var median = children.Select(c => c.Geometry.Area).Order().ElementAt(children.Count / 2);
            foreach (var child in children)
            {
                Assert.True(child.Geometry.Area > median / 3, $"{child.Code} is a sliver");
                var compactness = 4 * Math.PI * child.Geometry.Area / Math.Pow(child.Geometry.Length, 2);
                Assert.True(compactness > 0.3, $"{child.Code} is elongated ({compactness:F2})");
            }
        }
    }

    [Fact]
    public void GeoJson_is_deterministic_small_and_a_fresh_copy_each_call()
    {
        // GeoJson() caches its first generation; Generate() starts again from the seed.
        var cached = DemoCounty.GeoJson();
        var regenerated = DemoCounty.Generate();
        Assert.Equal(cached, regenerated);
        Assert.Equal(cached, DemoCounty.GeoJson());
        Assert.InRange(cached.Length, 100_000, 3_000_000);

        var copy = DemoCounty.GeoJson();
        copy[0] = (byte)'X';
        Assert.Equal((byte)'{', DemoCounty.GeoJson()[0]);
    }

    [Fact]
    public void Workers_have_the_real_counts_unique_ids_and_stand_inside_their_own_grid()
    {
        var workers = DemoCounty.Workers(DemoCountyData.Tree);

        Assert.Equal(548, workers.Count(w => w.Role == WorkerRole.GridChief));
        Assert.Equal(662, workers.Count(w => w.Role == WorkerRole.GridWorker));
        Assert.Equal(40, workers.Count(w => w.Role == WorkerRole.PatrolOfficer));
        Assert.Equal(Enumerable.Range(1, 1250).Select(i => $"w-{i:0000}"), workers.Select(w => w.Id));
        Assert.All(workers, w => Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}{2,3}$", w.Name));
        Assert.Equal(workers.Count, workers.Select(w => w.Name).Distinct().Count());
        AssertInsideOwnGrid(workers.Select(w => (w.Id, w.GridCode, w.Latitude, w.Longitude)));

        var grids = DemoCountyData.AtLevel(JurisdictionLevel.Grid).Select(g => g.Code).ToHashSet();
        Assert.Equal(grids, workers.Where(w => w.Role == WorkerRole.GridChief).Select(w => w.GridCode).ToHashSet());
        Assert.Equal(grids, workers.Where(w => w.Role == WorkerRole.GridWorker).Select(w => w.GridCode).ToHashSet());

        Assert.Equal(workers, DemoCounty.Workers(DemoCountyData.Tree));
    }

    [Fact]
    public void More_grid_workers_are_grid_workers_apart_from_the_countys_own_inside_their_grids_and_the_same_each_time()
    {
        var own = DemoCounty.Workers(DemoCountyData.Tree);
        var more = DemoCounty.MoreGridWorkers(DemoCountyData.Tree, 3000);

        Assert.Equal(Enumerable.Range(1, 3000).Select(i => $"w-x{i:00000}"), more.Select(w => w.Id));
        Assert.All(more, w => Assert.Equal(WorkerRole.GridWorker, w.Role));
        Assert.Equal(own.Count + more.Count, own.Concat(more).Select(w => w.Name).Distinct().Count());
        AssertInsideOwnGrid(more.Select(w => (w.Id, w.GridCode, w.Latitude, w.Longitude)));
        Assert.True(more.Select(w => w.GridCode).Distinct().Count() > 400, "spread over the county's grids");
        Assert.Equal(more, DemoCounty.MoreGridWorkers(DemoCountyData.Tree, 3000));
        Assert.Empty(DemoCounty.MoreGridWorkers(DemoCountyData.Tree, 0));
    }

    [Fact]
    public void Cameras_have_the_real_count_plausible_unique_names_denser_in_the_streets_and_stand_inside_their_grid()
    {
        var cameras = DemoCounty.Cameras(DemoCountyData.Tree);

        Assert.Equal(1473, cameras.Count);
        Assert.Equal(Enumerable.Range(1, 1473).Select(i => $"cam-{i:0000}"), cameras.Select(c => c.Id));
        Assert.Equal(cameras.Count, cameras.Select(c => c.Name).Distinct().Count());
        Assert.Contains(cameras, c => Regex.IsMatch(c.Name, "^.+[路街道]与.+[路街道]交叉口$"));
        AssertInsideOwnGrid(cameras.Select(c => (c.Id, c.GridCode, c.Latitude, c.Longitude)));
        Assert.Equal(486, cameras.Select(c => c.GridCode).Distinct().Count());

        var streets = DemoCountyData.Tree.ChildrenOf("620402").Where(t => t.Name.EndsWith("街道", StringComparison.Ordinal)).ToList();
        var urbanArea = streets.Sum(s => s.Geometry.Area);
        var urbanCameras = cameras.Count(c => streets.Any(s => DemoCountyData.Tree.IsWithin(c.GridCode, s.Code)));
        var urbanDensity = urbanCameras / urbanArea;
        var ruralDensity = (cameras.Count - urbanCameras) / (DemoCountyData.Tree.Root.Geometry.Area - urbanArea);
        Assert.True(urbanDensity > 20 * ruralDensity, $"urban {urbanDensity:F0} vs rural {ruralDensity:F0} cameras per deg²");

        Assert.Equal(cameras, DemoCounty.Cameras(DemoCountyData.Tree));
    }

    private static void AssertInsideOwnGrid(IEnumerable<(string Id, string GridCode, double Latitude, double Longitude)> items)
    {
        foreach (var (id, gridCode, latitude, longitude) in items)
        {
            var grid = DemoCountyData.Tree.Find(gridCode);
            Assert.NotNull(grid);
            Assert.Equal(JurisdictionLevel.Grid, grid!.Level);
            var point = grid.Geometry.Factory.CreatePoint(new Coordinate(longitude, latitude));
            Assert.True(grid.Geometry.Contains(point), $"{id} at {latitude}, {longitude} is not inside {gridCode}");
            Assert.Equal(gridCode, DemoCountyData.Tree.LocateGrid(latitude, longitude)?.Code);
        }
    }
}
