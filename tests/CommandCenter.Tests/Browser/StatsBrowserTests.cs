using System.Text.RegularExpressions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The figures in a real browser: the county wall's KPI strip shows today's and this month's rates as percentages
/// (or 无数据), draws this month's trend, and reads them again when cases change, without a reload.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class StatsBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task The_wall_shows_todays_and_this_months_rates_and_reads_them_again_when_a_case_is_closed()
    {
        // A case closed on the spot today by the grid worker of its grid: today's 办结率 has a denominator.
        await Reports.ClosedOnTheSpot(web, "worker-3", "统计大屏测试", "路面坑洼已填补");

        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "duty", "/wall");
        var strip = page.Locator("#wall-kpis");
        await Expect(strip).ToHaveAttributeAsync("data-loads", new Regex(@"^\d+$"), new() { Timeout = 15_000 });
        var percentOrNone = new Regex(@"^(\d{1,3}\.\d%|无数据)$");
        foreach (var kpi in new[] { "closureRate", "onTimeRate", "satisfaction", "resolutionRate" })
            foreach (var period in new[] { "today", "month" })
                await Expect(strip.Locator($"[data-kpi={kpi}] [data-period={period}]")).ToHaveTextAsync(percentOrNone);
        await Expect(strip.Locator("[data-kpi=closureRate] [data-period=today]")).ToHaveTextAsync(new Regex(@"^\d{1,3}\.\d%$"));
        await Expect(page.Locator("#wall-kpi-trend canvas")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("wall-kpis.png") });
        await strip.ScreenshotAsync(new LocatorScreenshotOptions { Path = WallBrowserTests.Screenshot("wall-kpi-strip.png") });

        var loads = await strip.GetAttributeAsync("data-loads");
        await Reports.ClosedOnTheSpot(web, "worker-3", "统计大屏测试", "井盖已复位");
        await Expect(strip).Not.ToHaveAttributeAsync("data-loads", loads!, new() { Timeout = 20_000 });
        await Expect(page.Locator("#wall-kpi-trend canvas")).ToHaveCountAsync(1);
        Assert.True(problems.Count == 0, "The wall reported errors:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task The_reports_page_shows_the_months_cards_charts_townships_map_and_notable_cases()
    {
        await Reports.ClosedOnTheSpot(web, "worker-1", "统计报表测试", "占道经营已劝离");
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "duty", "/reports?period=month");
        await Expect(page.Locator("#reports-view")).ToHaveAttributeAsync("data-shown", "true", new() { Timeout = 20_000 });
        await Expect(page.Locator("h1")).ToContainTextAsync(web.Directory.Tree!.Root.Name);
        await Expect(page.Locator(".reports-card")).ToHaveCountAsync(18);
        await Expect(page.Locator(".reports-card[data-card=办结率] .reports-card-value")).ToHaveTextAsync(new Regex(@"^\d{1,3}\.\d%$"));
        await Expect(page.Locator(".reports-card[data-card=满意率] .reports-card-value")).ToHaveTextAsync(new Regex(@"^(\d{1,3}\.\d%|无数据)$"));
        foreach (var chart in new[] { "#reports-trend", "#reports-category", "#reports-source" })
            await Expect(page.Locator($"{chart} canvas")).ToHaveCountAsync(1);
        var townships = web.Directory.Tree.ChildrenOf(web.CountyCode);
        await Expect(page.Locator("#reports-children tbody tr")).ToHaveCountAsync(townships.Count);
        await Expect(page.Locator("#reports-children tbody tr").First.Locator("th")).ToHaveTextAsync(townships[0].Name);
        await Expect(page.Locator("#reports-children tbody tr").First.Locator("svg polyline")).ToHaveCountAsync(1);
        await Expect(page.Locator("#reports-map path.leaflet-interactive")).ToHaveCountAsync(townships.Count);
        await Expect(page.Locator("#reports-stars tbody tr")).ToHaveCountAsync(10);
        await Expect(page.Locator("#reports-stars tbody tr").First.Locator("td").First).ToHaveTextAsync("1");
        await Expect(page.Locator("#reports-stars-quarter")).ToContainTextAsync("季度");
        await Expect(page.Locator("#reports-four-no tbody tr")).ToHaveCountAsync(townships.Count);
        await Expect(page.Locator("#reports-workers tbody tr").First.Locator("td").First).ToHaveTextAsync("1");
        await Expect(page.Locator("#reports-workers-period")).ToContainTextAsync("月");
        await Expect(page.Locator("#reports-four-no tfoot th")).ToContainTextAsync(web.Directory.Tree.Root.Name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("reports-month.png"), FullPage = true });

        await page.GotoAsync(new Uri(web.BaseAddress, $"/reports?jurisdiction={townships[0].Code}&period=week").ToString());
        await Expect(page.Locator("#reports-view")).ToHaveAttributeAsync("data-shown", "true", new() { Timeout = 20_000 });
        await Expect(page.Locator(".reports-period")).ToContainTextAsync("周");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("reports-township-week.png"), FullPage = true });
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));

        var (station, _) = await _chromium.NewPage(new BrowserNewContextOptions());
        await WallBrowserTests.SignIn(station, web.BaseAddress, "station-1", "/reports");
        var refused = await station.GotoAsync(new Uri(web.BaseAddress, $"/reports?jurisdiction={townships[1].Code}").ToString());
        Assert.Equal(403, refused!.Status);
        await Expect(station.Locator(".console-refusal")).ToHaveTextAsync("该辖区不在您的管辖范围内");
    }
}
