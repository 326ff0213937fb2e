using System.Text.RegularExpressions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The figures in a real browser: the county wall's KPI strip shows today's and this month's rates as percentages
/// (or 无数据), draws this month's trend, and reads them again when cases change, without a reload.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class StatsBrowserTests(WebFixture web, ITestOutputHelper output) : IAsyncLifetime
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

    /// <summary>
    /// The strip reads its figures again after every change for as long as the wall runs: its chart keeps one canvas
    /// and the page's heap stays where it was. The strip's own code (js/wall-kpis.js), with the wall's area, in the
    /// wall's markup on a page without the wall's live feed (so that the cases other tests report do not count): 650
    /// loads, then four rounds of 300, a garbage collection before each measure; the last 600 loads may not grow the
    /// heap by a quarter of a MiB (the first several hundred grow it by some 700 KiB as the engine compiles and caches).
    /// </summary>
    [Fact]
    public async Task The_walls_trend_chart_does_not_grow_the_pages_memory_as_its_figures_are_read_again()
    {
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "duty", "/wall");
        var area = await page.Locator("#wall").GetAttributeAsync("data-code");
        await page.GotoAsync(new Uri(web.BaseAddress, "categories").ToString());
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        const string Reload = """
            async ([area, times]) => {
              const { KpiStrip } = await import("./js/wall-kpis.js");
              if (!window.__strip) {
                const root = document.createElement("section");
                root.id = "wall-kpis";
                for (const kpi of ["closureRate", "onTimeRate", "satisfaction", "resolutionRate"]) {
                  const row = root.appendChild(document.createElement("div"));
                  row.dataset.kpi = kpi;
                  for (const period of ["today", "month"]) row.appendChild(document.createElement("span")).dataset.period = period;
                }
                const trend = root.appendChild(document.createElement("div"));
                trend.id = "wall-kpi-trend";
                trend.style.cssText = "width: 320px; height: 120px";
                document.body.appendChild(root);
                window.__strip = new KpiStrip({ root, areaPath: encodeURIComponent(area), signal: new AbortController().signal });
              }
              for (let i = 0; i < times; i++) await window.__strip.load();
              return window.__strip.loads;
            }
            """;
        async Task<(double Heap, double Nodes)> Measure()
        {
            await cdp.SendAsync("HeapProfiler.collectGarbage");
            var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
                .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
            return (metrics["JSHeapUsedSize"], metrics["Nodes"]);
        }

        // Rounds of 300 loads: the first ones grow the heap as the engine compiles and caches, then it levels off; a
        // leak would grow it by about as much every round.
        var heaps = new List<double>();
        var pageNodes = new List<double>();
        for (var round = 1; round <= 5; round++)
        {
            Assert.Equal(350 + 300 * round, await page.EvaluateAsync<int>(Reload, new object[] { area!, round == 1 ? 650 : 300 }));
            var (heap, nodes) = await Measure();
            heaps.Add(heap);
            pageNodes.Add(nodes);
            output.WriteLine($"after {350 + 300 * round} loads of the KPI strip: JS heap {heap / 1024:0} KiB, {nodes} DOM nodes");
        }
        await Expect(page.Locator("#wall-kpi-trend canvas")).ToHaveCountAsync(1);
        Assert.True(heaps[^1] - heaps[^3] < 256 * 1024,
            $"the heap grew by {(heaps[^1] - heaps[^3]) / 1024:0} KiB over the last 600 loads ({string.Join(" -> ", heaps.Select(h => $"{h / 1024:0}"))} KiB)");
        Assert.True(pageNodes[^1] - pageNodes[0] < 20, $"the page grew from {pageNodes[0]} to {pageNodes[^1]} DOM nodes");
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task The_reports_page_shows_the_months_cards_charts_townships_map_and_notable_cases_which_open_in_the_console()
    {
        await Reports.ClosedOnTheSpot(web, "worker-1", "统计报表测试", "占道经营已劝离");
        var dissatisfied = await Reports.RatedDissatisfied(web, "worker-1", "重点案件<b>不满意</b>");
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
        var notable = page.Locator("#reports-dissatisfied li a", new() { HasText = dissatisfied.Title });
        await Expect(notable).ToHaveAttributeAsync("href", $"/console/{dissatisfied.Id}");
        await Expect(page.Locator("#reports-reopened li a", new() { HasText = dissatisfied.Title })).ToHaveCountAsync(1);
        await Expect(page.Locator("#reports-dissatisfied b")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("reports-month.png"), FullPage = true });
        await page.Locator(".reports-notable").ScreenshotAsync(new() { Path = WallBrowserTests.Screenshot("reports-notable.png") });

        await page.Locator("#reports-dissatisfied-all").ClickAsync();
        await Expect(page.Locator("#console-list tr", new() { HasText = dissatisfied.Title })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.Locator("#console-filter select[name=notable]")).ToHaveValueAsync("dissatisfied");
        await Expect(page.Locator("#console-export")).ToHaveAttributeAsync("href", new Regex("^/api/incidents/export\\.xlsx\\?.*notable=dissatisfied"));
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#console-export").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("console-notable.png"), FullPage = true });

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
