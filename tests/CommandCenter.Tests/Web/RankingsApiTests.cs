using System.Net;
using System.Net.Http.Json;
using CommandCenter.Demo;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;

namespace CommandCenter.Tests.Web;

/// <summary>星级网格 on the API: every grid of the area ranked, a grid with its case closed on the spot scored, names not codes, refusals naming the field.</summary>
[Collection(WebCollection.Name)]
public sealed class RankingsApiTests(WebFixture web)
{
    [Fact]
    public async Task Every_grid_of_the_township_is_ranked_and_one_that_closed_its_case_on_time_scores()
    {
        var account = DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "worker-2");
        var grid = web.Directory.Worker(account.WorkerId!)!.GridCode;
        var township = web.Directory.Tree!.PathToRoot(grid)[2];
        using (var phone = await web.ClientAs("worker-2"))
        {
            var (lat, lng) = web.Directory.Tree.CenterOf(grid);
            var created = await Reports.Created(await phone.SendAsync(Reports.Post(new { source = "gridWorker", category = "sanitation", title = "排名测试", lat, lng })));
            using var resolve = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{created.Id}/resolve") { Content = JsonContent.Create(new { note = "已清理" }) };
            resolve.Headers.Add("Idempotency-Key", Reports.NewKey());
            using var resolved = await phone.SendAsync(resolve);
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        var ranking = (await web.Http.GetFromJsonAsync<GridRanking>($"/api/rankings/grids?jurisdiction={township}", Json.Options))!;

        var grids = web.Directory.Tree.All.Where(j => j.Level == CommandCenter.Geography.JurisdictionLevel.Grid && web.Directory.Tree.IsWithin(j.Code, township)).ToList();
        Assert.Equal(grids.Count, ranking.Grids.Count);
        Assert.Equal(Enumerable.Range(1, grids.Count), ranking.Grids.Select(g => g.Rank));
        var mine = Assert.Single(ranking.Grids, g => g.Code == grid);
        Assert.NotNull(mine.Score);
        Assert.Equal(1.0, mine.Parts.Closure);
        Assert.Equal(web.Directory.Tree.NameOf(grid), mine.Name);
        Assert.Equal(web.Directory.Tree.NameOf(township), mine.Township);
        Assert.Equal(ChinaTime.Day(DateTimeOffset.UtcNow).Year + "Q" + ((ChinaTime.Day(DateTimeOffset.UtcNow).Month - 1) / 3 + 1), ranking.Quarter);
        var scored = ranking.Grids.Where(g => g.Score is not null).ToList();
        Assert.Equal(scored.OrderByDescending(g => g.Score).Select(g => g.Score), scored.Select(g => g.Score));
        Assert.All(ranking.Grids.SkipWhile(g => g.Score is not null), g => Assert.Null(g.Score));
    }

    [Fact]
    public async Task A_quarter_that_is_not_one_is_a_400_and_a_station_ranks_only_its_own_township()
    {
        using (var bad = await web.Http.GetAsync($"/api/rankings/grids?jurisdiction={web.CountyCode}&quarter=2026Q5"))
            await ProblemAssert.Is(bad, HttpStatusCode.BadRequest, "quarter");
        using var station = await web.ClientAs("station-1");
        var townships = web.Directory.Tree!.ChildrenOf(web.CountyCode);
        using (var own = await station.GetAsync($"/api/rankings/grids?jurisdiction={townships[0].Code}&quarter=2026Q4"))
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var other = await station.GetAsync($"/api/rankings/grids?jurisdiction={townships[1].Code}&quarter=2026Q4"))
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }
}
