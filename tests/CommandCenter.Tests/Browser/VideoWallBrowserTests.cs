using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The video wall in a real browser: nine cameras pointing at nine real HLS streams (made by ffmpeg, each its own
/// colour) show nine distinct frames, refreshed every second without object URLs piling up; the layout is the person's.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class VideoWallBrowserTests(WebFixture web) : IAsyncLifetime
{
    private const int Width = 160;
    private static readonly string[] Colours = ["0xd03020", "0x20a040", "0x2040d0", "0xe0c020", "0x20c0c0", "0xc020c0", "0xf08020", "0x808080", "0xf0f0f0"];
    private Chromium _chromium = null!;
    private HlsTestServer[] _streams = [];

    public async Task InitializeAsync()
    {
        _chromium = await Chromium.Launch();
        _streams = await Task.WhenAll(Colours.Select(c => HlsTestServer.Start(Width, 90, $"color=c={c}")));
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        foreach (var stream in _streams)
            await stream.DisposeAsync();
    }

    [Fact]
    public async Task Nine_tiles_show_nine_distinct_frames_refreshing_without_growing_and_the_layout_is_remembered()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 33);
        var ids = Enumerable.Range(0, 9).Select(i => $"V{i}-" + Guid.NewGuid().ToString("N")[..6]).ToArray();
        var csv = new StringBuilder("id,name,lat,lng,streamUrl\n");
        for (var i = 0; i < 9; i++)
            csv.Append($"{ids[i]},视频墙测试 {i + 1},{lat + (i + 1) * 20 / 111_320.0},{lng},{_streams[i].Url}\n");
        using (var import = await web.Admin.PostAsync("/api/cameras/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        using (var saved = await web.Http.PutAsJsonAsync("/api/videowall/layout", new { tiles = 9, mode = "manual", cameras = ids, intervalSeconds = 1 }))
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        // Counts the page's object URLs: made and revoked.
        await context.AddInitScriptAsync("""
            (() => {
                const create = URL.createObjectURL.bind(URL), revoke = URL.revokeObjectURL.bind(URL);
                window.__urls = { made: 0, revoked: 0 };
                URL.createObjectURL = (blob) => { window.__urls.made++; return create(blob); };
                URL.revokeObjectURL = (url) => { window.__urls.revoked++; revoke(url); };
            })();
            """);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                problems.Add($"console: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add("pageerror: " + error);
        await WallBrowserTests.SignIn(page, web.BaseAddress, "duty", "/videowall");

        await Expect(page.Locator(".videowall-tile")).ToHaveCountAsync(9);
        await Expect(page.Locator(".videowall-tile[data-state=shown]")).ToHaveCountAsync(9, new() { Timeout = 20_000 });
        Assert.Equal(ids, await page.Locator(".videowall-tile").EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.camera)"));
        var frames = await page.Locator(".videowall-frame").EvaluateAllAsync<string[]>("""
            images => images.map(img => {
                const canvas = document.createElement("canvas");
                canvas.width = 4; canvas.height = 4;
                const context = canvas.getContext("2d");
                context.drawImage(img, 0, 0, 4, 4);
                return img.naturalWidth + ":" + Array.from(context.getImageData(0, 0, 4, 4).data).map(v => v >> 4).join(",");
            })
            """);
        Assert.All(frames, f => Assert.StartsWith($"{Width}:", f));
        Assert.Equal(9, frames.Distinct().Count());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("videowall-9.png") });

        // Three more rounds of refreshes: every new frame's object URL replaced the last one's. A tile holds two URLs
        // while its next frame decodes, so the count comes back to nine between frames (a leak would never).
        var made = await page.EvaluateAsync<int>("() => window.__urls.made");
        await page.WaitForFunctionAsync($"() => window.__urls.made >= {made + 27}", null, new() { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => window.__urls.made - window.__urls.revoked === 9", null,
            new() { Timeout = 10_000, PollingInterval = 20 });

        // Sixteen tiles: the nine cameras stay where they were, seven empty tiles; the choice is saved for this person.
        await page.SelectOptionAsync("select[name=tiles]", "16");
        await Expect(page.Locator(".videowall-tile")).ToHaveCountAsync(16);
        await Expect(page.Locator(".videowall-tile[data-state=empty]")).ToHaveCountAsync(7);
        await Expect(page.Locator(".videowall-tile[data-state=shown]")).ToHaveCountAsync(9, new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("videowall-16.png") });
        for (var tries = 0;
             (await web.Http.GetFromJsonAsync<CommandCenter.Web.Cameras.VideoWallLayout>("/api/videowall/layout", Json.Options))!.Tiles != 16;
             tries++)
        {
            Assert.True(tries < 50, "the layout was not saved");
            await Task.Delay(100);
        }
        Assert.Empty(problems);
        await context.CloseAsync();
    }
}
