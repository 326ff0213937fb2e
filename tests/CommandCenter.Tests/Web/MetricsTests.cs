using System.Net;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Hosting;

namespace CommandCenter.Tests.Web;

/// <summary>The Prometheus scrape endpoint: what it exports after real traffic, and who may read it.</summary>
[Collection(WebCollection.Name)]
public sealed class MetricsTests(WebFixture web)
{
    [Fact]
    public async Task An_administrator_scrapes_the_products_orleans_http_npgsql_and_runtime_metrics_others_are_refused()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 41);
        await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "指标测试"))));

        using var scrape = await web.Admin.GetAsync(Telemetry.MetricsPath);
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType!.MediaType);
        Assert.Contains("cc_group_commit_duration_milliseconds_bucket{", text);
        Assert.Contains("what=\"incident changes\"", text);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("http_route=\"/api/incidents/\"", text);
        Assert.Contains("db_client_operation_duration_seconds", text);
        Assert.Contains("dotnet_gc_collections", text);
        Assert.Contains("orleans_catalog_activations", text);
        // Npgsql names its pools by their connection string: never with the password.
        Assert.Contains("db_client_connection_count{", text);
        Assert.DoesNotContain("Password=", text, StringComparison.OrdinalIgnoreCase);

        using var duty = await web.Http.GetAsync(Telemetry.MetricsPath);
        Assert.Equal(HttpStatusCode.Forbidden, duty.StatusCode);
        using var anonymous = await new HttpClient { BaseAddress = web.BaseAddress }.GetAsync(Telemetry.MetricsPath);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("cc_", await anonymous.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("10.20.0.5", "10.20.0.5", true)]
    [InlineData("10.20.0.5", "10.20.0.6", false)]
    [InlineData("10.20.0.0/24", "10.20.0.200", true)]
    [InlineData("10.20.0.0/24", "10.20.1.1", false)]
    [InlineData("10.20.0.0/24", "::ffff:10.20.0.7", true)]
    [InlineData("fd00::/8", "fd00::1", true)]
    [InlineData("", "127.0.0.1", false)]
    public void Scrapers_are_let_in_by_address_or_network(string allowed, string from, bool expected)
    {
        var options = new TelemetryOptions { ScrapeFrom = allowed.Length == 0 ? [] : [allowed] };

        Assert.True(options.IsValid());
        Assert.Equal(expected, options.MayScrape(IPAddress.Parse(from)));
    }

    [Fact]
    public void A_scraper_entry_that_is_no_address_is_invalid()
    {
        Assert.False(new TelemetryOptions { ScrapeFrom = ["prometheus.local"] }.IsValid());
        Assert.False(new TelemetryOptions { ScrapeFrom = ["10.20.0.0/40"] }.IsValid());
        Assert.False(new TelemetryOptions().MayScrape(null));
    }
}
