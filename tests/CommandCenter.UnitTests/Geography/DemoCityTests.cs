using CommandCenter.Demo;
using CommandCenter.Geography;
using Xunit.Abstractions;

namespace CommandCenter.Tests.Geography;

/// <summary>
/// The optional demo city: 白银市 with the demo county as it is and the four other counties of the city from their
/// real outlines, each with generated townships, villages and grids; it imports with repair, every change within the
/// tolerance.
/// </summary>
public sealed class DemoCityTests(ITestOutputHelper output)
{
    private static readonly Lazy<JurisdictionImportResult> City = new(() =>
        JurisdictionGeoJson.Parse(DemoCity.GeoJson(), new JurisdictionImportOptions(Repair: true)));

    [Fact]
    public void The_city_holds_the_demo_county_unchanged_and_four_real_counties_with_townships_villages_and_grids()
    {
        var result = City.Value;
        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Take(5)));
        var tree = result.Tree!;
        output.WriteLine($"{tree.All.Count} areas, {result.Repairs!.Count} repairs");

        Assert.Equal(("620400", "白银市", JurisdictionLevel.City), (tree.Root.Code, tree.Root.Name, tree.Root.Level));
        Assert.Equal(["白银区", "平川区", "靖远县", "会宁县", "景泰县"], tree.ChildrenOf("620400").Select(c => c.Name));
        Assert.All(result.Repairs, r => Assert.InRange(r.AreaChange, 0, JurisdictionImportOptions.DefaultTolerance));
        var county = DemoCountyData.Tree;
        Assert.Equal(county.All.Where(a => a.Level == JurisdictionLevel.Grid).Select(a => (a.Code, a.Name)),
            tree.Within("620402", JurisdictionLevel.Grid).Select(a => (a.Code, a.Name)));
        foreach (var other in new[] { "620403", "620421", "620422", "620423" })
        {
            Assert.Equal(4, tree.Within(other, JurisdictionLevel.Township).Count);
            Assert.Equal(12, tree.Within(other, JurisdictionLevel.Village).Count);
            Assert.Equal(36, tree.Within(other, JurisdictionLevel.Grid).Count);
            // The real outlines: each county is larger than the demo county's 40 km × 35 km.
            Assert.True(tree.Find(other)!.Geometry.Area > county.Root.Geometry.Area, tree.NameOf(other));
        }
        Assert.Equal("620402", tree.LocateGrid(36.55, 104.17) is { } grid ? tree.PathToRoot(grid.Code)[^2] : null);
        Assert.Equal(DemoCity.GeoJson(), DemoCity.GeoJson());
    }
}
