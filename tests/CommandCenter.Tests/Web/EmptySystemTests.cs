using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Access;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>
/// A county's first day, not in demo mode (#19): the whole web host on a database of its own with no county and one
/// administrator made as <c>create-admin</c> makes one. The tree answers an empty list, /admin says what to do first,
/// and the county's first file imports; then the county joins a city (市域社会治理) with a second county.
/// </summary>
public sealed class EmptySystemFixture : TestWebHost, IAsyncLifetime
{
    public const string Username = "first-admin";
    public static readonly string Password = TestSecrets.Of("empty-" + Guid.NewGuid().ToString("N"));

    private string _postgres = null!;

    /// <summary>The connection string of this host's own database.</summary>
    public string Postgres => _postgres;

    public async Task InitializeAsync()
    {
        _postgres = await TestEnvironment.FreshDatabase("commandcenter_empty");
        await using (var db = NpgsqlDataSource.Create(_postgres))
            Assert.True(await new AccountStore(db).Create(new NewAccount(Username, "系统管理员", Role.Administrator, [], null), Authenticator.Hash(Password)));
        StartOnLoopback();
    }

    /// <summary>A client signed in as the administrator (a bearer token from POST /api/auth/token).</summary>
    public Task<HttpClient> Administrator() => SignedIn(Username);

    /// <summary>A client signed in with a bearer token as an account whose password is <see cref="Password"/>.</summary>
    public async Task<HttpClient> SignedIn(string username)
    {
        var accessToken = await SignIn(username, Password);
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseNodeSettings(builder, "empty", "empty-tests-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _postgres,
            ["CommandCenter:DemoCounty"] = "false",
        });
    }
}

[CollectionDefinition(Name)]
public sealed class EmptySystemCollection : ICollectionFixture<EmptySystemFixture>
{
    public const string Name = "empty system";
}

[Collection(EmptySystemCollection.Name)]
public sealed class EmptySystemTests(EmptySystemFixture empty)
{
    private static string Rect(double x0, double x1) =>
        FormattableString.Invariant($"[[[{x0},36.00],[{x1},36.00],[{x1},36.01],[{x0},36.01],[{x0},36.00]]]");

    private static string Feature(string code, string name, string level, string? parent, double x0, double x1) =>
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"" + code + "\",\"name\":\"" + name + "\",\"level\":\"" + level + "\",\"parentCode\":"
        + (parent is null ? "null" : "\"" + parent + "\"") + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + Rect(x0, x1) + "}}";

    /// <summary>The city 新市 over [104.00, 104.04]: the first county (104.00–104.02) and a second one, 东县, east of it.</summary>
    private static string City() => """{"type":"FeatureCollection","features":[""" + string.Join(",",
        Feature("9901", "新市", "市", null, 104.00, 104.04),
        Feature("990101", "新县", "county", "9901", 104.00, 104.02),
        Feature("990101001", "城关镇", "township", "990101", 104.00, 104.02),
        Feature("990101001001", "东关社区", "village", "990101001", 104.00, 104.02),
        Feature("990101001001001", "东关社区第1网格", "grid", "990101001001", 104.00, 104.02),
        Feature("990102", "东县", "county", "9901", 104.02, 104.04),
        Feature("990102001", "东城镇", "township", "990102", 104.02, 104.04),
        Feature("990102001001", "东城社区", "village", "990102001", 104.02, 104.04),
        Feature("990102001001001", "东城社区第1网格", "grid", "990102001001", 104.02, 104.04)) + "]}";

    /// <summary>A county of one township, village and grid: [104.00, 104.02] × [36.00, 36.01].</summary>
    private static string County() => """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"code":"990101","name":"新县","level":"county","parentCode":null},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}},
        {"type":"Feature","properties":{"code":"990101001","name":"城关镇","level":"乡镇","parentCode":"990101"},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}},
        {"type":"Feature","properties":{"code":"990101001001","name":"东关社区","level":"village","parentCode":"990101001"},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}},
        {"type":"Feature","properties":{"code":"990101001001001","name":"东关社区第1网格","level":"网格","parentCode":"990101001001"},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}}]}
        """;

    [Fact]
    public async Task The_key_ring_in_postgresql_is_encrypted_with_the_keys_certificate()
    {
        using var signedIn = await empty.Administrator();
        await using var db = NpgsqlDataSource.Create(empty.Postgres);

        Assert.All(await KeysAtRestTests.KeyRing(db), xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("masterKey", xml);
        });
    }

    [Fact]
    public async Task The_first_day_answers_an_empty_tree_points_to_the_import_and_takes_the_countys_file()
    {
        using var admin = await empty.Administrator();

        Assert.Equal("[]", await admin.GetStringAsync("/api/jurisdictions"));
        var first = await admin.GetStringAsync("/admin");
        Assert.Contains("id=\"admin-first\"", first);
        Assert.Contains("系统中还没有辖区", first);
        using (var people = await admin.PostAsync("/api/workers/import", new StringContent("编号,姓名,角色,网格\nP-1,张三,网格员,990101001001001\n", Encoding.UTF8, "text/csv")))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, people.StatusCode);
        using (var unknown = await admin.GetAsync("/api/jurisdictions/990101"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using (var imported = await admin.PostAsync("/api/jurisdictions/import", new StringContent(County(), Encoding.UTF8, "application/geo+json")))
        {
            var text = await imported.Content.ReadAsStringAsync();
            Assert.True(imported.StatusCode == HttpStatusCode.OK, text);
            Assert.True(System.Text.Json.JsonSerializer.Deserialize<JurisdictionImportSummary>(text, Json.Options)!.Applied);
        }
        var tree = (await admin.GetFromJsonAsync<List<JurisdictionItem>>("/api/jurisdictions", Json.Options))!;
        Assert.Equal(["新县", "城关镇", "东关社区", "东关社区第1网格"], tree.Select(a => a.Name));
        using (var people = await admin.PostAsync("/api/workers/import", new StringContent("编号,姓名,角色,网格\nP-1,张三,网格员,990101001001001\n", Encoding.UTF8, "text/csv")))
            Assert.Equal(HttpStatusCode.OK, people.StatusCode);
        var audit = (await admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?action={AuditActions.ImportJurisdictions}", Json.Options))!;
        Assert.Equal(Caller.UserId(EmptySystemFixture.Username), Assert.Single(audit).Actor);

        // The county joins a city with a second county: no code is dropped, so no successors are needed.
        using (var joined = await admin.PostAsync("/api/jurisdictions/import", new StringContent(City(), Encoding.UTF8, "application/geo+json")))
            Assert.True(joined.StatusCode == HttpStatusCode.OK, await joined.Content.ReadAsStringAsync());
        Assert.Equal("9901", (await admin.GetFromJsonAsync<List<JurisdictionItem>>("/api/jurisdictions", Json.Options))![0].Code);
        Assert.Equal("P-1", Assert.Single(empty.Services.GetRequiredService<CommandCenter.Jurisdictions.JurisdictionDirectory>().WorkersIn("9901")).Id);
        await CreateAccount(admin, "city-duty", Role.DutyOfficer, "9901");
        await CreateAccount(admin, "east-station", Role.TownshipStation, "990102001");
        using var cityDuty = await empty.SignedIn("city-duty");
        using var station = await empty.SignedIn("east-station");
        Assert.Equal(9, (await cityDuty.GetFromJsonAsync<List<JurisdictionItem>>("/api/jurisdictions", Json.Options))!.Count);
        Assert.Equal(["990102001", "990102001001", "990102001001001"],
            (await station.GetFromJsonAsync<List<JurisdictionItem>>("/api/jurisdictions", Json.Options))!.Select(a => a.Code));
        using (var refused = await station.GetAsync("/api/reports/990101/monthly-ready"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The city's zero reports (none due without a sensitive period) and its counties' walls answer.
        using (var zero = await cityDuty.GetAsync("/api/zero-reports?jurisdiction=9901"))
            Assert.Equal(HttpStatusCode.OK, zero.StatusCode);
        using (var wall = await cityDuty.GetAsync("/wall/990102"))
            Assert.Equal(HttpStatusCode.OK, wall.StatusCode);

        // The city receives its counties' monthly reports; the job builds theirs and their townships'.
        var job = empty.Services.GetRequiredService<CommandCenter.Web.Hosting.MonthlyReportJob>();
        Assert.Equal(4, await job.BuildDue(DateTimeOffset.Parse("2026-12-20T00:10:00+08:00")));
        var ready = (await cityDuty.GetFromJsonAsync<MonthlyReadiness>("/api/reports/9901/monthly-ready?month=2026-11", Json.Options))!;
        Assert.Equal([("990101", "新县", true), ("990102", "东县", true)], ready.Units.Select(u => (u.Code, u.Name, u.Ready)));
        // The console shows the latest month due by the host's clock.
        await job.BuildDue(empty.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        await using var chromium = await Browser.Chromium.Launch();
        var (page, problems) = await chromium.NewPage(new Microsoft.Playwright.BrowserNewContextOptions
        {
            ViewportSize = new Microsoft.Playwright.ViewportSize { Width = 1400, Height = 900 },
        });
        await Browser.WallBrowserTests.SignIn(page, empty.BaseAddress, "city-duty", "/", EmptySystemFixture.Password);
        await Microsoft.Playwright.Assertions.Expect(page.Locator("main")).ToContainTextAsync("东县");
        await page.ScreenshotAsync(new() { Path = Browser.WallBrowserTests.Screenshot("city-home.png"), FullPage = true });
        await page.GotoAsync(new Uri(empty.BaseAddress, "/console?jurisdiction=9901").ToString());
        var monthly = page.Locator("#console-monthly li[data-code='990102']");
        await Microsoft.Playwright.Assertions.Expect(monthly).ToContainTextAsync("东县");
        await Microsoft.Playwright.Assertions.Expect(monthly.Locator("a")).ToHaveTextAsync("已生成 · 下载");
        await page.ScreenshotAsync(new() { Path = Browser.WallBrowserTests.Screenshot("city-console.png"), FullPage = true });
        // The city's wall names its counties.
        await page.GotoAsync(new Uri(empty.BaseAddress, "/wall/9901").ToString());
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".wall-label-county")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".wall-label-county", new() { HasText = "东县" })).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Browser.WallBrowserTests.Screenshot("city-wall.png") });
        Assert.True(problems.Count == 0, "The pages reported errors:\n" + string.Join("\n", problems));
    }

    private static async Task CreateAccount(HttpClient admin, string username, Role role, string jurisdiction)
    {
        using var created = await admin.PostAsJsonAsync("/api/accounts", new
        {
            username, displayName = username, role = Json.Word(role), jurisdictions = new[] { jurisdiction }, password = EmptySystemFixture.Password,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created || created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
    }
}
