using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Web.Video;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace CommandCenter.Bench;

/// <summary>What the video scenario needs besides the product: Janus' API, its secrets, its process, and the browser.</summary>
public sealed record VideoBenchOptions(int Participants, Uri Janus, string JanusSecrets, int JanusPid, string Chromium, double Seconds, int RollCalls);

/// <summary>
/// The video scenario (--video, #17), inside bench.sh's network namespace. The product: the bench opens a command
/// session in the county as <c>commander</c> with the first --participants − 1 township stations taking part, opens
/// its board (<c>/command/{id}</c>) in one headless Chromium page per participant (each its own context, signed in
/// as <c>commander</c> and <c>station-1</c> …, Chromium's fake camera and microphone; the product asks for 320×240 at
/// 10 fps, bench.sh sets it), and lets them join one after the other (加入视频会商): each page's join → first
/// remote frame is the time, measured in the page, from the click to the first remote video with a decoded frame
/// (the first page has nobody to see yet and gives no time). With everyone in and every page decoding all the others,
/// the CPU of the app and of Janus (their process trees, /proc) over --seconds. The baseline, in the same run: as many
/// pages at an origin of the bench's own (served by Playwright's routing) with the same janus.js, straight to Janus
/// (no ticket, no proxy, no join API), into a room the bench makes with the product's <see cref="JanusClient"/>, the
/// same camera and simulcast; the same measures.
/// </summary>
public static class VideoScenario
{
    /// <summary>The baseline page's origin: on the loopback (a secure context that may open Janus' socket), answered by Playwright's routing, never sent.</summary>
    private const string BaselineOrigin = "http://127.0.0.1:18999";

    private static readonly string[] MediaArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--disable-features=WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks",
         "--autoplay-policy=no-user-gesture-required"];

    /// <summary>Remote tiles of a page with a decoded frame (the product's markup, which the baseline page copies).</summary>
    private const string Decoded = """
        () => [...document.querySelectorAll('.conference-tile[data-feed] video')]
            .filter(v => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0).length
        """;

    /// <summary>Joins (clicks <c>how.click</c>, or calls the baseline page's <c>benchJoin(...how.join)</c>) and answers the milliseconds until the first remote tile has a decoded frame (−1 after 60 s).</summary>
    private const string JoinToFirstFrame = """
        async (how) => {
            const t0 = performance.now();
            if (how.click) document.querySelector(how.click).click(); else window.benchJoin(...how.join);
            const decoded = () => [...document.querySelectorAll('.conference-tile[data-feed] video')]
                .some(v => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0);
            while (!decoded()) {
                if (performance.now() - t0 > 60000) return -1;
                await new Promise(r => setTimeout(r, 5));
            }
            return performance.now() - t0;
        }
        """;

    private sealed record Measure(string Target, int Pages, IReadOnlyList<double> Joins, int Failed, double AllInSeconds, Cores Before, Cores AllIn);

    /// <summary>Cores the app (null: not measured, the baseline) and Janus used over a while.</summary>
    private sealed record Cores(double? App, double Janus);

    public static async Task<int> Run(HttpClient http, Uri baseUrl, ProductTarget product, string commanderToken, string password, int appPid,
        VideoBenchOptions options, CancellationToken cancellationToken)
    {
        var townships = (await CommandScenario.ReadStations(http, baseUrl, cancellationToken)).Townships;
        var stations = Math.Min(options.Participants - 1, townships.Count);
        if (stations < 1)
        {
            Console.Error.WriteLine("bench: the county has no township station to take part");
            return 1;
        }
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.Chromium, Headless = true, Args = MediaArgs,
        });
        Console.WriteLine($"CommandCenter video bench (#17): {stations + 1} participants (commander + {stations} township stations), 320x240 at 10 fps, "
            + "headless Chromium's fake camera, Janus inside the bench's network namespace");
        var measured = await Product(http, baseUrl, product.County, commanderToken, password, browser, townships.Take(stations).ToList(), appPid, options,
            cancellationToken);
        var baseline = await Baseline(browser, stations + 1, options, cancellationToken);
        Print(measured, baseline);
        return await RollCallScenario.Run(http, baseUrl, commanderToken, password, browser, townships.Take(options.Participants).ToList(), options,
            cancellationToken);
    }

    private static async Task<Measure> Product(HttpClient http, Uri baseUrl, string county, string commanderToken, string password, IBrowser browser,
        IReadOnlyList<string> townships, int appPid, VideoBenchOptions options, CancellationToken cancellationToken)
    {
        using var open = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/api/command-sessions"))
        {
            Content = JsonContent.Create(new { title = "视频会商 bench", area = county, level = "general", participants = townships }),
        };
        open.Headers.Authorization = new AuthenticationHeaderValue("Bearer", commanderToken);
        open.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var opened = await http.SendAsync(open, cancellationToken);
        opened.EnsureSuccessStatusCode();
        var session = (await opened.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        var users = new[] { "commander" }.Concat(townships.Select((_, i) => $"station-{i + 1}")).ToList();
        var pages = new List<IPage>();
        foreach (var user in users)
        {
            var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" })).NewPageAsync();
            await page.GotoAsync(new Uri(baseUrl, $"/signin?ReturnUrl=/command/{session}").ToString());
            await page.FillAsync("#signin-username", user);
            await page.FillAsync("#signin-password", password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForSelectorAsync("[data-conference-join]:not([disabled])");
            pages.Add(page);
        }
        Console.Error.WriteLine($"bench: {pages.Count} pages signed in on the session's board");
        var measure = await JoinAll("product", pages, _ => new { click = "[data-conference-join]" }, appPid, options, cancellationToken);
        foreach (var page in pages)
            await page.Context.CloseAsync();
        using var close = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, $"/api/command-sessions/{session}/close"))
        {
            Content = JsonContent.Create(new { summary = "bench" }),
        };
        close.Headers.Authorization = new AuthenticationHeaderValue("Bearer", commanderToken);
        using var closed = await http.SendAsync(close, cancellationToken);
        return measure;
    }

    private static async Task<Measure> Baseline(IBrowser browser, int participants, VideoBenchOptions options, CancellationToken cancellationToken)
    {
        var video = new VideoOptions { Janus = options.Janus.ToString(), SecretsFile = options.JanusSecrets };
        var janus = new JanusClient(Options.Create(video), new Lazy<JanusSecrets>(() => JanusSecrets.Load(video)), TimeProvider.System);
        var room = "bench-" + Guid.NewGuid().ToString("N");
        var token = janus.ConnectionToken(DateTimeOffset.UtcNow.AddHours(1));
        await janus.Prepare(room, "bench baseline", token, cancellationToken);
        var pages = new List<IPage>();
        for (var i = 0; i < participants; i++)
            pages.Add(await BaselinePage(browser));
        var measure = await JoinAll("baseline (Janus direct)", pages, i => new { join = new[] { options.Janus.ToString(), token, room, $"bench-{i}" } }, 0,
            options, cancellationToken);
        foreach (var page in pages)
            await page.Context.CloseAsync();
        await janus.Destroy(room, cancellationToken);
        return measure;
    }

    /// <summary>
    /// A page at the baseline's origin with the same janus.js and adapter as the product's, ready for
    /// <c>benchJoin(server, token, room, display, watch = true)</c>: straight to Janus, publishing the product's camera and
    /// simulcast, subscribing to every other publisher when it watches; <c>window.benchFirstFrame</c> is when Janus
    /// said it receives the page's video (janus.js' mediaState).
    /// </summary>
    internal static async Task<IPage> BaselinePage(IBrowser browser)
    {
        var lib = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "web", "wwwroot", "lib", "janus");
        var context = await browser.NewContextAsync();
        await context.RouteAsync(BaselineOrigin + "/**", route => route.Request.Url switch
        {
            var url when url.EndsWith("/janus.js", StringComparison.Ordinal) =>
                route.FulfillAsync(new() { Path = Path.Combine(lib, "janus.js"), ContentType = "text/javascript" }),
            var url when url.EndsWith("/adapter.js", StringComparison.Ordinal) =>
                route.FulfillAsync(new() { Path = Path.Combine(lib, "adapter.js"), ContentType = "text/javascript" }),
            _ => route.FulfillAsync(new() { Body = BaselineHtml, ContentType = "text/html; charset=utf-8" }),
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Console.Error.WriteLine($"bench: baseline page: {message.Text}");
        };
        page.PageError += (_, error) => Console.Error.WriteLine($"bench: baseline page: {error}");
        await page.GotoAsync(BaselineOrigin + "/");
        await page.WaitForFunctionAsync("() => typeof window.benchJoin === 'function'");
        return page;
    }

    /// <summary>The pages join one after the other (each once the one before decodes everyone in), then the CPU with all in.</summary>
    private static async Task<Measure> JoinAll(string target, IReadOnlyList<IPage> pages, Func<int, object> start, int appPid, VideoBenchOptions options,
        CancellationToken cancellationToken)
    {
        var before = await Use(appPid, options, cancellationToken);
        var joins = new List<double>();
        var failed = 0;
        var all = Stopwatch.StartNew();
        for (var i = 0; i < pages.Count; i++)
        {
            if (i == 0)
            {
                await pages[0].EvaluateAsync("how => how.click ? document.querySelector(how.click).click() : window.benchJoin(...how.join)", start(0));
                continue;
            }
            var ms = await pages[i].EvaluateAsync<double>(JoinToFirstFrame, start(i));
            Console.Error.WriteLine($"bench: {target}: page {i + 1} joined, first remote frame after {ms:F0} ms");
            if (ms < 0)
                failed++;
            else
                joins.Add(ms);
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var page in pages)
        {
            while (await page.EvaluateAsync<int>(Decoded) < pages.Count - 1 && DateTime.UtcNow < deadline)
                await Task.Delay(100, cancellationToken);
        }
        var allIn = all.Elapsed.TotalSeconds;
        return new Measure(target, pages.Count, joins, failed, allIn, before, await Use(appPid, options, cancellationToken));
    }

    /// <summary>The cores the app (when <paramref name="appPid"/> is given) and Janus use over --seconds from now.</summary>
    private static async Task<Cores> Use(int appPid, VideoBenchOptions options, CancellationToken cancellationToken)
    {
        var app = appPid == 0 ? null : ProcessCpu.TreeMs(appPid);
        var janus = ProcessCpu.TreeMs(options.JanusPid) ?? 0;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Cores(app is { } a && ProcessCpu.TreeMs(appPid) is { } b ? (b - a) / 1000 / seconds : null,
            ((ProcessCpu.TreeMs(options.JanusPid) ?? 0) - janus) / 1000 / seconds);
    }

    private static void Print(Measure product, Measure baseline)
    {
        static string Ms(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "-";
        static string C(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine();
        Console.WriteLine("target                     pages  joins  failed  join->first remote frame p50 / p99 ms  all in (s)  cores before: app / Janus  all in: app / Janus");
        foreach (var m in new[] { product, baseline })
            Console.WriteLine($"{m.Target,-26} {m.Pages,5}  {m.Joins.Count,5}  {m.Failed,6}  {Ms(Percentile(m.Joins, 0.5)),18} / {Ms(Percentile(m.Joins, 0.99)),-18}  "
                + $"{m.AllInSeconds,10:F1}  {C(m.Before.App),17} / {C(m.Before.Janus),-5}  {C(m.AllIn.App),10} / {C(m.AllIn.Janus)}");
        if (Percentile(product.Joins, 0.5) is { } p && Percentile(baseline.Joins, 0.5) is { } b)
            Console.WriteLine($"ratio product / baseline, join -> first remote frame p50: {p / b:F2}");
    }

    /// <summary>The nearest-rank percentile (null without values).</summary>
    internal static double? Percentile(IReadOnlyList<double> values, double q) =>
        values.Count == 0 ? null : values.Order().ElementAt(Math.Clamp((int)Math.Ceiling(q * values.Count) - 1, 0, values.Count - 1));

    /// <summary>The baseline page: janus.js straight to Janus, a publisher with the product's camera and simulcast, a subscriber per publisher (when it watches), the product's tile markup.</summary>
    private const string BaselineHtml = """
        <!doctype html><meta charset="utf-8"><title>bench</title><div id="tiles"></div>
        <script src="/adapter.js"></script>
        <script type="module">
        import Janus from "/janus.js";
        window.benchJoin = (server, token, room, display, watch = true) => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }), callback: () => {
          const seen = new Set();
          const janus = new Janus({ server, token, success: () => janus.attach({ plugin: "janus.plugin.videoroom", success: (pub) => {
            pub.send({ message: { request: "join", ptype: "publisher", room, display, token } });
            const subscribe = (list) => (list ?? []).forEach((p) => {
              if (!watch || seen.has(p.id)) return;
              seen.add(p.id);
              let sub;
              const video = document.createElement("video");
              video.autoplay = true; video.muted = true;
              const tile = document.createElement("figure");
              tile.className = "conference-tile"; tile.dataset.feed = p.id; tile.append(video);
              document.getElementById("tiles").append(tile);
              janus.attach({ plugin: "janus.plugin.videoroom", success: (h) => { sub = h; h.send({ message: { request: "join", ptype: "subscriber", room, streams: [{ feed: p.id }], token } }); },
                onmessage: (m, jsep) => jsep && sub.createAnswer({ jsep, tracks: [{ type: "data" }], success: (answer) => sub.send({ message: { request: "start", room }, jsep: answer }) }),
                onremotetrack: (track, mid, on) => { if (on && track.kind === "video") video.srcObject = new MediaStream([track]); } });
            });
            window.benchPublisher = pub;
            window.benchSubscribe = subscribe;
          }, mediaState: (type, on) => { if (type === "video" && on) window.benchFirstFrame ??= performance.now(); },
          onmessage: (m, jsep) => {
            if (m.videoroom === "joined") {
              window.benchPublisher.createOffer({ tracks: [{ type: "audio", capture: true, recv: false },
                { type: "video", capture: { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 10 } }, recv: false, simulcast: true }],
                success: (offer) => window.benchPublisher.send({ message: { request: "configure", audio: true, video: true }, jsep: offer }) });
            }
            window.benchSubscribe?.(m.publishers);
            if (jsep) window.benchPublisher.handleRemoteJsep({ jsep });
          } }) });
        } });
        </script>
        """;
}
