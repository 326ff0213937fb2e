using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// Remote emergency command in a real browser, two contexts: the commander opens a session from the list page and
/// issues an instruction on its board and reminds the station of it (催办); the township station's wall shows the
/// banner, the station signs and reports back with a photo, and the board turns green with the times and shows the
/// photo; outside text stays text
/// (screenshots under artifacts/browser/).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CommandBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    private async Task<(IPage Page, List<string> Problems)> Open(string user, string path)
    {
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, user, path);
        return (page, problems);
    }

    [Fact]
    public async Task A_village_station_signs_and_reports_back_on_its_phone()
    {
        var tree = web.Directory.Tree!;
        var village = tree.ChildrenOf(tree.ChildrenOf(tree.Root.Code)[0].Code)[0];
        var (phone, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true });
        await WallBrowserTests.SignIn(phone, web.BaseAddress, "village-1", "/m");
        await Expect(phone.Locator("#mobile-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });

        using var duty = await web.ClientAs("duty");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instructions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { text = "今晚22点前完成辖区独居老人走访", recipients = new[] { village.Code } }),
        };
        request.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
        using (var issued = await duty.SendAsync(request))
            Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());

        var banner = phone.Locator("#mobile-instructions .wall-instruction", new() { HasText = "今晚22点前完成辖区独居老人走访" });
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-phone-banner.png") });
        await banner.Locator(".wall-instruction-sign").ClickAsync();
        await Expect(banner).ToHaveAttributeAsync("data-state", "signed", new() { Timeout = 10_000 });
        await banner.Locator("textarea[name=text]").FillAsync("已走访独居老人9户");
        await banner.Locator("button[type=submit]").ClickAsync();
        await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        Assert.True(problems.Count == 0, "The phone page reported errors:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task The_commander_opens_a_session_issues_an_instruction_the_station_signs_and_reports_on_its_wall_and_the_board_turns_green()
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(tree.Root.Code)[0];
        var title = "集市踩踏风险处置<img src=x onerror=window.__xss=1>";

        var (commander, commanderProblems) = await Open("commander", "/command");
        await commander.FillAsync("#command-open input[name=title]", title);
        await commander.SelectOptionAsync("#command-open select[name=level]", "large");
        await commander.SelectOptionAsync("#command-open select[name=area]", township.Code);
        await commander.CheckAsync($"#command-open input[name=participant][value=\"{township.Code}\"]");
        await commander.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-sessions.png"), FullPage = true });
        await commander.ClickAsync("#command-open button[type=submit]");
        await Expect(commander.Locator("#command-title")).ToHaveTextAsync(title, new() { Timeout = 10_000 });
        await Expect(commander.Locator("#command-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });
        await Expect(commander.Locator("#command-level")).ToHaveTextAsync("Ⅲ级(较大)");
        await Expect(commander.Locator("#command-participants")).ToContainTextAsync(township.Name);
        await Expect(commander.Locator("#command-log li[data-sequence='1']")).ToContainTextAsync("开启指挥");

        var (station, stationProblems) = await Open("station-1", $"/wall/{township.Code}");
        await Expect(station.Locator("#wall-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });
        Assert.True(await station.Locator("#wall-instructions").IsHiddenAsync());

        var order = "立即疏导集市人群,设置单向通行<b onmouseover=window.__xss=1>";
        await commander.FillAsync("#command-issue textarea[name=text]", order);
        await commander.ClickAsync("#command-issue button[type=submit]");
        var recipient = commander.Locator($".command-recipient[data-code=\"{township.Code}\"]");
        await Expect(recipient).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // The banner comes live; reading it marks it delivered, which the board shows on its next read.
        var banner = station.Locator(".wall-instruction");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(banner.Locator(".wall-instruction-text")).ToHaveTextAsync(order);
        await Expect(banner.Locator(".wall-instruction-left")).ToContainTextAsync("剩余");
        await station.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-station-banner.png") });
        await Expect(recipient).ToHaveAttributeAsync("data-state", "delivered", new() { Timeout = 10_000 });

        // 催办 from the board: the station's banner says so at once.
        await recipient.Locator(".command-recipient-remind").ClickAsync();
        await Expect(banner.Locator(".wall-instruction-title")).ToHaveTextAsync("催办 · 请立即签收", new() { Timeout = 10_000 });
        await Expect(recipient).ToContainTextAsync("已催办", new() { Timeout = 10_000 });

        await banner.Locator(".wall-instruction-sign").ClickAsync();
        await Expect(recipient).ToHaveAttributeAsync("data-state", "signed", new() { Timeout = 10_000 });
        await Expect(recipient).ToContainTextAsync("签收用时");
        await Expect(banner).ToHaveAttributeAsync("data-state", "signed");
        await banner.Locator("textarea[name=text]").FillAsync("已安排8名网格员现场疏导");
        await banner.Locator("input[name=done]").CheckAsync();
        await banner.Locator("input[name=photos]").SetInputFilesAsync(new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = TestImages.Png() });
        await banner.Locator("button[type=submit]").ClickAsync();
        await Expect(station.Locator("#wall-instructions")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Expect(recipient).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 10_000 });
        await Expect(commander.Locator(".command-recipient-done")).ToHaveCountAsync(1);
        var photo = recipient.Locator(".command-report-photo");
        await Expect(photo).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        Assert.True(await photo.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the report-back's photo shows");
        await Expect(recipient.Locator(".command-report-text")).ToContainTextAsync("已安排8名网格员现场疏导");
        await Expect(commander.Locator("#command-log li[data-sequence='5']")).ToContainTextAsync("已安排8名网格员现场疏导");
        await commander.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-board.png"), FullPage = true });

        await commander.FillAsync("#command-close input[name=summary]", "人群已疏散,未发生踩踏");
        await commander.ClickAsync("#command-close button[type=submit]");
        await Expect(commander.Locator("#command-state")).ToHaveTextAsync("已结束", new() { Timeout = 10_000 });
        await Expect(commander.Locator("#command-issue")).ToBeHiddenAsync();

        foreach (var page in new[] { commander, station })
        {
            Assert.Equal(0, await page.Locator("img[src='x'], b[onmouseover]").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        }
        Assert.True(commanderProblems.Count == 0, "The board reported errors:\n" + string.Join("\n", commanderProblems));
        Assert.True(stationProblems.Count == 0, "The wall reported errors:\n" + string.Join("\n", stationProblems));
    }

    [Fact]
    public async Task The_commander_leads_pans_and_draws_and_a_township_station_elsewhere_follows_within_a_second()
    {
        var tree = web.Directory.Tree!;
        var (township, neighbour) = (tree.ChildrenOf(tree.Root.Code)[0], tree.ChildrenOf(tree.Root.Code)[1]);
        using var api = await web.ClientAs("commander");
        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/command-sessions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                title = "防汛转移<script>window.__xss=1</script>", area = township.Code, level = "major", participants = new[] { township.Code, neighbour.Code },
            }),
        };
        open.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
        using var opened = await api.SendAsync(open);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        var session = (await opened.Content.ReadFromJsonAsync<CommandCenter.Web.Application.SessionView>(CommandCenter.Json.Options))!.Id;

        // The commander at the county's wall, the neighbouring township's station at its own: both join the session.
        var (leader, leaderProblems) = await Open("commander", $"/wall?session={session}");
        var (follower, followerProblems) = await Open("station-2", $"/wall?session={session}");
        foreach (var page in new[] { leader, follower })
        {
            await Expect(page.Locator("#wall-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });
            await Expect(page.Locator("#wall-session")).ToHaveAttributeAsync("data-joined", session.ToString(), new() { Timeout = 10_000 });
            await Expect(page.Locator(".wall-session-title")).ToContainTextAsync("防汛转移<script>");
        }
        Assert.Equal(neighbour.Name, await follower.Locator(".wall-title").TextContentAsync());
        await Expect(follower.Locator("#wall-session")).ToHaveAttributeAsync("data-following", "true");
        await Expect(follower.Locator(".wall-session-lead")).ToBeHiddenAsync(); // a township station commands only its own villages' sessions

        await leader.ClickAsync(".wall-session-lead");
        await Expect(leader.Locator("#wall-session")).ToHaveAttributeAsync("data-leading", "true", new() { Timeout = 10_000 });
        await Expect(follower.Locator(".wall-session-leader")).ToContainTextAsync("领屏", new() { Timeout = 10_000 });

        // The commander pans and zooms in: the station's wall shows the same centre and zoom within a second of the send.
        var map = await leader.Locator("#wall-map").BoundingBoxAsync();
        var (x, y) = (map!.X + map.Width / 2, map.Y + map.Height / 2);
        await leader.Mouse.MoveAsync(x, y);
        await leader.Mouse.DownAsync();
        await leader.Mouse.MoveAsync(x - 240, y - 120, new() { Steps = 12 });
        await leader.Mouse.UpAsync();
        await leader.ClickAsync(".leaflet-control-zoom-in");
        await AssertFollowed(leader, follower);

        // The commander draws an evacuation route with a label: it appears on the station's wall as text.
        var route = "疏散路线<b onmouseover=window.__xss=1>甲</b>";
        await leader.ClickAsync(".wall-session-tool[data-kind=line]");
        await leader.Mouse.ClickAsync(x - 120, y + 60);
        await leader.Mouse.ClickAsync(x + 80, y - 40);
        await leader.Mouse.ClickAsync(x + 160, y + 40);
        await Expect(leader.Locator("#wall-session")).ToHaveAttributeAsync("data-drawn-points", "3");
        await leader.FillAsync(".wall-session-label", route);
        await leader.ClickAsync(".wall-session-finish");
        foreach (var page in new[] { leader, follower })
        {
            await Expect(page.Locator("#wall-session")).ToHaveAttributeAsync("data-markup", "1", new() { Timeout = 2_000 });
            await Expect(page.Locator(".wall-markup-label")).ToHaveTextAsync(route);
        }
        await leader.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-view-leader.png") });
        await follower.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-view-follower.png") });

        // An instruction in the session: both panels list it with its tallies, the station its own part.
        using (var order = new HttpRequestMessage(HttpMethod.Post, $"/api/command-sessions/{session}/instructions")
               {
                   Content = System.Net.Http.Json.JsonContent.Create(new { text = "沿疏散路线转移低洼地带群众" }),
               })
        {
            order.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
            using var issued = await api.SendAsync(order);
            Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        }
        await Expect(leader.Locator(".wall-session-instructions li")).ToContainTextAsync("签收 0/2 · 回执 0/2", new() { Timeout = 5_000 });
        await Expect(follower.Locator(".wall-session-instructions li")).ToContainTextAsync("签收 0/1 · 回执 0/1", new() { Timeout = 5_000 });

        // The station leaves follow mode by moving its own map: the commander's next view does not move it; back in follow mode, it does.
        var followerMap = await follower.Locator("#wall-map").BoundingBoxAsync();
        await follower.Mouse.MoveAsync(followerMap!.X + 300, followerMap.Y + 300);
        await follower.Mouse.DownAsync();
        await follower.Mouse.MoveAsync(followerMap.X + 420, followerMap.Y + 380, new() { Steps = 8 });
        await follower.Mouse.UpAsync();
        await Expect(follower.Locator("#wall-session")).ToHaveAttributeAsync("data-following", "false");
        var applied = await follower.Locator("#wall-session").GetAttributeAsync("data-view-version");
        await leader.ClickAsync(".leaflet-control-zoom-out");
        await Expect(leader.Locator("#wall-session")).Not.ToHaveAttributeAsync("data-view-sent", applied!, new() { Timeout = 5_000 });
        await Task.Delay(1_000);
        Assert.Equal(applied, await follower.Locator("#wall-session").GetAttributeAsync("data-view-version"));
        await follower.ClickAsync(".wall-session-follow");
        await AssertFollowed(leader, follower, timed: false);

        foreach (var page in new[] { leader, follower })
        {
            Assert.Equal(0, await page.Locator("script:has-text('__xss'), b[onmouseover]").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        }
        Assert.True(leaderProblems.Count == 0, "The leader's wall reported errors:\n" + string.Join("\n", leaderProblems));
        Assert.True(followerProblems.Count == 0, "The follower's wall reported errors:\n" + string.Join("\n", followerProblems));
    }

    [Fact]
    public async Task The_console_lists_the_running_sessions_and_the_latest_instructions_and_a_session_s_board_shows_its_incident_s_situation()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.Directory.Tree.Root.Code)[2];
        using var api = await web.ClientAs("duty");
        async Task<T> Post<T>(string path, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
            using var response = await api.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<T>(CommandCenter.Json.Options))!;
        }
        var grid = web.Directory.Tree.All.First(j => j.Level == CommandCenter.Geography.JurisdictionLevel.Grid && web.Directory.Tree.IsWithin(j.Code, township.Code));
        var (lat, lng) = web.Directory.Tree.CenterOf(grid.Code);
        using var report = await web.Http.SendAsync(Web.Reports.Post(new
        {
            source = "gridWorker", category = "security", title = "广场聚集<img src=x onerror=window.__xss=1>", description = "态势测试", lat, lng,
        }));
        var incident = (await Web.Reports.Created(report)).Id;
        var session = await Post<CommandCenter.Web.Application.SessionView>("/api/command-sessions",
            new { title = "值班台列表<i>测试</i>", incident, area = township.Code, level = "general", participants = new[] { township.Code } });
        var instruction = await Post<CommandCenter.Web.Application.InstructionView>($"/api/command-sessions/{session.Id}/instructions",
            new { text = "值班台可见的指令<b>甲</b>" });

        var (console, problems) = await Open("duty", "/console");
        var listed = console.Locator($"#console-sessions li[data-session-id=\"{session.Id}\"]");
        await Expect(listed).ToContainTextAsync("值班台列表<i>测试</i>", new() { Timeout = 10_000 });
        await Expect(listed).ToContainTextAsync(township.Name);
        var issued = console.Locator($"#console-instructions li[data-instruction-id=\"{instruction.Id}\"]");
        await Expect(issued).ToContainTextAsync("值班台可见的指令<b>甲</b>");
        await Expect(issued).ToContainTextAsync("签收 0/1 · 回执 0/1");
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-console.png"), FullPage = true });
        Assert.Equal($"/command/{session.Id}", await issued.Locator("a").GetAttributeAsync("href"));
        Assert.Equal(0, await console.Locator("#console-sessions i, #console-instructions b").CountAsync());

        // The session's board: its incident with the cameras near it, and its timeline for the duty officer.
        await listed.Locator("a").ClickAsync();
        var card = console.Locator($".command-situation-incident[data-incident-id=\"{incident}\"]");
        await Expect(card.Locator("h3")).ToHaveTextAsync("广场聚集<img src=x onerror=window.__xss=1>", new() { Timeout = 10_000 });
        await Expect(card.Locator(".command-situation-timeline li").First).ToContainTextAsync("上报");
        Assert.True(await card.Locator(".command-situation-camera").CountAsync() > 0, "cameras near the incident are shown");
        await Expect(card.Locator(".command-situation-camera").First).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("shown|failed"),
            new() { Timeout = 15_000 });
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-board-situation.png"), FullPage = true });
        Assert.Equal(0, await console.Locator("img[src='x']").CountAsync());
        Assert.True(await console.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        // The test county's cameras have no stream address: their snapshots are 404s, which the board shows as such.
        var unexpected = problems.Where(p => !(p.Contains("status of 404") && p.Contains("/snapshot"))).ToList();
        Assert.True(unexpected.Count == 0, "The console and the board reported errors:\n" + string.Join("\n", unexpected));
    }

    [Fact]
    public async Task A_station_signs_an_instruction_on_its_console_as_on_its_wall()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.Directory.Tree.Root.Code)[4];
        var (console, problems) = await Open("station-5", "/console");
        await Expect(console.Locator("#console-sessions-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^$|暂无"), new() { Timeout = 10_000 });
        using var duty = await web.ClientAs("duty");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instructions")
        {
            Content = JsonContent.Create(new { text = "值班台签收测试<b>乙</b>", recipients = new[] { township.Code } }),
        };
        request.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
        using (var issued = await duty.SendAsync(request))
            Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());

        var banner = console.Locator("#console-instruction-banner .wall-instruction", new() { HasText = "值班台签收测试<b>乙</b>" });
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("command-console-banner.png") });
        await banner.Locator(".wall-instruction-sign").ClickAsync();
        await Expect(banner).ToHaveAttributeAsync("data-state", "signed", new() { Timeout = 10_000 });
        Assert.Equal(0, await console.Locator("#console-instruction-banner b").CountAsync());
        Assert.True(problems.Count == 0, "The console reported errors:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// The follower shows the leader's last view (centre and zoom); <paramref name="timed"/>: it applied it within a
    /// second of the leader's wall starting to send it (both pages' clocks are this machine's).
    /// </summary>
    private static async Task AssertFollowed(IPage leader, IPage follower, bool timed = true)
    {
        await Expect(leader.Locator("#wall-session")).ToHaveAttributeAsync("data-view-sent", new System.Text.RegularExpressions.Regex("^[0-9]+$"),
            new() { Timeout = 5_000 });
        // The leader's map has settled (a zoom animates for 250 ms, then its view is sent) once it sent nothing new for 600 ms.
        string sent = "";
        for (var i = 0; i < 20; i++)
        {
            var before = await leader.Locator("#wall-session").GetAttributeAsync("data-view-sent");
            await Task.Delay(600);
            sent = (await leader.Locator("#wall-session").GetAttributeAsync("data-view-sent"))!;
            if (sent == before)
                break;
        }
        // A loaded machine may let the leader's map send once more after that quiet: the follower shows the latest.
        await Poll.Until(async () => (await follower.Locator("#wall-session").GetAttributeAsync("data-view-version"),
                await leader.Locator("#wall-session").GetAttributeAsync("data-view-sent")),
            views => views.Item1 == views.Item2, $"the follower did not show the leader's last view (after {sent})");
        var sentAt = long.Parse((await leader.Locator("#wall-session").GetAttributeAsync("data-view-sent-at"))!);
        var appliedAt = long.Parse((await follower.Locator("#wall-session").GetAttributeAsync("data-view-applied-at"))!);
        Assert.True(!timed || appliedAt - sentAt <= 1000, $"The follower showed the view {appliedAt - sentAt} ms after the leader sent it.");
        var ours = await leader.Locator("#wall-map").EvaluateAsync<double[]>("m => { const v = m.mapView(); return [v.lat, v.lng, v.zoom]; }");
        var theirs = await follower.Locator("#wall-map").EvaluateAsync<double[]>("m => { const v = m.mapView(); return [v.lat, v.lng, v.zoom]; }");
        Assert.Equal(ours[2], theirs[2]);
        Assert.True(Math.Abs(ours[0] - theirs[0]) < 1e-6 && Math.Abs(ours[1] - theirs[1]) < 1e-6, $"leader {string.Join(",", ours)}, follower {string.Join(",", theirs)}");
    }
}
