using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Silo.Hosting;

namespace CommandCenter.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class TracingTests(WebFixture web)
{
    /// <summary>
    /// A report sent in a trace of its own is followed to the hub: its POST's trace reaches the incident commit round
    /// (a link), that round the feed round (a link), and the feed round's calls to the feed grains the pushes of the
    /// county feed (links). The spans are those the web host exports when an OTLP endpoint is configured.
    /// </summary>
    [Fact]
    public async Task One_report_is_followed_from_its_POST_to_the_push_of_its_county_feed()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => TelemetryHosting.Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var (lat, lng, _) = Reports.InsideGrid(web, 5);
        var trace = ActivityTraceId.CreateRandom();
        using var request = Reports.Post(Reports.Body(lat, lng, "追踪一条上报"));
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        await Reports.Created(await web.Http.SendAsync(request));

        Activity[] pushes = [];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pushes.Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            pushes = Follow(stopped.ToArray(), trace);
        }
        Assert.True(pushes.Length > 0, Describe(stopped.ToArray(), trace));
        Assert.All(pushes, p => Assert.Equal(ActivityStatusCode.Unset, p.Status));
        Assert.Contains(stopped, a => a.TraceId == trace && a.Source.Name == "Microsoft.AspNetCore");
        Assert.Contains(stopped, a => a.TraceId == trace && a.Source.Name == "Microsoft.Orleans.Application");
    }

    /// <summary>
    /// With an OTLP endpoint configured, a headless silo's set-up exports its spans and its metrics there: a receiver
    /// on loopback that speaks OTLP's gRPC (HTTP/2 without TLS) gets the product's span and counter, by name, when the
    /// host is disposed (the exporters flush).
    /// </summary>
    [Fact]
    public async Task With_an_OTLP_endpoint_spans_and_metrics_are_exported_over_gRPC()
    {
        var port = TestEnvironment.FreeTcpPort();
        var received = new ConcurrentQueue<(string Service, byte[] Body)>();
        var receiver = WebApplication.CreateSlimBuilder();
        receiver.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        await using var collector = receiver.Build();
        collector.MapPost("/opentelemetry.proto.collector.{service}/Export", async (string service, HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue((service, body.ToArray()));
            // An empty Export…ServiceResponse in gRPC's framing (not compressed, length 0), then the status.
            http.Response.ContentType = "application/grpc";
            await http.Response.Body.WriteAsync(new byte[5]);
            http.Response.AppendTrailer("grpc-status", "0");
        });
        await collector.StartAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryHosting.OtlpEndpointKey] = $"http://localhost:{port}" });
        builder.Services.AddCommandCenterTracing(builder.Configuration).AddCommandCenterOtlpMetrics(builder.Configuration);
        var name = $"cc.test_{Guid.NewGuid():N}";
        using (var host = builder.Build())
        {
            await host.StartAsync();
            Tracing.Source.StartActivity(name)!.Dispose();
            ProductMeter.Meter.CreateCounter<long>(name).Add(1);
            await host.StopAsync();
        }

        Assert.Contains(received, e => e.Service == "trace.v1.TraceService" && Encoding.UTF8.GetString(e.Body).Contains(name, StringComparison.Ordinal));
        Assert.Contains(received, e => e.Service == "metrics.v1.MetricsService" && Encoding.UTF8.GetString(e.Body).Contains(name, StringComparison.Ordinal));
        await collector.StopAsync();
    }

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("/v1/traces")]
    public void An_OTLP_endpoint_that_is_not_an_absolute_URL_is_refused_by_name(string endpoint)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryHosting.OtlpEndpointKey] = endpoint }).Build();
        var refused = Assert.Throws<InvalidOperationException>(() => TelemetryHosting.OtlpEndpoint(configuration));
        Assert.Contains(TelemetryHosting.OtlpEndpointKey, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The county feed's pushes reached from <paramref name="trace"/> through the links of the two commit rounds.</summary>
    private Activity[] Follow(Activity[] spans, ActivityTraceId trace)
    {
        var commits = Rounds(spans, "incident changes").Where(r => r.Links.Any(l => l.Context.TraceId == trace)).ToList();
        var feedRounds = Rounds(spans, "feed rounds")
            .Where(f => f.Links.Any(l => commits.Any(c => c.TraceId == l.Context.TraceId && c.SpanId == l.Context.SpanId))).ToList();
        return spans.Where(s => s.OperationName == "cc.feed_push" && Equals(s.GetTagItem("cc.jurisdiction"), web.CountyCode)
                && s.Links.Any(l => feedRounds.Any(f => f.TraceId == l.Context.TraceId)))
            .ToArray();
    }

    /// <summary>How far the chain from <paramref name="trace"/> reached, for a failure's message.</summary>
    private static string Describe(Activity[] spans, ActivityTraceId trace)
    {
        var commits = Rounds(spans, "incident changes").Where(r => r.Links.Any(l => l.Context.TraceId == trace)).ToList();
        return $"spans of the report's trace: {string.Join(", ", spans.Where(s => s.TraceId == trace).Select(s => s.OperationName))}; "
            + $"commit rounds linked to it: {commits.Count}; rounds in all: {string.Join(", ", spans.Where(s => s.OperationName == "cc.group_commit").Select(s => $"{s.GetTagItem("cc.what")} ({s.Links.Count()} links)"))}; "
            + $"pushes: {spans.Count(s => s.OperationName == "cc.feed_push")}";
    }

    private static IEnumerable<Activity> Rounds(Activity[] spans, string what) =>
        spans.Where(s => s.OperationName == "cc.group_commit" && Equals(s.GetTagItem("cc.what"), what));
}
