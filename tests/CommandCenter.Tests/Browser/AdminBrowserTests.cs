using System.Text;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Geography;
using CommandCenter.Tests.Web;
using CommandCenter.Web.Application;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The administrator's page in a real browser: a county file with one grid traced a little off is checked (a dry run,
/// nothing changes), refused without repair with the grid red on the map, and shown repaired (amber) with repair, the
/// file's names as text; a people list with a bad row is refused naming it; the accounts are listed by name and role
/// and a new one appears once made; an integration's key is shown once; a station is refused the page. A file that
/// splits a grid is refused until the successors are named, and then shows who and what would move, by name. An area
/// is found by name, shown on the map, renamed (the name as text) and, a grid, moved to a neighbouring village. A
/// camera is found and renamed, its stream address kept.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AdminBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task The_administrator_checks_a_county_file_and_sees_what_would_be_refused_and_what_repaired()
    {
        var before = web.Directory.Version;
        var (file, _, grid) = await CountyFiles.WithGridShifted(web, 7, name: "<b>重描网格</b>");
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "admin", "/admin");
        await Expect(page.Locator("h1")).ToHaveTextAsync("系统管理");
        await Expect(page.Locator(".admin-summary")).ToContainTextAsync(web.Directory.Tree!.Root.Name);
        await page.SetInputFilesAsync("#admin-import-form input[name=file]",
            new FilePayload { Name = "白银区.geojson", MimeType = "application/geo+json", Buffer = Encoding.UTF8.GetBytes(file.ToJsonString()) });

        await page.UncheckAsync("#admin-import-form input[name=repair]");
        await page.ClickAsync("#admin-import-form button[type=submit]");
        await Expect(page.Locator("#admin-import-state")).ToContainTextAsync("无法导入", new() { Timeout = 30_000 });
        await Expect(page.Locator("#admin-problems li").First).ToContainTextAsync("repair=true");
        await Expect(page.Locator("#admin-import-map path[stroke='#ff5c5c']").First).ToBeAttachedAsync();
        await Expect(page.Locator("#admin-import-apply")).ToBeDisabledAsync();

        await page.CheckAsync("#admin-import-form input[name=repair]");
        await page.ClickAsync("#admin-import-form button[type=submit]");
        await Expect(page.Locator("#admin-import-state")).ToContainTextAsync("可以导入", new() { Timeout = 30_000 });
        var row = page.Locator("#admin-repairs tbody tr", new() { HasText = "裁去越出上级的部分" }).First;
        await Expect(row.Locator("th")).ToHaveTextAsync("<b>重描网格</b>");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(web.Directory.Tree.NameOf(grid.ParentCode!));
        await Expect(page.Locator("#admin-repairs b")).ToHaveCountAsync(0);
        await row.ClickAsync();
        await Expect(page.Locator("#admin-import-map path[stroke='#ffb74d']").First).ToBeAttachedAsync();
        await Expect(page.Locator("#admin-problem-count")).ToHaveTextAsync("0");
        await Expect(page.Locator("#admin-import-apply")).ToBeEnabledAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("admin-import.png"), FullPage = true });
        Assert.Equal(before, web.Directory.Version);

        // A people list with a grid that is none: refused whole, the row named.
        await page.SetInputFilesAsync("#admin-people input[name=file]", new FilePayload
        {
            Name = "人员名单.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("编号,姓名,角色,网格,电话\nP-nope,某人,网格员,NOPE,\n"),
        });
        await page.ClickAsync("#admin-people button[type=submit]");
        await Expect(page.Locator("#admin-people .admin-table-state")).ToHaveTextAsync("未导入,文件中的问题:");
        await Expect(page.Locator("#admin-people .admin-problems li").First).ToContainTextAsync("rows[1].grid");
        Assert.Null(web.Directory.Worker("P-nope"));
        await Expect(page.Locator("#admin-people .admin-people-accounts")).ToBeHiddenAsync();

        // A good list naming a new account for a grid worker: the account's first password is shown this once.
        var worker = web.Directory.WorkersIn(web.Directory.Tree!.ChildrenOf(web.CountyCode)[^1].Code).First(w => w.Role == CommandCenter.Geography.WorkerRole.GridWorker);
        var login = "gw-" + Guid.NewGuid().ToString("N")[..6];
        await page.SetInputFilesAsync("#admin-people input[name=file]", new FilePayload
        {
            Name = "网格员账号.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"编号,姓名,角色,网格,账号\n{worker.Id},{worker.Name},网格员,{worker.GridCode},{login}\n"),
        });
        await page.ClickAsync("#admin-people button[type=submit]");
        await Expect(page.Locator("#admin-people .admin-table-state")).ToHaveTextAsync("已导入 1 条。");
        var created = page.Locator($"#admin-people .admin-people-accounts tr[data-username='{login}'] td");
        await Expect(created.Nth(1)).ToHaveTextAsync(worker.Name);
        await Expect(created.Nth(3)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z0-9]{16}$"));

        // Accounts by name and role; a new duty officer's account appears after it is made.
        var admin = page.Locator("#admin-account-list tr[data-username=admin] td");
        await Expect(admin.Nth(2)).ToHaveTextAsync("系统管理员");
        await Expect(admin.Nth(3)).ToHaveTextAsync(web.Directory.Tree.Root.Name);
        var username = "duty-" + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#admin-account-form input[name=username]", username);
        await page.FillAsync("#admin-account-form input[name=displayName]", "夜班值班员");
        await page.SelectOptionAsync("#admin-account-form select[name=role]", "dutyOfficer");
        await page.FillAsync("#admin-account-form input[name=jurisdictions]", web.CountyCode);
        await page.FillAsync("#admin-account-form input[name=password]", "night-shift-2026");
        await page.ClickAsync("#admin-account-form button[type=submit]");
        await Expect(page.Locator($"#admin-account-list tr[data-username='{username}'] td").Nth(1)).ToHaveTextAsync("夜班值班员", new() { Timeout = 10_000 });
        var gateway = "gw-" + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#admin-integration-form input[name=name]", gateway);
        await page.CheckAsync("#admin-integration-form input[name=sources][value=hotline12345]");
        await page.ClickAsync("#admin-integration-form button[type=submit]");
        await Expect(page.Locator("#admin-integration-key")).ToBeVisibleAsync();
        await Expect(page.Locator("#admin-integration-key")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\S{20,}$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("admin.png"), FullPage = true });
        await page.ReloadAsync();
        await Expect(page.Locator($"#admin-integration-list tr[data-name='{gateway}'] td").Nth(2)).ToHaveTextAsync("12345热线");
        await Expect(page.Locator("#admin-integration-key")).ToBeHiddenAsync();
        // The refused list's 400 is the browser's own log line; nothing else may be.
        var unexpected = problems.Where(p => !(p.Contains("status of 400") && p.Contains("/api/workers/import"))).ToList();
        Assert.True(unexpected.Count == 0, "The page reported errors:\n" + string.Join("\n", unexpected));

        var (station, _) = await _chromium.NewPage(new BrowserNewContextOptions());
        await WallBrowserTests.SignIn(station, web.BaseAddress, "station-1", "/");
        var refused = await station.GotoAsync(new Uri(web.BaseAddress, "/admin").ToString());
        Assert.Equal(403, refused!.Status);
        await Expect(station.Locator(".console-refusal")).ToHaveTextAsync("只有系统管理员可以管理辖区。");
    }

    [Fact]
    public async Task A_file_that_splits_a_grid_shows_the_successors_by_name_and_what_would_move_to_them()
    {
        var before = web.Directory.Version;
        var grid = web.Directory.Tree!.All.Last(j => j.Level == CommandCenter.Geography.JurisdictionLevel.Grid);
        var (file, west, east) = await CountyFiles.WithGridSplit(web, grid);
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "admin", "/admin");
        await page.SetInputFilesAsync("#admin-import-form input[name=file]",
            new FilePayload { Name = "白银区(拆分).geojson", MimeType = "application/geo+json", Buffer = Encoding.UTF8.GetBytes(file.ToJsonString()) });

        await page.ClickAsync("#admin-import-form button[type=submit]");
        await Expect(page.Locator("#admin-import-state")).ToContainTextAsync("无法导入", new() { Timeout = 30_000 });
        await Expect(page.Locator("#admin-problems li").First).ToContainTextAsync($"{grid.Code} is missing from the new tree");
        await Expect(page.Locator("#admin-successions")).ToBeHiddenAsync();

        await page.FillAsync("#admin-import-form textarea[name=successors]", $"{grid.Code}={west.Code}\n{grid.Code}={east.Code}");
        await page.ClickAsync("#admin-import-form button[type=submit]");
        await Expect(page.Locator("#admin-import-state")).ToContainTextAsync("可以导入", new() { Timeout = 30_000 });
        var rows = page.Locator("#admin-succession-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("th")).ToHaveTextAsync(grid.Name);
        await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync($"{grid.Name}(西)");
        await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync($"{grid.Name}(东)");
        await Expect(page.Locator("#admin-moves")).ToContainTextAsync($"将移交 {web.Directory.WorkersIn(grid.Code).Count} 名人员");
        await page.Locator("#admin-successions").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("admin-successors.png"), FullPage = true });
        Assert.Equal(before, web.Directory.Version);
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task The_administrator_finds_a_grid_sees_it_on_the_map_renames_it_and_moves_it_to_a_neighbouring_village()
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(web.CountyCode)[^2];
        Jurisdiction? grid = null;
        JurisdictionItem? neighbour = null;
        foreach (var candidate in tree.Within(township.Code, CommandCenter.Geography.JurisdictionLevel.Grid).Where(g => tree.ChildrenOf(g.ParentCode!).Count > 1))
        {
            var neighbours = (await web.Http.GetFromJsonAsync<List<JurisdictionItem>>($"/api/jurisdictions/{candidate.Code}/neighbours", Json.Options))!;
            if (neighbours.Count == 0)
                continue;
            (grid, neighbour) = (candidate, neighbours[0]);
            break;
        }
        Assert.NotNull(grid);
        var original = await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson");
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        try
        {
            await WallBrowserTests.SignIn(page, web.BaseAddress, "admin", "/admin");
            await Expect(page.Locator("#admin-tree-editor")).ToHaveAttributeAsync("data-ready", "true");
            await page.FillAsync("#admin-tree-search", grid.Name);
            var found = page.Locator($"#admin-tree-found li[data-code='{grid.Code}']");
            await Expect(found.Locator(".admin-tree-where")).ToContainTextAsync(tree.NameOf(grid.ParentCode!));
            await found.Locator("button").ClickAsync();
            await Expect(page.Locator("#admin-tree-selected .admin-tree-title")).ToHaveTextAsync(grid.Name);
            await Expect(page.Locator("#admin-tree-map")).ToHaveAttributeAsync("data-code", grid.Code);
            await Expect(page.Locator("#admin-tree-map path[stroke='#ffb74d']")).ToHaveCountAsync(1);
            await Expect(page.Locator($"#admin-tree-form select[name=parentCode] option[value='{neighbour!.Code}']")).ToHaveTextAsync(
                $"{neighbour.Name}({tree.NameOf(neighbour.ParentCode!)})");

            await page.FillAsync("#admin-tree-form input[name=name]", "<i>新网格</i>");
            await page.SelectOptionAsync("#admin-tree-form select[name=parentCode]", neighbour.Code);
            await page.ClickAsync("#admin-tree-form button[type=submit]");
            await Expect(page.Locator("#admin-tree-state")).ToHaveTextAsync($"已调整到 {neighbour.Name}。", new() { Timeout = 60_000 });
            await Expect(page.Locator("#admin-tree-selected .admin-tree-title")).ToHaveTextAsync("<i>新网格</i>");
            await Expect(page.Locator("#admin-tree-selected .admin-tree-level")).ToContainTextAsync(neighbour.Name);
            await Expect(page.Locator("#admin-tree-selected i")).ToHaveCountAsync(0);
            Assert.Equal(neighbour.Code, web.Directory.Tree!.Find(grid.Code)!.ParentCode);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("admin-tree.png"), FullPage = true });
            Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));
        }
        finally
        {
            using var restore = await web.Admin.PostAsync("/api/jurisdictions/import", new ByteArrayContent(original));
            Assert.Equal(System.Net.HttpStatusCode.OK, restore.StatusCode);
        }
        Assert.Equal(grid.ParentCode, web.Directory.Tree!.Find(grid.Code)!.ParentCode);
    }

    [Fact]
    public async Task The_administrator_finds_a_camera_and_renames_it_keeping_its_stream()
    {
        var camera = web.Directory.CamerasIn(web.CountyCode)[^5];
        var store = web.Services.GetRequiredService<CommandCenter.Jurisdictions.JurisdictionStore>();
        var stream = await store.StreamUrlOf(camera.Id);
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, "admin", "/admin");
        await Expect(page.Locator("#admin-camera-editor")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });

        await page.FillAsync("#admin-camera-search", camera.Name);
        var found = page.Locator($"#admin-camera-found li[data-id='{camera.Id}']");
        await Expect(found.Locator(".admin-tree-where")).ToContainTextAsync(web.Directory.Tree!.NameOf(camera.GridCode));
        await found.Locator("button").ClickAsync();
        await Expect(page.Locator("#admin-camera-selected .admin-tree-title")).ToHaveTextAsync(camera.Name);
        await page.FillAsync("#admin-camera-form input[name=name]", "<b>东门</b>摄像头");
        await page.ClickAsync("#admin-camera-form button[type=submit]");
        await Expect(page.Locator("#admin-camera-state")).ToHaveTextAsync("已保存。", new() { Timeout = 15_000 });
        await Expect(page.Locator("#admin-camera-selected .admin-tree-title")).ToHaveTextAsync("<b>东门</b>摄像头");
        await Expect(page.Locator("#admin-camera-editor b")).ToHaveCountAsync(0);
        await page.Locator("#admin-cameras").ScreenshotAsync(new LocatorScreenshotOptions { Path = WallBrowserTests.Screenshot("admin-cameras.png") });
        Assert.Equal("<b>东门</b>摄像头", web.Directory.Camera(camera.Id)!.Name);
        Assert.Equal(stream, await store.StreamUrlOf(camera.Id));

        await page.FillAsync("#admin-camera-form input[name=lat]", "0");
        await page.ClickAsync("#admin-camera-form button[type=submit]");
        await Expect(page.Locator("#admin-camera-state")).ToContainTextAsync("未保存", new() { Timeout = 15_000 });
        Assert.Equal(camera.GridCode, web.Directory.Camera(camera.Id)!.GridCode);
        using (var restore = await web.Admin.PutAsJsonAsync($"/api/cameras/{camera.Id}", new { name = camera.Name, lat = camera.Latitude, lng = camera.Longitude }))
            Assert.Equal(System.Net.HttpStatusCode.OK, restore.StatusCode);
        var unexpected = problems.Where(p => !(p.Contains("status of 400") && p.Contains("/api/cameras/"))).ToList();
        Assert.True(unexpected.Count == 0, "The page reported errors:\n" + string.Join("\n", unexpected));
    }
}
