using System.Net.Http.Json;
using CommandCenter.Command;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// A command session's video conference in real browsers through the real Janus (inside test.sh's network namespace,
/// Chromium's fake camera): the county commander and three township stations join from the session's page, each page
/// decodes the video of the other three; a station whose connection drops, and one whose page is reloaded
/// mid-conference, rejoin by themselves and are seen again; a station joins from its wall's session panel; a video roll
/// call (视频点名) of three stations from the board rings on their walls, one answers at once, one late, one never.
/// Screenshots under artifacts/browser/.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ConferenceBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch(media: true);

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    /// <summary>How many remote tiles of the page show decoded video (a frame of the fake camera, its size known).</summary>
    private const string DecodedTiles = """
        () => [...document.querySelectorAll('.conference-tile[data-feed] video')]
            .filter(v => v.videoWidth > 0 && v.readyState >= 2 && v.getVideoPlaybackQuality().totalVideoFrames > 0).length
        """;

    private const string TileStates = """
        () => [...document.querySelectorAll('.conference-tile[data-feed]')].map(t => {
            const v = t.querySelector('video');
            return `${t.dataset.participant}: ${v.videoWidth}x${v.videoHeight} ready ${v.readyState} frames ${v.getVideoPlaybackQuality().totalVideoFrames}`;
        }).join('; ')
        """;

    /// <summary>A session the county commander opens for the test.</summary>
    private async Task<SessionView> OpenSession(string title, string area, string level, string[] participants)
    {
        using var commander = await web.ClientAs("commander");
        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/command-sessions")
        {
            Content = JsonContent.Create(new { title, area, level, participants }, options: Json.Options),
        };
        open.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
        using var opened = await commander.SendAsync(open);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        return (await opened.Content.ReadFromJsonAsync<SessionView>(Json.Options))!;
    }

    private static async Task WaitForDecodedTiles(IPage page, int count, string who, List<string> problems)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await page.EvaluateAsync<int>(DecodedTiles) < count)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{who} decodes {await page.EvaluateAsync<int>(DecodedTiles)} of {count} remote videos ({await page.EvaluateAsync<string>(TileStates)}); "
                    + $"status: {string.Join(" / ", await page.Locator("[data-conference-status]").AllTextContentsAsync())}; the page reported: {string.Join(" | ", problems)}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task The_commander_and_three_stations_each_see_the_others_video_and_a_reloaded_station_rejoins_by_itself()
    {
        var tree = web.Directory.Tree!;
        var townships = tree.ChildrenOf(tree.Root.Code).Take(3).ToList();
        var session = await OpenSession("防汛视频会商", tree.Root.Code, "major", townships.Select(t => t.Code).ToArray());

        var users = new[] { "commander", "station-1", "station-2", "station-3" };
        var pages = new List<(string User, IPage Page, List<string> Problems)>();
        // Station-3's socket to the media server, both ends of which the test drops.
        (IWebSocketRoute Page, IWebSocketRoute Server)? dropped = null;
        foreach (var user in users)
        {
            var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
            if (user == "station-3")
                await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/api/video/janus"), ws =>
                {
                    var server = ws.ConnectToServer();
                    dropped = (ws, server);
                });
            await WallBrowserTests.SignIn(page, web.BaseAddress, user, $"/command/{session.Id}");
            await page.ClickAsync("[data-conference-join]");
            pages.Add((user, page, problems));
        }
        foreach (var (user, page, problems) in pages)
            await WaitForDecodedTiles(page, users.Length - 1, user, problems);
        foreach (var (user, page, _) in pages)
            await Expect(page.Locator("#command-conference")).ToHaveAttributeAsync("data-state", "joined");
        // The commander's page names each station's tile; a station shows the commander large.
        var commanderPage = pages[0].Page;
        foreach (var township in townships)
            await Expect(commanderPage.Locator($".conference-tile[data-participant='{township.Code}'] figcaption")).ToContainTextAsync(township.Name);
        await Expect(pages[1].Page.Locator(".conference-tile[data-participant='u:commander']")).ToHaveAttributeAsync("data-focus", "true");
        await commanderPage.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("conference-commander.png") });
        await pages[1].Page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("conference-station.png") });

        // The floor to the second station: every page shows it large.
        await commanderPage.Locator($".conference-tile[data-participant='{townships[1].Code}'] .conference-floor").ClickAsync();
        await Expect(pages[1].Page.Locator($".conference-tile[data-participant='{townships[1].Code}']"))
            .ToHaveAttributeAsync("data-focus", "true", new() { Timeout = 10_000 });

        // Station-3's network drops: its page rejoins by itself with a new ticket, and the commander sees it again.
        var stationTile = commanderPage.Locator($".conference-tile[data-participant='{townships[2].Code}']");
        var before = await stationTile.GetAttributeAsync("data-feed");
        await dropped!.Value.Server.CloseAsync(new() { Code = 1011, Reason = "test: network dropped" });
        await dropped.Value.Page.CloseAsync(new() { Code = 1011, Reason = "test: network dropped" });
        await Expect(pages[3].Page.Locator("#command-conference")).ToHaveAttributeAsync("data-state", "rejoining", new() { Timeout = 10_000 });
        await Expect(pages[3].Page.Locator("#command-conference")).ToHaveAttributeAsync("data-state", "joined", new() { Timeout = 30_000 });
        await WaitForDecodedTiles(pages[3].Page, users.Length - 1, "station-3 after its network dropped", pages[3].Problems);
        await Poll.Until(async () => await stationTile.CountAsync() == 1 ? await stationTile.GetAttributeAsync("data-feed") : null,
            feed => feed is not null && feed != before, "one tile of station-3, its new feed, on the commander's page");
        await WaitForDecodedTiles(commanderPage, users.Length - 1, "the commander after station-3's drop", pages[0].Problems);

        // A station's page reloaded mid-conference: it rejoins by itself, and the others see it again.
        var reloaded = pages[2].Page;
        await reloaded.ReloadAsync();
        await WaitForDecodedTiles(reloaded, users.Length - 1, "station-2 after its reload", pages[2].Problems);
        await WaitForDecodedTiles(commanderPage, users.Length - 1, "the commander after station-2's reload", pages[0].Problems);
        await Expect(commanderPage.Locator($".conference-tile[data-participant='{townships[1].Code}']")).ToHaveCountAsync(1);

        var log = (await web.Http.GetFromJsonAsync<SessionLogPage>($"/api/command-sessions/{session.Id}/log", Json.Options))!.Entries;
        foreach (var code in townships.Select(t => t.Code).Append("u:commander"))
            Assert.Contains(log, e => e.Kind == SessionLogKinds.ConferenceJoined && e.Data.Contains(code));
        Assert.Contains(log, e => e.Kind == SessionLogKinds.ConferenceFloor);
        Assert.Contains(log, e => e.Kind == SessionLogKinds.ConferenceLeft && e.Data.Contains(townships[2].Code));
        foreach (var (user, _, problems) in pages)
            Assert.True(problems.Count == 0, $"{user}'s page reported errors:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_station_joins_the_conference_from_its_walls_session_panel_and_sees_the_commander()
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(tree.Root.Code)[0];
        var session = await OpenSession("大屏视频会商", tree.Root.Code, "large", new[] { township.Code });

        var (board, boardProblems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await WallBrowserTests.SignIn(board, web.BaseAddress, "commander", $"/command/{session.Id}");
        await board.ClickAsync("[data-conference-join]");
        var (wall, wallProblems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        await WallBrowserTests.SignIn(wall, web.BaseAddress, "station-1", $"/wall/{township.Code}?session={session.Id}");
        var panel = wall.Locator(".wall-session-conference");
        await Expect(panel).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await panel.Locator(".conference-join").ClickAsync();
        await WaitForDecodedTiles(wall, 1, "the station's wall", wallProblems);
        await WaitForDecodedTiles(board, 1, "the commander's board", boardProblems);
        await Expect(wall.Locator(".wall-session-conference .conference-tile[data-participant='u:commander']")).ToHaveAttributeAsync("data-focus", "true");
        await wall.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("conference-wall.png") });
        Assert.True(wallProblems.Count == 0, "The wall reported errors:\n" + string.Join("\n", wallProblems));
        Assert.True(boardProblems.Count == 0, "The board reported errors:\n" + string.Join("\n", boardProblems));
    }

    [Fact]
    public async Task A_roll_call_rings_on_three_stations_walls_one_answers_at_once_one_late_one_never_and_the_board_shows_it()
    {
        var tree = web.Directory.Tree!;
        var townships = tree.ChildrenOf(tree.Root.Code).Take(3).ToList();
        var session = await OpenSession("防汛值守点名", tree.Root.Code, "general", townships.Select(t => t.Code).ToArray());

        var walls = new List<(IPage Page, List<string> Problems)>();
        for (var i = 0; i < 3; i++)
        {
            var (wall, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
            await WallBrowserTests.SignIn(wall, web.BaseAddress, $"station-{i + 1}", $"/wall/{townships[i].Code}");
            await Expect(wall.Locator("#wall-roll-call")).ToBeAttachedAsync();
            walls.Add((wall, problems));
        }
        var (board, boardProblems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await WallBrowserTests.SignIn(board, web.BaseAddress, "commander", $"/command/{session.Id}");
        var start = board.Locator("[data-roll-call-start]");
        await Expect(start.Locator("button[type=submit]")).ToBeEnabledAsync();
        await start.Locator("select[name=answerWithin]").SelectOptionAsync("10");
        await start.Locator("button[type=submit]").ClickAsync();

        // Each wall rings (delivered); the first answers at once, the second once its ten seconds passed, the third never.
        foreach (var (wall, _) in walls)
            await Expect(wall.Locator("#wall-roll-call .roll-call[data-state=ringing]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await walls[0].Page.Locator("#wall-roll-call .roll-call-answer").ClickAsync();
        await Expect(walls[1].Page.Locator("#wall-roll-call .roll-call-left[data-late=true]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await walls[1].Page.Locator("#wall-roll-call .roll-call-answer").ClickAsync();

        var rows = board.Locator("[data-roll-call-rows]");
        await Expect(rows.Locator($"tr[data-station='{townships[0].Code}']")).ToHaveAttributeAsync("data-outcome", "onTime", new() { Timeout = 30_000 });
        await Expect(rows.Locator($"tr[data-station='{townships[1].Code}']")).ToHaveAttributeAsync("data-outcome", "late", new() { Timeout = 30_000 });
        await WaitForDecodedTiles(board, 2, "the board's roll-call video", boardProblems);
        await walls[0].Page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("roll-call-station.png") });
        await walls[2].Page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("roll-call-ringing.png") });
        await board.Locator("[data-roll-call-end]").ClickAsync();
        await Expect(rows.Locator($"tr[data-station='{townships[2].Code}']")).ToHaveAttributeAsync("data-outcome", "notAnswered");
        await board.Locator("[data-roll-call-panel]").ScreenshotAsync(new LocatorScreenshotOptions { Path = WallBrowserTests.Screenshot("roll-call-board.png") });
        foreach (var (wall, _) in walls)
            await Expect(wall.Locator("#wall-roll-call .roll-call")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        using var commander = await web.ClientAs("commander");
        var listed = (await commander.GetFromJsonAsync<List<RollCallView>>($"/api/roll-calls?jurisdiction={tree.Root.Code}", Json.Options))!;
        var report = listed.First(r => r.Session == session.Id);
        Assert.Equal([CommandCenter.RollCalls.RollCallOutcome.OnTime, CommandCenter.RollCalls.RollCallOutcome.Late, CommandCenter.RollCalls.RollCallOutcome.NotAnswered],
            report.Stations.Select(s => s.Outcome));
        Assert.InRange(report.Stations[0].ResponseSeconds!.Value, 0, 10);
        Assert.True(report.Stations[1].ResponseSeconds > 10, $"the late answer took {report.Stations[1].ResponseSeconds} s");
        Assert.All(report.Stations, s => Assert.NotNull(s.DeliveredAt));
        foreach (var (_, problems) in walls)
            Assert.True(problems.Count == 0, "A wall reported errors:\n" + string.Join("\n", problems));
        Assert.True(boardProblems.Count == 0, "The board reported errors:\n" + string.Join("\n", boardProblems));
    }

    [Fact]
    public async Task The_duty_officer_calls_two_townships_from_the_roll_call_page_a_console_answers_and_the_station_sees_its_history()
    {
        var tree = web.Directory.Tree!;
        var townships = tree.ChildrenOf(tree.Root.Code).Skip(3).Take(2).ToList();
        var (console, consoleProblems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await WallBrowserTests.SignIn(console, web.BaseAddress, "station-4", "/console");
        await Expect(console.Locator("#console-roll-call")).ToBeAttachedAsync();
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "duty", "/roll-calls");
        var start = page.Locator("[data-roll-call-start]");
        await Expect(start.Locator("button[type=submit]")).ToBeEnabledAsync();
        foreach (var box in await start.Locator("input[name=station]").AllAsync())
        {
            if (!townships.Select(t => t.Code).Contains(await box.GetAttributeAsync("value")))
                await box.UncheckAsync();
        }
        await start.Locator("button[type=submit]").ClickAsync();

        await Expect(console.Locator("#console-roll-call .roll-call[data-state=ringing]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await console.Locator("#console-roll-call .roll-call-answer").ClickAsync();
        var rows = page.Locator("[data-roll-call-rows]");
        await Expect(rows.Locator($"tr[data-station='{townships[0].Code}']")).ToHaveAttributeAsync("data-outcome", "onTime", new() { Timeout = 30_000 });
        await WaitForDecodedTiles(page, 1, "the roll-call page", problems);
        await page.Locator("[data-roll-call-end]").ClickAsync();
        await Expect(rows.Locator($"tr[data-station='{townships[1].Code}']")).ToHaveAttributeAsync("data-outcome", "offline");
        await Expect(page.Locator("[data-roll-call-list] li").First).ToContainTextAsync("按时 1");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("roll-calls.png"), FullPage = true });
        await Expect(console.Locator("#console-roll-call .roll-call")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        await console.GotoAsync(new Uri(web.BaseAddress, "/roll-calls").ToString());
        await Expect(console.Locator("#roll-call-history-stats")).ToContainTextAsync("按时率");
        await Expect(console.Locator("#roll-call-history-list li[data-outcome=onTime]").First).ToBeVisibleAsync();
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("roll-call-history.png") });
        Assert.True(problems.Count == 0, "The roll-call page reported errors:\n" + string.Join("\n", problems));
        Assert.True(consoleProblems.Count == 0, "The console reported errors:\n" + string.Join("\n", consoleProblems));
    }
}
