using System.Net;
using CommandCenter.Bench;

namespace CommandCenter.Faults;

/// <summary>
/// What every scenario starts from: the product's county and grids (<see cref="ProductTarget"/>), an intake
/// integration's key, a duty officer's token for the hub, and the client every request of the scenario goes through.
/// </summary>
public sealed record FaultSession(HttpClient Http, ProductTarget Product, string ApiKey, string DutyToken)
{
    /// <summary>
    /// Every request bounded: at most 10 s each, so at most rate x 10 requests are open at once, whatever a node does.
    /// </summary>
    public static HttpClient Client() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Signs in as duty (reads the county) and as admin (creates the integration "faults") at <paramref name="url"/>.</summary>
    public static async Task<FaultSession> Open(HttpClient http, Uri url, string password, CancellationToken cancellationToken)
    {
        var duty = await ProductTarget.Token(http, url, "duty", password, cancellationToken);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", duty);
        try
        {
            var product = await ProductTarget.Discover(http, url, cancellationToken);
            var admin = await ProductTarget.Token(http, url, "admin", password, cancellationToken);
            var apiKey = await ProductTarget.IntakeKey(http, url, admin, product.County, "faults", cancellationToken);
            return new FaultSession(http, product, apiKey, duty);
        }
        finally
        {
            http.DefaultRequestHeaders.Authorization = null;
        }
    }
}
