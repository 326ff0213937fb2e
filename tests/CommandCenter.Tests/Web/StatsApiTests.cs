using System.Net;
using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;

namespace CommandCenter.Tests.Web;

/// <summary>
/// The KPIs on the API: reports and actions in a grid move its figures at once (rolled up in their commits), the
/// figures break down by day, category, source and child, a rate without data is null, and bad input is a 400 naming the field.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class StatsApiTests(WebFixture web)
{
    private string Today => ChinaTime.Day(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd");

    private async Task<StatsView> Stats(string code, string by = "", HttpClient? client = null) =>
        (await (client ?? web.Http).GetFromJsonAsync<StatsView>($"/api/stats/{code}?from={Today}&to={Today}&by={by}", Json.Options))!;

    private async Task Act(Guid id, string action, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/{action}") { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        using var response = await web.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Reports_and_actions_move_the_figures_of_their_grid_and_every_area_above_it_at_once()
    {
        var (lat, lng, grid) = Reports.InsideGrid(web, 31);
        var village = web.Directory.Tree!.Find(grid)!.ParentCode!;
        var before = await Stats(grid);
        var villageBefore = await Stats(village);

        var verified = await Reports.Created(await web.Http.SendAsync(Reports.Post(new { source = "hotline12345", category = "dispute.neighbor", title = "统计:楼上噪音", lat, lng })));
        var rejected = await Reports.Created(await web.Http.SendAsync(Reports.Post(new { source = "gridWorker", category = "sanitation", title = "统计:重复上报", lat, lng })));
        await Act(verified.Id, "verify", new { });
        await Act(rejected.Id, "reject", new { note = "非本辖区事项" });

        var after = await Stats(grid);
        Assert.Equal(before.Total.Counts.Reported + 2, after.Total.Counts.Reported);
        Assert.Equal(before.Total.Counts.Accepted + 1, after.Total.Counts.Accepted);
        Assert.Equal(before.Total.Counts.Rejected + 1, after.Total.Counts.Rejected);
        Assert.Equal(before.Total.Counts.DisputesAccepted + 1, after.Total.Counts.DisputesAccepted);
        Assert.Equal(before.Total.OpenNow + 1, after.Total.OpenNow);
        Assert.Equal(villageBefore.Total.Counts.Reported + 2, (await Stats(village)).Total.Counts.Reported);
        Assert.Equal(web.Directory.Tree.NameOf(grid), after.Name);
        Assert.NotNull(after.Total.ToAccept.MedianHours);

        var byCategory = await Stats(grid, "category");
        Assert.Contains(byCategory.Groups, g => g.Key == "dispute.neighbor" && g.Name == "矛盾纠纷 › 邻里纠纷" && g.Counts.Accepted >= 1);
        var bySource = await Stats(grid, "source");
        Assert.Contains(bySource.Groups, g => g.Key == "hotline12345" && g.Name == "12345热线");
        var byDay = await Stats(grid, "day");
        Assert.Equal(after.Total.Counts.Reported, Assert.Single(byDay.Groups, g => g.Key == Today).Counts.Reported);
        Assert.Null(Assert.Single(byDay.Groups).OpenNow);
        var byChild = await Stats(village, "child");
        Assert.Equal(web.Directory.Tree.ChildrenOf(village).Select(c => c.Code), byChild.Groups.Select(g => g.Key));
        Assert.Equal(after.Total.Counts.Reported, byChild.Groups.Single(g => g.Key == grid).Counts.Reported);
    }

    [Fact]
    public async Task A_period_with_nothing_in_it_has_zero_counts_and_null_rates()
    {
        var (_, _, grid) = Reports.InsideGrid(web, 32);

        var empty = (await web.Http.GetFromJsonAsync<StatsView>($"/api/stats/{grid}?from=2020-01-01&to=2020-01-31&by=week", Json.Options))!;

        Assert.Equal(0, empty.Total.Counts.Reported);
        Assert.Null(empty.Total.Rates.ClosureRate);
        Assert.Null(empty.Total.Rates.Satisfaction);
        Assert.Null(empty.Total.ToClose.MedianHours);
        Assert.Equal(["2020-W01", "2020-W02", "2020-W03", "2020-W04", "2020-W05"], empty.Groups.Select(g => g.Key));
        Assert.Equal((0L, 0L, 0L, 0L), (empty.Field.PatrolWindowsDue, empty.Field.Alerts, empty.Field.InstructionsReceived, empty.Field.RollCallsCalled));
        Assert.Equal(((double?)null, (double?)null, (double?)null, (double?)null, (double?)null), (empty.Field.PatrolCompliance,
            empty.Field.AlertAcknowledgeMedianMinutes, empty.Field.InstructionsSignedOnTime, empty.Field.RollCallAnswerRate, empty.Field.RollCallResponseMedianSeconds));
    }

    [Theory]
    [InlineData("from=2026-13-01&to=2026-12-31", "from")]
    [InlineData("from=2026-12-02&to=2026-12-01", "to")]
    [InlineData("from=2016-01-01&to=2026-12-31", "to")]
    [InlineData("from=2025-01-01&to=2026-12-31&by=day", "by")]
    [InlineData("from=2026-12-01&to=2026-12-31&by=hour", "by")]
    [InlineData("from=2026-12-01&to=2026-12-31&by=total", "by")]
    public async Task Bad_input_is_a_400_naming_the_field(string query, string field)
    {
        using var response = await web.Http.GetAsync($"/api/stats/{web.CountyCode}?{query}");

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_grid_has_no_children_to_break_down_and_a_station_sees_only_its_own_township()
    {
        var (_, _, grid) = Reports.InsideGrid(web, 33);
        using (var byChild = await web.Http.GetAsync($"/api/stats/{grid}?by=child"))
            await ProblemAssert.Is(byChild, HttpStatusCode.BadRequest, "by");

        await Reports.StationGetsOnlyItsOwnTownship(web, township => $"/api/stats/{township}");
    }

    [Fact]
    public async Task A_grid_alert_signed_by_its_patrol_officer_shows_in_the_field_figures_of_its_grid()
    {
        var officer = CommandCenter.Demo.DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "police-1");
        var grid = officer.Jurisdictions[0];
        var before = (await Stats(grid)).Field;
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(new { source = "gridWorker", category = "security", title = "统计:警情签收", lat, lng })));
        using var phone = await web.ClientAs("police-1");
        var alert = (await phone.GetFromJsonAsync<List<AlertView>>("/api/alerts/mine", Json.Options))!.Single(a => a.Incident == created.Id);
        using (var signed = await phone.PostAsync($"/api/alerts/{alert.Id}/acknowledge", null))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);

        var after = (await Stats(grid)).Field;

        Assert.Equal(before.Alerts + 1, after.Alerts);
        Assert.Equal(before.AlertsAcknowledged + 1, after.AlertsAcknowledged);
        Assert.NotNull(after.AlertAcknowledgeMedianMinutes);

        // Broken down by child, each township's row carries its own field figures, as asked for it alone.
        var byChild = await Stats(web.CountyCode, "child");
        var township = created.Incident.Path[^2];
        foreach (var child in byChild.Groups)
            Assert.Equal((await Stats(child.Key)).Field, child.Field);
        Assert.True(byChild.Groups.Single(g => g.Key == township).Field!.AlertsAcknowledged >= 1);
        Assert.Equal(byChild.Field.Alerts, byChild.Groups.Sum(g => g.Field!.Alerts));
        Assert.All((await Stats(township, "category")).Groups, g => Assert.Null(g.Field));
    }
}
