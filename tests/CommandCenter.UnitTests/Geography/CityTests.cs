using System.Text.Json.Nodes;
using CommandCenter.Access;
using CommandCenter.Geography;
using Statistics = CommandCenter.Statistics;

namespace CommandCenter.Tests.Geography;

/// <summary>
/// A city above its counties (市域社会治理): a tree of a city and three counties imports, a city's duty officer sees
/// all three, a county's station only its own; a county under anything but a city, or a city with a parent, is refused.
/// </summary>
public sealed class CityTests
{
    /// <summary>City M = [104, 104.03] × [36, 36.01]; counties A, B, C its thirds, each with one township, village and grid.</summary>
    private static JsonObject City()
    {
        var features = new JsonArray(TinyCounty.Feature("M", "测试市", "市", null, TinyCounty.Rect(104.00, 36.00, 104.03, 36.01)));
        foreach (var (code, i) in new[] { ("A", 0), ("B", 1), ("C", 2) })
        {
            var rect = () => TinyCounty.Rect(104.00 + 0.01 * i, 36.00, 104.01 + 0.01 * i, 36.01);
            features.Add(TinyCounty.Feature(code, $"{code}县", "county", "M", rect()));
            features.Add(TinyCounty.Feature($"{code}1", $"{code}县城关镇", "township", code, rect()));
            features.Add(TinyCounty.Feature($"{code}11", $"{code}县城关社区", "village", $"{code}1", rect()));
            features.Add(TinyCounty.Feature($"{code}111", $"{code}县城关社区第1网格", "grid", $"{code}11", rect()));
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
    }

    private static Caller Make(Role role, params string[] jurisdictions) =>
        new(Caller.UserId(role.ToString().ToLowerInvariant()), role.ToString(), role, jurisdictions);

    [Fact]
    public void A_city_of_three_counties_imports_and_writes_back_the_same()
    {
        var result = TinyCounty.Parse(City());

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        var tree = result.Tree!;
        Assert.Equal(("M", JurisdictionLevel.City), (tree.Root.Code, tree.Root.Level));
        Assert.Equal(["A", "B", "C"], tree.ChildrenOf("M").Select(c => c.Code));
        Assert.Equal(["A111", "A11", "A1", "A", "M"], tree.PathToRoot("A111"));
        var again = JurisdictionGeoJson.Parse(JurisdictionGeoJson.Write(tree));
        Assert.Equal(tree.All.Select(a => (a.Code, a.Level)), again.Tree!.All.Select(a => (a.Code, a.Level)));
    }

    [Fact]
    public void The_citys_duty_officer_sees_every_county_and_a_countys_station_only_its_own()
    {
        var tree = TinyCounty.Parse(City()).Tree!;
        var cityDuty = Make(Role.DutyOfficer, "M");
        var countyDuty = Make(Role.DutyOfficer, "B");
        var station = Make(Role.TownshipStation, "A1");

        foreach (var grid in new[] { "A111", "B111", "C111" })
            Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(cityDuty, AccessAction.ReadIncidents, grid, tree));
        Assert.Equal(["M"], AccessPolicy.ScopeRoots(cityDuty, tree).Select(r => r.Code));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(countyDuty, AccessAction.ReadIncidents, "B111", tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(countyDuty, AccessAction.ReadIncidents, "C111", tree));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(station, AccessAction.ReadIncidents, "A111", tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(station, AccessAction.ReadIncidents, "B111", tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(station, AccessAction.ReadIncidents, "M", tree));
    }

    [Fact]
    public void A_county_under_a_county_and_a_city_with_a_parent_are_refused_by_their_level()
    {
        var collection = City();
        TinyCounty.Properties(collection, 5)["parentCode"] = "A";
        var underCounty = TinyCounty.Parse(collection).Problems;

        collection = City();
        TinyCounty.Properties(collection, 0)["parentCode"] = "A";
        var cityWithParent = TinyCounty.Parse(collection).Problems;

        Assert.Contains(underCounty, p => p is { FeatureIndex: 5, Code: "B", Field: "level" } && p.Message.Contains("its parent should be a city"));
        Assert.Contains(cityWithParent, p => p is { FeatureIndex: 0, Field: "level" } && p.Message.Contains("a city has no parent"));
    }

    [Fact]
    public void A_citys_counties_send_it_their_monthly_reports_as_a_countys_townships_send_theirs()
    {
        var tree = TinyCounty.Parse(City()).Tree!;

        Assert.Equal(["A", "A1", "B", "B1", "C", "C1"], Statistics.MonthlyReports.Units(tree).Select(u => u.Code).Order());
        Assert.Equal(["A", "B", "C"], Statistics.MonthlyReports.ReportingTo(tree, "M").Select(u => u.Code));
        Assert.Equal(["B1"], Statistics.MonthlyReports.ReportingTo(tree, "B").Select(u => u.Code));
        var county = TinyCounty.Parse(TinyCounty.Collection()).Tree!;
        Assert.Equal(["T1", "T2"], Statistics.MonthlyReports.Units(county).Select(u => u.Code).Order());
    }
}
