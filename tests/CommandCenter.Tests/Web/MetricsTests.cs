using System.Globalization;
using System.Net;
using System.Text;
using CommandCenter.Cameras;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

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
        // A camera whose stream refuses connections: one probe and one snapshot's capture of it fail.
        var port = TestEnvironment.FreeTcpPort();
        var camera = "M-" + Guid.NewGuid().ToString("N")[..8];
        using var imported = await web.Admin.PostAsync("/api/cameras/import",
            new StringContent($"id,name,lat,lng,streamUrl\n{camera},指标测试,{lat},{lng},http://127.0.0.1:{port}/live.m3u8\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        await web.Services.GetRequiredService<IGrainFactory>().GetGrain<ICameraGrain>(camera).Probe();
        using var snapshot = await web.Http.GetAsync($"/api/cameras/{camera}/snapshot");
        Assert.Equal(HttpStatusCode.BadGateway, snapshot.StatusCode);

        // The push (and so its lag) follows the report's answer.
        var (status, type, text) = await Poll.Until(async () =>
        {
            using var scrape = await web.Admin.GetAsync(Telemetry.MetricsPath);
            return (scrape.StatusCode, scrape.Content.Headers.ContentType?.MediaType, await scrape.Content.ReadAsStringAsync());
        }, s => s.StatusCode != HttpStatusCode.OK || s.Item3.Contains("cc_feed_lag_milliseconds_bucket{"), "the feed lag in a scrape");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/plain", type);
        Assert.Contains("cc_group_commit_duration_milliseconds_bucket{", text);
        Assert.Contains("what=\"incident changes\"", text);
        Assert.True(Counted(text, "cc_reports_total", "outcome=\"created\"", "source=\"gridWorker\"") >= 1, "cc_reports_total: " + text);
        Assert.Contains("cc_feed_lag_milliseconds_bucket{", text);
        Assert.True(Counted(text, "cc_probes_total", "outcome=\"failed\"") >= 1, "cc_probes_total");
        Assert.True(Counted(text, "cc_captures_total", "outcome=\"streamFailed\"", "for=\"snapshot\"") >= 1, "cc_captures_total");
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

    /// <summary>The value of the sample of <paramref name="metric"/> that carries every one of <paramref name="labels"/>; 0 without one.</summary>
    private static double Counted(string text, string metric, params string[] labels) =>
        text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(l.Contains))
            .Select(l => double.Parse(l[(l.LastIndexOf('}') + 2)..].Split(' ')[0], CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Sum();

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
