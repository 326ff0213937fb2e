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
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>
/// A county's first day, not in demo mode (#19): the whole web host on a database of its own with no county and one
/// administrator made as <c>create-admin</c> makes one. The tree answers an empty list, /admin says what to do first,
/// and the county's first file imports.
/// </summary>
public sealed class EmptySystemFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Username = "first-admin";
    public static readonly string Password = "empty-" + Guid.NewGuid().ToString("N");

    private string _postgres = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await TestEnvironment.FreshDatabase("commandcenter_empty");
        await using (var db = NpgsqlDataSource.Create(_postgres))
            Assert.True(await new AccountStore(db).Create(new NewAccount(Username, "系统管理员", Role.Administrator, [], null), Authenticator.Hash(Password)));
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    /// <summary>A client signed in as the administrator (a bearer token from POST /api/auth/token).</summary>
    public async Task<HttpClient> Administrator()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username = Username, password = Password });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = (await token.Content.ReadFromJsonAsync<AuthApi.TokenResponse>(Json.Options))!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = TestEnvironment.Settings(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _postgres,
            ["Orleans:ClusterId"] = "empty-tests-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:SiloPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["Orleans:GatewayPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["CommandCenter:DemoCounty"] = "false",
            ["CommandCenter:Simulator:Enabled"] = "false",
            ["CommandCenter:Video:Janus"] = TestEnvironment.Janus.ToString(),
            ["CommandCenter:Video:SecretsFile"] = TestEnvironment.JanusSecretsFile,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
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
    public async Task The_first_day_answers_an_empty_tree_points_to_the_import_and_takes_the_countys_file()
    {
        using var admin = await empty.Administrator();

        Assert.Equal("[]", await admin.GetStringAsync("/api/jurisdictions"));
        var page = await admin.GetStringAsync("/admin");
        Assert.Contains("id=\"admin-first\"", page);
        Assert.Contains("系统中还没有辖区", page);
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
    }
}
