using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// Categories in a real browser: the administrator adds a child category on /categories, a report of it shows on the
/// duty officer's console by its name (with its parent's), never by its code, and the console filters by it.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CategoriesBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task The_administrator_adds_a_category_and_the_console_shows_and_filters_it_by_name()
    {
        var own = "group" + Guid.NewGuid().ToString("N")[..6];
        var name = "集体访" + own[^3..];
        var (admin, adminProblems) = await Open("admin", "/categories");
        await Expect(admin.Locator("h1")).ToHaveTextAsync("事件类别");
        await Expect(admin.Locator("tr[data-code='dispute.neighbor'] input[name=name]")).ToHaveValueAsync("邻里纠纷");
        await admin.SelectOptionAsync("#category-add select[name=parent]", "petition");
        await admin.FillAsync("#category-add input[name=code]", own);
        await admin.FillAsync("#category-add input[name=name]", name);
        await admin.CheckAsync("#category-add input[name=countsAs][value=petition]");
        await admin.ClickAsync("#category-add button[type=submit]");
        await Expect(admin.Locator($"tr[data-code='petition.{own}'] input[name=name]")).ToHaveValueAsync(name, new() { Timeout = 10_000 });
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("categories.png"), FullPage = true });

        var (lat, lng, grid) = Reports.InsideGrid(web, 23);
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(new
            { source = "petition", category = $"petition.{own}", title = "群众集体反映征地补偿", lat, lng })));
        var (console, consoleProblems) = await Open("duty", $"/console?jurisdiction={grid}&category=petition");
        var row = console.Locator($"tr[data-incident-id='{created.Id}']");
        await Expect(row).ToContainTextAsync($"信访 › {name}", new() { Timeout = 10_000 });
        await Expect(row).Not.ToContainTextAsync($"petition.{own}");
        await Expect(console.Locator("select[name=category] option:checked")).ToHaveTextAsync("信访");
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("console-category.png"), FullPage = true });
        Assert.True(adminProblems.Count == 0 && consoleProblems.Count == 0,
            "The pages reported errors:\n" + string.Join("\n", adminProblems.Concat(consoleProblems)));
    }

    private async Task<(IPage Page, List<string> Problems)> Open(string user, string path)
    {
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, user, path);
        return (page, problems);
    }
}
