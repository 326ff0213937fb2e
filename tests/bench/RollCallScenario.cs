using System.Globalization;
using System.Text.Json;
using CommandCenter.Web.Video;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace CommandCenter.Bench;

/// <summary>
/// The roll-call part of the video scenario (#17): the consoles (<c>/console</c>) of the stations <c>station-1</c> …
/// signed in, one headless Chromium page each, answering as soon as they ring (a click on 应答 the moment the banner
/// shows); the commander calls them all (<c>POST /api/roll-calls</c>) --roll-calls times, one after the other. Per
/// station and roll call, the product's own figures: call → delivered (the start to the page's report that it rings:
/// the hub notice, the page's GET and POST) and call → first frame (the start to the media server's first frame of
/// the station, Janus' time from its event handler). The baseline, in the same run: as many pages straight to Janus
/// (no ring, no ticket, no proxy), each told at once to publish into a room of the bench's, call → the moment Janus
/// tells the page it receives its video.
/// </summary>
public static class RollCallScenario
{
    /// <summary>Clicks 应答 as soon as a roll call rings on the console.</summary>
    private const string AutoAnswer = """
        () => new MutationObserver(() => document.querySelector('#console-roll-call .roll-call[data-state=ringing] .roll-call-answer')?.click())
            .observe(document.body, { subtree: true, childList: true })
        """;

    /// <summary>Tells a baseline page to publish and answers the milliseconds until Janus receives its video (−1 after 60 s).</summary>
    private const string PublishToFirstFrame = """
        async (join) => {
            window.benchFirstFrame = undefined;
            const t0 = performance.now();
            window.benchJoin(...join, false);
            while (window.benchFirstFrame === undefined) {
                if (performance.now() - t0 > 60000) return -1;
                await new Promise(r => setTimeout(r, 5));
            }
            return window.benchFirstFrame - t0;
        }
        """;

    public static async Task<int> Run(HttpClient http, Uri baseUrl, string commanderToken, string password, IBrowser browser, IReadOnlyList<string> stations,
        VideoBenchOptions options, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine($"Roll call (视频点名): {options.RollCalls} roll call(s) of {stations.Count} township stations, each console answering as soon as it rings");
        var pages = new List<IPage>();
        for (var i = 0; i < stations.Count; i++)
        {
            var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" })).NewPageAsync();
            await page.GotoAsync(new Uri(baseUrl, "/signin?ReturnUrl=/console").ToString());
            await page.FillAsync("#signin-username", $"station-{i + 1}");
            await page.FillAsync("#signin-password", password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForSelectorAsync("#console-roll-call", new() { State = WaitForSelectorState.Attached });
            await page.EvaluateAsync(AutoAnswer);
            pages.Add(page);
        }
        // The consoles' feeds connect in the background: let them settle before the first call.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        var delivered = new List<double>();
        var answered = new List<double>();
        var missing = 0;
        for (var round = 0; round < options.RollCalls; round++)
        {
            var call = await CommandScenario.Call(http, HttpMethod.Post, new Uri(baseUrl, "/api/roll-calls"), commanderToken,
                new { stations, answerWithin = 60, title = $"bench roll call {round + 1}" }, "starting a roll call", cancellationToken,
                idempotencyKey: Guid.NewGuid().ToString("N"));
            var id = call.GetProperty("id").GetGuid();
            var report = call;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (report.GetProperty("stations").EnumerateArray().Any(s => s.GetProperty("answeredAt").ValueKind == JsonValueKind.Null)
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
                report = await CommandScenario.Call(http, HttpMethod.Get, new Uri(baseUrl, $"/api/roll-calls/{id}"), commanderToken, null, "reading the roll call",
                    cancellationToken);
            }
            var started = report.GetProperty("startedAt").GetDateTimeOffset();
            foreach (var station in report.GetProperty("stations").EnumerateArray())
            {
                if (Instant(station, "deliveredAt") is { } at)
                    delivered.Add((at - started).TotalMilliseconds);
                if (Instant(station, "answeredAt") is { } first)
                    answered.Add((first - started).TotalMilliseconds);
                else
                    missing++;
            }
            Console.Error.WriteLine($"bench: roll call {round + 1}: {report.GetProperty("counts")}");
            await CommandScenario.Call(http, HttpMethod.Post, new Uri(baseUrl, $"/api/roll-calls/{id}/end"), commanderToken, null, "ending the roll call",
                cancellationToken);
            // The consoles hang up once they hear it is over.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }
        foreach (var page in pages)
            await page.Context.CloseAsync();

        var baseline = await Baseline(browser, stations.Count, options, cancellationToken);
        Print(stations.Count * options.RollCalls, delivered, answered, missing, baseline);
        return 0;
    }

    private static async Task<(List<double> Times, int Missing)> Baseline(IBrowser browser, int stations, VideoBenchOptions options,
        CancellationToken cancellationToken)
    {
        var video = new VideoOptions { Janus = options.Janus.ToString(), SecretsFile = options.JanusSecrets };
        var janus = new JanusClient(Options.Create(video), new Lazy<JanusSecrets>(() => JanusSecrets.Load(video)), TimeProvider.System);
        var times = new List<double>();
        var missing = 0;
        for (var round = 0; round < options.RollCalls; round++)
        {
            var room = "bench-roll-" + Guid.NewGuid().ToString("N");
            var token = janus.ConnectionToken(DateTimeOffset.UtcNow.AddHours(1));
            await janus.Prepare(room, "bench roll-call baseline", token, cancellationToken);
            var pages = new List<IPage>();
            for (var i = 0; i < stations; i++)
                pages.Add(await VideoScenario.BaselinePage(browser));
            var answers = await Task.WhenAll(pages.Select((page, i) =>
                page.EvaluateAsync<double>(PublishToFirstFrame, new[] { options.Janus.ToString(), token, room, $"bench-{i}" })));
            times.AddRange(answers.Where(ms => ms >= 0));
            missing += answers.Count(ms => ms < 0);
            foreach (var page in pages)
                await page.Context.CloseAsync();
            await janus.Destroy(room, cancellationToken);
        }
        return (times, missing);
    }

    private static DateTimeOffset? Instant(JsonElement station, string name) =>
        station.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetDateTimeOffset() : null;

    private static void Print(int called, List<double> delivered, List<double> answered, int missing, (List<double> Times, int Missing) baseline)
    {
        static string Ms(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine();
        Console.WriteLine("target                     called  answered  missing  call->delivered p50 / p99 ms  call->first frame p50 / p99 ms");
        Console.WriteLine($"{"product (roll call)",-26} {called,6}  {answered.Count,8}  {missing,7}  {Ms(VideoScenario.Percentile(delivered, 0.5)),15} / {Ms(VideoScenario.Percentile(delivered, 0.99)),-10}  "
            + $"{Ms(VideoScenario.Percentile(answered, 0.5)),17} / {Ms(VideoScenario.Percentile(answered, 0.99))}");
        Console.WriteLine($"{"baseline (Janus direct)",-26} {called,6}  {baseline.Times.Count,8}  {baseline.Missing,7}  {"-",15} / {"-",-10}  "
            + $"{Ms(VideoScenario.Percentile(baseline.Times, 0.5)),17} / {Ms(VideoScenario.Percentile(baseline.Times, 0.99))}");
        if (VideoScenario.Percentile(answered, 0.5) is { } p && VideoScenario.Percentile(baseline.Times, 0.5) is { } b)
            Console.WriteLine($"ratio product / baseline, call -> first frame p50: {p / b:F2}");
    }
}
