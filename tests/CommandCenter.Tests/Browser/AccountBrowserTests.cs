using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CommandCenter.Access;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// One's own account and an account's lifecycle in a real browser (#20): the account page lists where one is signed in
/// and ends another device's sign-in; an administrator disables the account, and the wall that was open on it goes to
/// the sign-in page saying why; the administrator's page shows the account disabled and enables it again, then changes
/// its role and area from its row, which ends the sign-ins it had.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AccountBrowserTests(WebFixture web) : IAsyncLifetime
{
    private static readonly string Password = TestSecrets.Of("browser-secret-2026");

    private Chromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task A_person_ends_another_devices_sign_in_a_disabled_accounts_wall_goes_to_the_sign_in_page_and_a_changed_role_ends_its_sign_ins()
    {
        var username = "b-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await web.Admin.PostAsJsonAsync("/api/accounts", new
        {
            username, displayName = "浏览器测试值班员", role = "dutyOfficer", jurisdictions = new[] { web.CountyCode }, password = Password,
        }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var phone = await Token(username);

        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await WallBrowserTests.SignIn(page, web.BaseAddress, username, "/account", Password);
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的账户");
        await Expect(page.Locator(".account-who")).ToContainTextAsync(web.Directory.Tree!.Root.Name);
        var rows = page.Locator("#account-sessions tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "当前" })).ToContainTextAsync("网页");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("account.png"), FullPage = true });

        // The phone's sign-in ended from here: its row goes, and the phone is refused.
        await rows.Filter(new() { HasText = "客户端令牌" }).Locator(".account-end").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        using (var onPhone = new HttpClient { BaseAddress = web.BaseAddress })
        {
            onPhone.DefaultRequestHeaders.Authorization = new("Bearer", phone);
            Assert.Equal(HttpStatusCode.Unauthorized, (await onPhone.GetAsync("/api/auth/sessions")).StatusCode);
        }

        // The wall is open on the account when an administrator disables it: within the sweep it is at the sign-in page, told why.
        await page.GotoAsync(new Uri(web.BaseAddress, "/wall").ToString());
        await Expect(page.Locator("#wall-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });
        using (var disabled = await web.Admin.PostAsync($"/api/accounts/{username}/disable", null))
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?.*ended=accountDisabled"), new() { Timeout = 20_000 });
        await Expect(page.Locator(".signin-ended")).ToHaveTextAsync("账户已停用。");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("signin-ended.png") });

        // The administrator sees it disabled, and enables it from its row.
        var (admin, adminProblems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await WallBrowserTests.SignIn(admin, web.BaseAddress, "admin", "/admin");
        var row = admin.Locator($"#admin-account-list tr[data-username='{username}']");
        await Expect(row).ToContainTextAsync("已停用");
        await Expect(admin.Locator("#admin-account-list tr[data-username='admin'] .admin-account-action")).ToHaveCountAsync(0);
        await row.ScrollIntoViewIfNeededAsync();
        await admin.Locator("#admin-accounts").ScreenshotAsync(new LocatorScreenshotOptions { Path = WallBrowserTests.Screenshot("admin-accounts.png") });
        await row.Locator(".admin-account-action[data-action=enable]").ClickAsync();
        await Expect(row.Locator(".admin-row-state")).ToHaveTextAsync("已启用");
        await Expect(admin.Locator($"#admin-account-list tr[data-username='{username}']")).ToContainTextAsync("正常", new() { Timeout = 10_000 });
        var signedIn = await Token(username);

        // The administrator makes it a township's station from its row: the row shows the new role and area, and the sign-in it had ends.
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[0];
        var edit = admin.Locator("#admin-account-edit");
        await Expect(edit).ToBeHiddenAsync();
        await row.Locator(".admin-account-edit").ClickAsync();
        await Expect(edit.Locator("[name=jurisdictions]")).ToHaveValueAsync(web.CountyCode);
        await Expect(edit.Locator("[name=role]")).ToHaveValueAsync("dutyOfficer");
        await edit.Locator("[name=role]").SelectOptionAsync("townshipStation");
        await edit.Locator("[name=jurisdictions]").FillAsync(township.Code);
        await edit.ScreenshotAsync(new LocatorScreenshotOptions { Path = WallBrowserTests.Screenshot("admin-account-edit.png") });
        await edit.Locator("button[type=submit]").ClickAsync();
        await Expect(admin.Locator("#admin-account-edit-state")).ToHaveTextAsync("已保存。");
        var changed = admin.Locator($"#admin-account-list tr[data-username='{username}']");
        await Expect(changed).ToContainTextAsync(township.Name, new() { Timeout = 10_000 });
        await Expect(changed).ToContainTextAsync(RoleNames.Chinese(Role.TownshipStation));
        using (var before = new HttpClient { BaseAddress = web.BaseAddress })
        {
            before.DefaultRequestHeaders.Authorization = new("Bearer", signedIn);
            Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/auth/sessions")).StatusCode);
        }
        Assert.DoesNotContain(problems, p => !p.Contains("401"));
        Assert.Empty(adminProblems);
    }

    private Task<string> Token(string username) => web.SignIn(username, Password);
}
