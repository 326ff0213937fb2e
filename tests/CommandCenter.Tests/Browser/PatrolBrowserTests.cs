using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using Microsoft.Playwright;
using static CommandCenter.Tests.Patrols.PatrolEvidence;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// Patrols in Chromium: a grid worker's phone starts a patrol (its position reaching the server), checks in at a
/// checkpoint by GPS and stops; a township's wall counts and lists the grids whose morning patrol was missed, live
/// when the window is recorded and again after a reload (screenshots under TestResults/browser/).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PatrolBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync()
    {
        web.PatrolClock.Shift = TimeSpan.Zero;
        await _chromium.DisposeAsync();
    }

    private static string Screenshot(string name) => Path.Combine(TestEnvironment.OutputDirectory("browser"), name);

    private async Task<(IPage Page, List<string> Problems)> Open(string user, string path, BrowserNewContextOptions options)
    {
        var (page, problems) = await _chromium.NewPage(options);
        await WallBrowserTests.SignIn(page, web.BaseAddress, user, path);
        return (page, problems);
    }

    [Fact]
    public async Task A_grid_worker_starts_a_patrol_on_the_phone_checks_in_at_a_checkpoint_by_GPS_and_stops()
    {
        using var phone = await web.ClientAs("worker-1");
        using (var stop = await phone.PostAsync("/api/patrols/stop", null))
            stop.EnsureSuccessStatusCode();
        var mine = (await phone.GetFromJsonAsync<MyPatrol>("/api/patrols/mine", Json.Options))!;
        var checkpoint = mine.Checkpoints[0];
        var (page, problems) = await Open("worker-1", "/m", new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            Geolocation = new Geolocation { Latitude = (float)checkpoint.Lat, Longitude = (float)checkpoint.Lng, Accuracy = 10 },
            Permissions = ["geolocation"],
        });

        var state = page.Locator("#mobile-patrol-state");
        await Expect(state).ToHaveTextAsync("未在巡查", new() { Timeout = 10_000 });
        await Expect(page.Locator("#mobile-patrol-grid")).ToHaveTextAsync(mine.GridName);
        await Expect(page.Locator("#mobile-patrol-windows li")).ToHaveCountAsync(3);
        await Expect(page.Locator("#mobile-patrol-checkpoints li")).ToHaveCountAsync(3);

        // Once on patrol the phone sends its position (GPS) as the person's own.
        var sent = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/workers/positions"), new() { Timeout = 15_000 });
        await page.ClickAsync("#mobile-patrol-start");
        await Expect(state).ToHaveAttributeAsync("data-patrolling", "true");
        await Expect(state).ToContainTextAsync("巡查中");
        await Expect(page.Locator("#mobile-duty-status")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("onPatrol|busy"));
        var position = await sent;
        Assert.Equal(204, position.Status);
        var body = System.Text.Json.JsonDocument.Parse(position.Request.PostData!).RootElement[0];
        Assert.Equal(mine.WorkerId, body.GetProperty("workerId").GetString());
        Assert.Equal(checkpoint.Lat, body.GetProperty("lat").GetDouble(), 4);

        await page.ClickAsync("#mobile-checkin button[type=submit]");
        await Expect(page.Locator("#mobile-checkin-done")).ToHaveTextAsync($"已在“{checkpoint.Name}”打卡。", new() { Timeout = 10_000 });
        await Expect(page.Locator("#mobile-patrol-checkins li").First).ToContainTextAsync(checkpoint.Name);
        await page.Locator("#mobile-patrol").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("mobile-patrol.png"), FullPage = true });

        await page.ClickAsync("#mobile-patrol-stop");
        await Expect(state).ToHaveTextAsync("未在巡查");
        Assert.Null((await phone.GetFromJsonAsync<MyPatrol>("/api/patrols/mine", Json.Options))!.PatrollingSince);
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_township_wall_counts_and_lists_the_grids_whose_patrol_was_missed_live_and_after_a_reload()
    {
        var day = WorkingDayAhead(20);
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(web.CountyCode)[0];
        var grids = tree.All.Where(j => j.Level == Geography.JurisdictionLevel.Grid && tree.IsWithin(j.Code, township.Code)).ToList();
        MoveTo(web.PatrolClock, Cst(day, 10, 58));
        var (page, problems) = await Open("station-1", $"/wall/{township.Code}", new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        });
        await Expect(page.Locator("#wall-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });
        var count = page.Locator("#wall-patrols-missed-count");
        await Expect(count).ToHaveAttributeAsync("data-value", "0", new() { Timeout = 10_000 });

        // Nobody patrolled that morning: at 11:00 (and the sweep's grace) every grid of the township is recorded as missed.
        MoveTo(web.PatrolClock, Cst(day, 11, 3));
        await Expect(count).ToHaveAttributeAsync("data-value", grids.Count.ToString(), new() { Timeout = 20_000 });
        var items = page.Locator("#wall-patrols-missed li");
        await Expect(items).ToHaveCountAsync(Math.Min(grids.Count, 60));
        var listed = await items.First.GetAttributeAsync("data-grid");
        var grid = grids.Single(g => g.Code == listed);
        Assert.Equal(grid.Name, await items.First.Locator(".wall-patrol-missed-grid").TextContentAsync());
        Assert.Equal("早巡 07:00–11:00", await items.First.Locator(".wall-patrol-missed-window").TextContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-patrols-missed.png") });

        await page.ReloadAsync();
        await Expect(count).ToHaveAttributeAsync("data-value", grids.Count.ToString(), new() { Timeout = 20_000 });
        await Expect(items).ToHaveCountAsync(Math.Min(grids.Count, 60));
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));
    }
}
