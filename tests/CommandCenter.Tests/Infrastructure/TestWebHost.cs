using System.Net;
using System.Net.Http.Json;
using CommandCenter.Web.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// The whole web host of a test (co-hosted silo, API, hub, pages) on Kestrel on a free loopback port: how each test
/// host starts, finds its address and gets the settings every test node has.
/// </summary>
public abstract class TestWebHost : WebApplicationFactory<Program>
{
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the host on a free loopback port (its <see cref="BaseAddress"/>) and on the fixed ports <paramref name="alsoOn"/>.</summary>
    protected void StartOnLoopback(params int[] alsoOn)
    {
        UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            foreach (var port in alsoOn)
                o.Listen(IPAddress.Loopback, port);
        });
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !alsoOn.Any(port => a.EndsWith($":{port}", StringComparison.Ordinal)));
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    /// <summary>A new bearer token of an account from this host's POST /api/auth/token, recorded as a secret of the run.</summary>
    public async Task<string> SignIn(string username, string password)
    {
        using var anonymous = new HttpClient { BaseAddress = BaseAddress };
        using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in as {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return TestSecrets.Of((await response.Content.ReadFromJsonAsync<AuthApi.TokenResponse>(Json.Options))!.AccessToken);
    }

    /// <summary>
    /// Gives the host, named <paramref name="host"/> in the run's log, what every test node has (a node of
    /// <paramref name="clusterId"/> on free Orleans ports, no simulator, the test Janus, only warnings on the console:
    /// <see cref="TestEnvironment.UseSettings"/>), then <paramref name="own"/>.
    /// </summary>
    protected static void UseNodeSettings(IWebHostBuilder builder, string host, string clusterId, IDictionary<string, string?> own)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:SiloPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["Orleans:GatewayPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["CommandCenter:Simulator:Enabled"] = "false",
            ["CommandCenter:Video:Janus"] = TestEnvironment.Janus.ToString(),
            ["CommandCenter:Video:SecretsFile"] = TestEnvironment.JanusSecretsFile,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in own)
            settings[key] = value;
        TestEnvironment.UseSettings(builder, host, settings);
    }
}
