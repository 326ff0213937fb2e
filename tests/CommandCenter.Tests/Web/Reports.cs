using System.Net.Http.Json;
using System.Text;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Web.Api;

namespace CommandCenter.Tests.Web;

/// <summary>Builds report requests against the demo county.</summary>
public static class Reports
{
    /// <summary>A point inside a grid of the demo county (its interior point), and that grid's code.</summary>
    public static (double Lat, double Lng, string GridCode) InsideGrid(Tests.Infrastructure.WebFixture web, int index = 0)
    {
        var tree = web.Directory.Tree!;
        var grid = tree.All.Where(j => j.Level == JurisdictionLevel.Grid).ElementAt(index);
        var (lat, lng) = tree.CenterOf(grid.Code);
        return (lat, lng, grid.Code);
    }

    public static object Body(double lat, double lng, string title = "楼道堆放杂物堵塞消防通道") => new
    {
        source = "gridWorker",
        category = "safety",
        title,
        description = "三单元一楼楼道堆满纸箱。",
        lat,
        lng,
        reporter = "张网格",
    };

    public static HttpRequestMessage Post(object body, string? key = null) => Raw(
        System.Text.Json.JsonSerializer.Serialize(body, Json.Options), key ?? NewKey());

    public static HttpRequestMessage Raw(string json, string? key, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    public static string NewKey() => "test-" + Guid.NewGuid().ToString("N");

    public static async Task<CommandCenter.Web.Application.IncidentCreated> Created(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<CommandCenter.Web.Application.IncidentCreated>(text, Json.Options)!;
    }

    /// <summary>
    /// The grid person <paramref name="username"/> reports a case at the centre of their own grid and closes it on the
    /// spot (就地办结); returns their grid.
    /// </summary>
    public static async Task<string> ClosedOnTheSpot(Tests.Infrastructure.WebFixture web, string username, string title, string note) =>
        (await ResolvedOnTheSpot(web, username, title, note)).Grid;

    /// <summary>
    /// A case of <paramref name="username"/>'s grid closed on the spot and rated dissatisfied by its reporter, which
    /// sends it back to be handled again (重新办理); returns the case as the rating left it.
    /// </summary>
    public static async Task<IncidentDetails> RatedDissatisfied(Tests.Infrastructure.WebFixture web, string username, string title)
    {
        var (created, _) = await ResolvedOnTheSpot(web, username, title, "已劝离");
        using var anonymous = new HttpClient { BaseAddress = web.BaseAddress };
        using var rate = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{created.Id}/rate")
        {
            Content = JsonContent.Create(new { token = created.RatingLink.Split("?t=")[1], rating = "dissatisfied", note = "没有解决" }),
        };
        rate.Headers.Add("Idempotency-Key", NewKey());
        using var rated = await anonymous.SendAsync(rate);
        Assert.True(rated.IsSuccessStatusCode, $"rate: {(int)rated.StatusCode} {await rated.Content.ReadAsStringAsync()}");
        return (await rated.Content.ReadFromJsonAsync<IncidentDetails>(Json.Options))!;
    }

    /// <summary>A case of <paramref name="username"/>'s grid closed on the spot, waiting for its reporter's rating; and that grid.</summary>
    public static async Task<(CommandCenter.Web.Application.IncidentCreated Created, string Grid)> ResolvedOnTheSpot(
        Tests.Infrastructure.WebFixture web, string username, string title, string note)
    {
        var account = CommandCenter.Demo.DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == username);
        var grid = web.Directory.Worker(account.WorkerId!)!.GridCode;
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        using var phone = await web.ClientAs(username);
        var created = await Created(await phone.SendAsync(Post(new { source = "gridWorker", category = "facility", title, lat, lng })));
        using var resolve = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{created.Id}/resolve")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { note }, Json.Options), Encoding.UTF8, "application/json"),
        };
        resolve.Headers.Add("Idempotency-Key", NewKey());
        using var resolved = await phone.SendAsync(resolve);
        Assert.True(resolved.IsSuccessStatusCode, $"resolve: {(int)resolved.StatusCode} {await resolved.Content.ReadAsStringAsync()}");
        return (created, grid);
    }

    /// <summary>The first township's station gets <paramref name="path"/> of its own township (200) and is refused the second township's (403).</summary>
    public static async Task StationGetsOnlyItsOwnTownship(Tests.Infrastructure.WebFixture web, Func<string, string> path)
    {
        using var station = await web.ClientAs("station-1");
        var townships = web.Directory.Tree!.ChildrenOf(web.CountyCode);
        using (var own = await station.GetAsync(path(townships[0].Code)))
            Assert.Equal(System.Net.HttpStatusCode.OK, own.StatusCode);
        using var other = await station.GetAsync(path(townships[1].Code));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, other.StatusCode);
    }
}
