using System.Net.Http.Json;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// The whole web host (co-hosted silo, API, hub, pages) on Kestrel on a free loopback port, with the demo county,
/// against the test PostgreSQL and Redis. One per test collection.
/// </summary>
public sealed class WebFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int MaxReplay = 100;

    public string ClusterId { get; } = "web-tests-" + Guid.NewGuid().ToString("N")[..8];

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public JurisdictionDirectory Directory => Services.GetRequiredService<JurisdictionDirectory>();

    public string CountyCode => Directory.Tree!.Root.Code;

    public async Task InitializeAsync()
    {
        await TestEnvironment.EnsureSchema();
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Http.Dispose();
        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = TestEnvironment.Settings(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:SiloPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["Orleans:GatewayPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["CommandCenter:DemoCounty"] = "true",
            ["CommandCenter:Simulator:Enabled"] = "false",
            ["CommandCenter:Feeds:MaxReplay"] = MaxReplay.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
    }

    /// <summary>A SignalR client of the wall hub that records every feed message it receives.</summary>
    public async Task<WallClient> ConnectWall()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "hubs/wall"))
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
        var client = new WallClient(connection);
        await connection.StartAsync();
        return client;
    }

    public async Task<long> Head(string code) =>
        (await Http.GetFromJsonAsync<FeedPage>($"/api/feeds/{code}?after=0&limit=1", Json.Options))!.Head;
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
