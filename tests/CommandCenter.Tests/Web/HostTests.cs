using System.Net;
using System.Text.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Hosting;

namespace CommandCenter.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class HostTests(WebFixture web)
{
    [Fact]
    public async Task Ready_checks_postgres_redis_and_the_silo()
    {
        using var live = await web.Http.GetAsync("/health/live");
        using var ready = await web.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal(["postgres", "redis", "silo"], checks.EnumerateObject().Select(c => c.Name).Order().ToArray());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public void What_the_cluster_cannot_answer_now_is_a_503_and_bad_input_keeps_its_status()
    {
        Assert.Equal(503, WebHosting.StatusFor(new TaskCanceledException()));
        Assert.Equal(503, WebHosting.StatusFor(new TimeoutException()));
        Assert.Equal(503, WebHosting.StatusFor(new Orleans.Runtime.SiloUnavailableException()));
        Assert.Equal(503, WebHosting.StatusFor(new Npgsql.NpgsqlException()));
        Assert.Equal(413, WebHosting.StatusFor(new Microsoft.AspNetCore.Http.BadHttpRequestException("too large", 413)));
        Assert.Equal(500, WebHosting.StatusFor(new InvalidOperationException()));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_intake_and_the_ui_is_served()
    {
        var text = await web.Http.GetStringAsync("/openapi/v1.json");
        // Into the run's log file, which test.sh greps for the run's secrets.
        TestLogs.Write("web", "openapi", text);
        using var document = JsonDocument.Parse(text);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/incidents", out var incidents));
        Assert.True(incidents.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/feeds/{code}", out _));
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.True(incidents.GetProperty("post").GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.True(paths.GetProperty("/api/intake/incidents").GetProperty("post").GetProperty("security")[0].TryGetProperty("apiKey", out _));
        Assert.False(paths.GetProperty("/api/auth/token").GetProperty("post").TryGetProperty("security", out _));

        using var ui = await web.Http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }

    [Fact]
    public async Task The_wall_page_names_the_county_and_loads_its_module()
    {
        var html = await web.Http.GetStringAsync("/wall");

        Assert.Contains("白银区", html);
        Assert.Contains("js/wall.js", html);
        Assert.Contains("lib/leaflet/leaflet.js", html);
    }
}
