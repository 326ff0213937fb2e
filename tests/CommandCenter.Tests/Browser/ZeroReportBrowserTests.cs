using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The daily zero-report in a real browser, on a day of its own (the zero-report clock moved there): the township
/// station's wall shows the day's banner and sends a 零报告; the village's phone reports something with a note; past
/// the deadline the neighbouring township's wall turns to 今日零报告未报 as the sweep reminds it; the county's wall lists
/// who is missing and the county table shows the townships with their villages, the note as text (screenshots under
/// TestResults/browser/).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ZeroReportBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync()
    {
        web.ZeroReportClock.Shift = TimeSpan.Zero;
        await _chromium.DisposeAsync();
    }

    private async Task<(IPage Page, List<string> Problems)> Open(string user, string path, int width = 1440, int height = 900, bool mobile = false)
    {
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions
            { ViewportSize = new ViewportSize { Width = width, Height = height }, IsMobile = mobile });
        await WallBrowserTests.SignIn(page, web.BaseAddress, user, path);
        return (page, problems);
    }

    [Fact]
    public async Task A_station_sends_its_zero_report_from_its_wall_a_village_from_its_phone_and_the_county_table_shows_who_has_not()
    {
        var tree = web.Directory.Tree!;
        var (township, neighbour) = (tree.ChildrenOf(tree.Root.Code)[0], tree.ChildrenOf(tree.Root.Code)[1]);
        var village = tree.ChildrenOf(township.Code)[0];
        // A day of its own in the past (as ZeroReportApiTests' days), so that nothing it writes is dated after the real time.
        var day = ChinaTime.Day(DateTimeOffset.UtcNow).AddDays(-480);
        web.ZeroReportClock.Shift = ChinaTime.At(day, new TimeOnly(9, 0)) - DateTimeOffset.UtcNow;
        using (var duty = await web.ClientAs("duty"))
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/sensitive-periods")
               {
                   Content = JsonContent.Create(new { name = "春节敏感时期", from = $"{day:yyyy-MM-dd}", to = $"{day:yyyy-MM-dd}", levels = new[] { "township", "village" } }),
               })
        {
            request.Headers.Add("Idempotency-Key", Web.Reports.NewKey());
            using var configured = await duty.SendAsync(request);
            Assert.True(configured.IsSuccessStatusCode, await configured.Content.ReadAsStringAsync());
        }

        // The township's own wall: the day's banner with the time left, and 零报告 sends it.
        var (station, stationProblems) = await Open("station-1", $"/wall/{township.Code}");
        var banner = station.Locator("#wall-zero-report .zero-report");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(banner.Locator(".zero-report-title")).ToHaveTextAsync("今日零报告 · 待报送");
        await Expect(banner.Locator(".zero-report-left")).ToContainTextAsync("剩余 59分");
        await Expect(banner.Locator(".zero-report-meta")).ToContainTextAsync("春节敏感时期");
        await station.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("zero-report-station-banner.png") });
        await banner.Locator(".zero-report-nothing").ClickAsync();
        await Expect(station.Locator("#wall-zero-report")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Expect(station.Locator("#wall-zero-missing li[data-code]").First).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // The village's phone: something to report, with a note (outside text stays text).
        var (phone, phoneProblems) = await Open("village-1", "/m", 390, 844, mobile: true);
        var phoneBanner = phone.Locator("#mobile-zero-report .zero-report");
        await Expect(phoneBanner).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await phoneBanner.Locator(".zero-report-something").ClickAsync();
        var note = "村民因灌溉用水发生争执,已调解<img src=x onerror=window.__xss=1>";
        await phoneBanner.Locator("textarea[name=note]").FillAsync(note);
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("zero-report-phone.png"), FullPage = true });
        await phoneBanner.Locator("form button[type=submit]").ClickAsync();
        await Expect(phone.Locator("#mobile-zero-report")).ToBeHiddenAsync(new() { Timeout = 10_000 });

        // Past the deadline the neighbouring township, which has not reported, is reminded on its wall.
        var (other, otherProblems) = await Open("station-2", $"/wall/{neighbour.Code}");
        var otherBanner = other.Locator("#wall-zero-report .zero-report");
        await Expect(otherBanner).ToHaveAttributeAsync("data-state", "pending", new() { Timeout = 30_000 });
        await Expect(other.Locator("#wall-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });
        web.ZeroReportClock.Shift = ChinaTime.At(day, new TimeOnly(10, 5)) - DateTimeOffset.UtcNow;
        await Expect(otherBanner.Locator(".zero-report-title")).ToHaveTextAsync("今日零报告未报 · 请立即报送", new() { Timeout = 15_000 });
        await Expect(otherBanner.Locator(".zero-report-meta")).ToContainTextAsync("已催报");
        await other.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("zero-report-overdue-banner.png") });

        // The county: its wall lists who is missing, its table the townships with their villages.
        var (county, countyProblems) = await Open("duty", $"/wall/{tree.Root.Code}");
        await Expect(county.Locator($"#wall-zero-missing li[data-code=\"{neighbour.Code}\"]")).ToContainTextAsync("未报", new() { Timeout = 30_000 });
        Assert.Equal(0, await county.Locator($"#wall-zero-missing li[data-code=\"{township.Code}\"]").CountAsync());
        await county.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("zero-report-county-wall.png") });

        var (table, tableProblems) = await Open("duty", $"/zero-reports?date={day:yyyy-MM-dd}");
        var first = table.Locator($"#zero-table-rows > tr[data-code=\"{township.Code}\"]");
        await Expect(first).ToHaveAttributeAsync("data-state", "onTime", new() { Timeout = 30_000 });
        await Expect(table.Locator($"#zero-table-rows > tr[data-code=\"{neighbour.Code}\"]")).ToHaveAttributeAsync("data-state", "overdue");
        await first.Locator("details summary").ClickAsync();
        await Expect(first.Locator($"tr[data-code=\"{village.Code}\"]")).ToContainTextAsync(note);
        await Expect(first.Locator($"tr[data-code=\"{village.Code}\"]")).ToContainTextAsync("按时报送");
        await Expect(table.Locator("#zero-table-summary [data-kind=onTime] strong")).ToHaveTextAsync("2");
        await Expect(table.Locator("#zero-table-exports a", new() { HasText = "导出本期 Excel" })).ToHaveAttributeAsync("href",
            $"/api/zero-reports/export?jurisdiction={tree.Root.Code}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}&format=xlsx");
        await table.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("zero-report-table.png"), FullPage = true });

        foreach (var page in new[] { station, phone, other, county, table })
        {
            Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        }
        var problems = stationProblems.Concat(phoneProblems).Concat(otherProblems).Concat(countyProblems).Concat(tableProblems).ToList();
        Assert.True(problems.Count == 0, "The pages reported errors:\n" + string.Join("\n", problems));
    }
}
