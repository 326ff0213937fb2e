using System.Net;
using System.Net.Http.Json;
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
        var grid = await Reports.ClosedOnTheSpot(web, "worker-2", "排名测试", "已清理");
        var township = web.Directory.Tree!.PathToRoot(grid)[2];

        var ranking = (await web.Http.GetFromJsonAsync<GridRanking>($"/api/rankings/grids?jurisdiction={township}", Json.Options))!;

        var grids = web.Directory.Tree.Within(township, CommandCenter.Geography.JurisdictionLevel.Grid);
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
        await Reports.StationGetsOnlyItsOwnTownship(web, township => $"/api/rankings/grids?jurisdiction={township}&quarter=2026Q4");
    }

    [Fact]
    public async Task Four_no_villages_lose_a_flag_to_a_recorded_lawsuit_a_criminal_case_or_an_open_dispute_and_are_counted_per_township()
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(web.CountyCode)[3];
        var villages = tree.ChildrenOf(township.Code);
        var (sued, criminal, dispute) = (villages[0], villages[1], villages[2]);
        async Task Report(string village, string category)
        {
            var grid = tree.ChildrenOf(village)[0].Code;
            var (lat, lng) = tree.CenterOf(grid);
            var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(new { source = "police", category, title = "四无村测试", lat, lng })));
            using var verify = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{created.Id}/verify") { Content = JsonContent.Create(new { }) };
            verify.Headers.Add("Idempotency-Key", Reports.NewKey());
            using var verified = await web.Http.SendAsync(verify);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }
        await Report(criminal.Code, "criminal");
        await Report(dispute.Code, "dispute.land");
        var year = ChinaTime.Day(DateTimeOffset.UtcNow).Year;
        using (var recorded = await web.Http.PutAsJsonAsync("/api/rankings/four-no/litigation", new { village = sued.Code, year, cases = 2, note = "区法院通报" }))
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

        var view = (await web.Http.GetFromJsonAsync<FourNoView>($"/api/rankings/four-no?jurisdiction={township.Code}", Json.Options))!;

        Assert.Equal(villages.Select(v => v.Code), view.Villages.Select(v => v.Code));
        var row = view.Villages.ToDictionary(v => v.Code);
        Assert.Equal((false, 2), (row[sued.Code].NoLitigation, row[sued.Code].LitigationCases));
        Assert.False(row[criminal.Code].NoCriminalCase);
        Assert.True(row[criminal.Code].NoPublicSecurityCase);
        Assert.False(row[dispute.Code].NoDisputeBacklog);
        Assert.Equal(1, row[dispute.Code].DisputeBacklog);
        Assert.All(new[] { sued, criminal, dispute }, v => Assert.False(row[v.Code].AllFour));
        var counts = Assert.Single(view.Townships).Counts;
        Assert.Equal((villages.Count, view.Villages.Count(v => v.AllFour)), (counts.Villages, counts.AllFour));
        Assert.Equal(view.Total.Counts, counts);
        Assert.Equal(township.Name, view.Townships[0].Name);
        var rows = await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>($"/api/audit?action=litigation.record&target={sued.Code}/{year}", Json.Options);
        Assert.Single(rows!);

        // Last year ended before the dispute was accepted: open now, it was no backlog then.
        var lastYear = (await web.Http.GetFromJsonAsync<FourNoView>($"/api/rankings/four-no?jurisdiction={township.Code}&year={year - 1}", Json.Options))!;
        var then = lastYear.Villages.Single(v => v.Code == dispute.Code);
        Assert.Equal((true, 0L), (then.NoDisputeBacklog, then.DisputeBacklog));
        Assert.True(then.NoCriminalCase);
    }

    [Fact]
    public async Task A_litigation_record_is_refused_for_a_code_that_is_no_village_a_bad_figure_or_another_township()
    {
        var tree = web.Directory.Tree!;
        using (var grid = await web.Http.PutAsJsonAsync("/api/rankings/four-no/litigation", new { village = tree.ChildrenOf(tree.ChildrenOf(tree.ChildrenOf(web.CountyCode)[0].Code)[0].Code)[0].Code, year = 2026, cases = 1 }))
            await ProblemAssert.Is(grid, HttpStatusCode.BadRequest, "village");
        using (var negative = await web.Http.PutAsJsonAsync("/api/rankings/four-no/litigation", new { village = "x", year = 2026, cases = -1 }))
            await ProblemAssert.Is(negative, HttpStatusCode.BadRequest, "cases");
        using var station = await web.ClientAs("station-1");
        var elsewhere = tree.ChildrenOf(tree.ChildrenOf(web.CountyCode)[1].Code)[0].Code;
        using (var other = await station.PutAsJsonAsync("/api/rankings/four-no/litigation", new { village = elsewhere, year = 2026, cases = 1 }))
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        foreach (var year in new[] { "1999", "二〇二六", "2026.5" })
        {
            using var refused = await web.Http.GetAsync($"/api/rankings/four-no?jurisdiction={web.CountyCode}&year={year}");
            await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, "year");
        }
    }

    [Fact]
    public async Task The_top_ten_grid_workers_count_a_report_closed_on_the_spot_by_its_reporter()
    {
        var account = CommandCenter.Demo.DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "worker-3");
        var grid = await Reports.ClosedOnTheSpot(web, "worker-3", "十佳测试", "当场处理");
        var township = web.Directory.Tree!.PathToRoot(grid)[2];

        var view = (await web.Http.GetFromJsonAsync<TopWorkersView>($"/api/rankings/workers?jurisdiction={township}", Json.Options))!;

        Assert.InRange(view.Workers.Count, 1, 10);
        Assert.Equal(Enumerable.Range(1, view.Workers.Count), view.Workers.Select(w => w.Rank));
        var me = Assert.Single(view.Workers, w => w.Id == account.WorkerId);
        Assert.True(me.Figures.Reports >= 1 && me.Figures.OnTheSpot >= 1, $"{me.Figures}");
        Assert.NotNull(me.Score);
        Assert.Equal(web.Directory.Worker(account.WorkerId!)!.Name, me.Name);
        Assert.Equal(web.Directory.Tree.NameOf(grid), me.Grid);
        Assert.True(view.Ranked >= view.Workers.Count);
        Assert.Equal(view.Workers.Select(w => w.Score).OrderByDescending(s => s), view.Workers.Select(w => w.Score));
    }

    [Theory]
    [InlineData("month=2026-13", "month")]
    [InlineData("quarter=2026Q0", "quarter")]
    [InlineData("month=2026-12&quarter=2026Q4", "quarter")]
    public async Task A_period_that_is_not_one_is_a_400(string query, string field)
    {
        using var response = await web.Http.GetAsync($"/api/rankings/workers?jurisdiction={web.CountyCode}&{query}");

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
    }
}
