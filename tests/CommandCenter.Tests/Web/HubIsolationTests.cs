using CommandCenter.Tests.Infrastructure;

namespace CommandCenter.Tests.Web;

/// <summary>Township stations on the hub see their own township and nothing of their neighbours, even when both are busy.</summary>
[Collection(WebCollection.Name)]
public sealed class HubIsolationTests(WebFixture web)
{
    [Fact]
    public async Task A_township_station_never_receives_another_townships_entries_while_both_are_busy()
    {
        var tree = web.Directory.Tree!;
        var townships = tree.ChildrenOf(web.CountyCode).Take(2).ToList();
        await using var first = await web.ConnectWall("station-1");
        await using var second = await web.ConnectWall("station-2");
        await first.Subscribe(townships[0].Code, await web.Head(townships[0].Code));
        await second.Subscribe(townships[1].Code, await web.Head(townships[1].Code));

        var grids = townships
            .Select(t => tree.All.Where(j => j.Level == CommandCenter.Geography.JurisdictionLevel.Grid && tree.IsWithin(j.Code, t.Code)).Take(5).ToList())
            .ToList();
        const int PerTownship = 40;
        var reports = Enumerable.Range(0, PerTownship).SelectMany(i => new[] { (Township: 0, Index: i), (Township: 1, Index: i) }).Select(async r =>
        {
            var grid = grids[r.Township][r.Index % grids[r.Township].Count];
            var (lat, lng) = tree.CenterOf(grid.Code);
            return (r.Township,
                (await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"隔离测试{r.Township}-{r.Index}"))))).Id);
        });
        var created = await Task.WhenAll(reports);

        var firstGot = await first.Take(townships[0].Code, PerTownship);
        var secondGot = await second.Take(townships[1].Code, PerTownship);
        await Task.Delay(300);
        var stray = first.Drain().Concat(second.Drain()).ToList();

        Assert.Equal(created.Where(c => c.Township == 0).Select(c => c.Id).Order(), firstGot.Select(e => e.Incident.Id).Order());
        Assert.Equal(created.Where(c => c.Township == 1).Select(c => c.Id).Order(), secondGot.Select(e => e.Incident.Id).Order());
        Assert.All(firstGot, e => Assert.True(tree.IsWithin(e.Incident.GridCode, townships[0].Code)));
        Assert.All(secondGot, e => Assert.True(tree.IsWithin(e.Incident.GridCode, townships[1].Code)));
        Assert.Empty(stray);

        // Asking for the neighbour's feed is refused, and still nothing of it arrives.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => first.Subscribe(townships[1].Code, 0));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => first.Subscribe(web.CountyCode, 0));
        var (lat2, lng2) = tree.CenterOf(grids[1][0].Code);
        await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat2, lng2, "隔离测试-之后"))));
        await second.Take(townships[1].Code, 1);
        await Task.Delay(300);
        Assert.Empty(first.Drain());
    }
}
