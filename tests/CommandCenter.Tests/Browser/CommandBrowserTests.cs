using CommandCenter.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// Remote emergency command in a real browser, two contexts: the commander opens a session from the list page and
/// issues an instruction on its board and reminds the station of it (催办); the township station's wall shows the
/// banner, the station signs and reports back, and the board turns green with the times; outside text stays text
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
        await banner.Locator("button[type=submit]").ClickAsync();
        await Expect(station.Locator("#wall-instructions")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Expect(recipient).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 10_000 });
        await Expect(commander.Locator(".command-recipient-done")).ToHaveCountAsync(1);
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
}
