using System.Collections.Concurrent;
using System.Diagnostics;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Hosting;

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
            ShouldListenTo = source => Telemetry.Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var (lat, lng, _) = Reports.InsideGrid(web, 5);
        // A feed activated by a commit reads that commit's entries as its head and pushes only later ones: one report
        // first, so that the traced one is pushed by feeds already active.
        await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "先报一条"))));

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
