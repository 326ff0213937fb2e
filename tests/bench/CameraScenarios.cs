using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using StackExchange.Redis;

namespace CommandCenter.Bench;

/// <summary>
/// The camera scenarios (--cameras), against the product with bench.sh's demo streams (16 local ffmpeg HLS streams,
/// 5 fps, a key frame every 2 s, every demo camera pointing at one of them, every 97th at a dead address):
/// warm snapshots under 200 concurrent requests (baseline: the same bytes from the same Redis through a bare
/// endpoint), cold snapshots one after the other (baseline: the same ffmpeg command run by hand), and health probing
/// of all demo cameras for a minute (the product's CPU and ffmpeg processes; baseline: the same two requests per
/// camera made by a bare HTTP client in this process).
/// </summary>
public static class CameraScenarios
{
    public const int Concurrency = 200;
    private const int WarmCameras = 16;
    private const int ColdSamples = 30;
    private static readonly TimeSpan KeyFrameInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProbeWindow = TimeSpan.FromSeconds(60);

    public static async Task<int> Run(HttpClient http, Uri url, string county, string redis, int appPid, double seconds, CancellationToken ct)
    {
        Console.WriteLine("CommandCenter camera bench: snapshots (warm, cold) and health probing, against run-alike demo streams");
        var watched = Stopwatch.StartNew();
        var counts = await WaitWatched(http, url, county, ct);
        Console.WriteLine($"cameras   {counts.Online} online, {counts.Offline} offline, {counts.Unknown} unknown "
            + $"after {watched.Elapsed.TotalSeconds:0} s of watching");
        var online = await Ids(http, url, county, "online", ct);
        if (online.Count < WarmCameras + ColdSamples)
        {
            Console.Error.WriteLine($"bench: only {online.Count} cameras online; the demo streams are not running?");
            return 1;
        }
        Console.WriteLine();

        // ---- warm ----
        var warm = online.Take(WarmCameras).ToList();
        foreach (var id in warm)
            await Snapshot(http, url, id, ct);
        var product = await Closed(http, i => new Uri(url, $"api/cameras/{warm[i % warm.Count]}/snapshot"), seconds, ct);
        var db = (await ConnectionMultiplexer.ConnectAsync(redis)).GetDatabase();
        var frame = await Snapshot(http, url, warm[0], ct);
        for (var i = 0; i < WarmCameras; i++)
            await db.StringSetAsync($"cc-bench:snapshot:{i}", frame.Bytes);
        await using var bare = await BareSnapshots.Start(redis, ct);
        var baseline = await Closed(http, i => new Uri(bare.Url, $"snapshot/{i % WarmCameras}"), Math.Min(seconds, 10), ct);
        Console.WriteLine($"warm      {Concurrency} concurrent requests for {seconds:0} s over {WarmCameras} cameras: "
            + $"{product.Count} answers, {product.Warm} warm, {product.Stale} stale, {product.Captured} captured, {product.Failed} failed");
        Console.WriteLine($"          product   all    p50 {Ms(product.All, 0.50)}  p99 {Ms(product.All, 0.99)}  ({product.Count / seconds:0}/s)");
        Console.WriteLine($"          product   warm   p50 {Ms(product.WarmTimes, 0.50)}  p99 {Ms(product.WarmTimes, 0.99)}   "
            + $"target p99 <= 20 ms: {(Percentile(product.WarmTimes, 0.99) <= 20 ? "met" : "MISSED")}");
        Console.WriteLine($"          baseline  bare GET of the same bytes from Redis: p50 {Ms(baseline.All, 0.50)}  p99 {Ms(baseline.All, 0.99)}  "
            + $"({baseline.Count / Math.Min(seconds, 10):0}/s)");
        Console.WriteLine($"          ratio     warm p99 "
            + $"{Percentile(product.WarmTimes, 0.99) / Math.Max(0.001, Percentile(baseline.All, 0.99)):0.0}x the baseline's");
        Console.WriteLine();

        // ---- cold ----
        var cold = new List<double>();
        var coldCaptured = 0;
        foreach (var id in online.Skip(WarmCameras).Take(ColdSamples))
        {
            var watch = Stopwatch.StartNew();
            var answer = await Snapshot(http, url, id, ct);
            cold.Add(watch.Elapsed.TotalMilliseconds);
            coldCaptured += answer.Warm ? 0 : 1;
        }
        var ffmpeg = new List<double>();
        for (var i = 0; i < 10; i++)
            ffmpeg.Add(await BareCapture(new Uri(url, $"demo-streams/cam{i % 16 + 1:00}/index.m3u8").ToString(), ct));
        var target = KeyFrameInterval.TotalMilliseconds + 300;
        Console.WriteLine($"cold      {cold.Count} cameras one after the other ({coldCaptured} captured): median {Ms(cold, 0.50)}  p99 {Ms(cold, 0.99)}   "
            + $"target <= one key-frame interval + 300 ms = {target:0} ms: {(Percentile(cold, 0.99) <= target ? "met" : "MISSED")}");
        Console.WriteLine($"          baseline  the same ffmpeg command by hand: median {Ms(ffmpeg, 0.50)}  p99 {Ms(ffmpeg, 0.99)}   "
            + $"ratio median {Percentile(cold, 0.5) / Math.Max(0.001, Percentile(ffmpeg, 0.5)):0.0}x");
        Console.WriteLine();

        // ---- probing ----
        var all = counts.Online + counts.Offline + counts.Unknown;
        Console.Error.WriteLine($"bench: probing, {ProbeWindow.TotalSeconds:0} s of the product alone, then {ProbeWindow.TotalSeconds:0} s of the bare probe");
        var (productCpu, ffmpegMax, ffmpegMean) = await Watch(appPid, ProbeWindow, ct);
        var own = Process.GetCurrentProcess();
        var before = own.TotalProcessorTime;
        var probes = await BareProbes(url, all, ProbeWindow, ct);
        own.Refresh();
        var bareCpu = (own.TotalProcessorTime - before).TotalSeconds / ProbeWindow.TotalSeconds;
        Console.WriteLine($"probing   {all} cameras, each every minute (reminders spread over the minute; HTTP checks in-process, no ffmpeg)");
        Console.WriteLine($"          product   {productCpu * 100:0.0} % of one core over {ProbeWindow.TotalSeconds:0} s "
            + $"(the whole process: probes, reminders, and serving the demo streams it probes)   "
            + $"target <= 1 core: {(productCpu <= 1 ? "met" : "MISSED")}");
        Console.WriteLine($"          ffmpeg    processes under the product while probing: max {ffmpegMax}, mean {ffmpegMean:0.00}");
        Console.WriteLine($"          baseline  the same playlist + segment requests for {probes} cameras from a bare HttpClient: "
            + $"{bareCpu * 100:0.0} % of one core   ratio {productCpu / Math.Max(0.0001, bareCpu):0.0}x");
        return 0;
    }

    private sealed record Counts(int Online, int Offline, int Unknown);

    /// <summary>Waits (at most 5 minutes) until no camera is unknown any more: every camera with a stream was probed.</summary>
    private static async Task<Counts> WaitWatched(HttpClient http, Uri url, string county, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, $"api/cameras/counts?jurisdiction={county}"), ct));
            var root = json.RootElement;
            var counts = new Counts(root.GetProperty("online").GetInt32(), root.GetProperty("offline").GetInt32(), root.GetProperty("unknown").GetInt32());
            if (counts.Unknown == 0 || DateTime.UtcNow > deadline)
                return counts;
            await Task.Delay(2000, ct);
        }
    }

    private static async Task<List<string>> Ids(HttpClient http, Uri url, string county, string status, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, $"api/cameras?jurisdiction={county}&status={status}"), ct));
        return json.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
    }

    private sealed record Answer(byte[] Bytes, bool Warm);

    private static async Task<Answer> Snapshot(HttpClient http, Uri url, string id, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(url, $"api/cameras/{id}/snapshot"), ct);
        response.EnsureSuccessStatusCode();
        return new Answer(await response.Content.ReadAsByteArrayAsync(ct),
            response.Headers.TryGetValues("X-Snapshot", out var values) && values.Contains("warm"));
    }

    private sealed class ClosedResult
    {
        public List<double> All { get; } = [];
        public List<double> WarmTimes { get; } = [];
        public int Count => All.Count;
        public int Warm { get; set; }
        public int Stale { get; set; }
        public int Captured { get; set; }
        public int Failed { get; set; }
    }

    /// <summary><see cref="Concurrency"/> workers, each sending its next request when its last one is answered.</summary>
    private static async Task<ClosedResult> Closed(HttpClient http, Func<int, Uri> next, double seconds, CancellationToken ct)
    {
        var result = new ClosedResult();
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var counter = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            var mine = new List<(double Ms, string? Source)>();
            while (Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(next(Interlocked.Increment(ref counter)), HttpCompletionOption.ResponseContentRead, ct);
                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    mine.Add(response.IsSuccessStatusCode
                        ? (ms, response.Headers.TryGetValues("X-Snapshot", out var v) ? v.FirstOrDefault() : null)
                        : (double.NaN, null));
                }
                catch (HttpRequestException)
                {
                    mine.Add((double.NaN, null));
                }
            }
            lock (result)
            {
                foreach (var (ms, source) in mine)
                {
                    if (double.IsNaN(ms))
                    {
                        result.Failed++;
                        continue;
                    }
                    result.All.Add(ms);
                    switch (source)
                    {
                        case "warm":
                            result.Warm++;
                            result.WarmTimes.Add(ms);
                            break;
                        case "stale":
                            result.Stale++;
                            break;
                        case "captured":
                            result.Captured++;
                            break;
                    }
                }
            }
        }));
        return result;
    }

    /// <summary>The product's capture command (silo/Cameras/FrameGrabber.cs) run by hand; milliseconds until it exits.</summary>
    private static async Task<double> BareCapture(string streamUrl, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
            ["-nostdin", "-v", "error", "-skip_frame", "nokey", "-rw_timeout", "5000000", "-analyzeduration", "1000000", "-probesize", "1000000",
             "-i", streamUrl, "-an", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "4", "-f", "image2pipe", "-"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = ffmpeg.StandardOutput.BaseStream.CopyToAsync(Stream.Null, ct);
        await ffmpeg.WaitForExitAsync(ct);
        await output;
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The CPU share (of one core) of the process tree under <paramref name="pid"/> over the window,
    /// and its ffmpeg processes sampled each second.
    /// </summary>
    private static async Task<(double Cpu, int FfmpegMax, double FfmpegMean)> Watch(int pid, TimeSpan window, CancellationToken ct)
    {
        var start = TreeTicks(pid);
        var samples = new List<int>();
        var end = DateTime.UtcNow + window;
        while (DateTime.UtcNow < end && !ct.IsCancellationRequested)
        {
            samples.Add(Tree(pid).Count(p => Comm(p) == "ffmpeg"));
            await Task.Delay(1000, ct);
        }
        var ticks = TreeTicks(pid) - start;
        return (ticks / 100.0 / window.TotalSeconds, samples.Count == 0 ? 0 : samples.Max(), samples.Count == 0 ? 0 : samples.Average());
    }

    /// <summary>
    /// The same two requests a probe of an HLS camera makes (playlist; the head of its newest segment), for every camera,
    /// spread over the window.
    /// </summary>
    private static async Task<int> BareProbes(Uri url, int cameras, TimeSpan window, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(3) });
        var gap = window / Math.Max(1, cameras);
        var tasks = new List<Task>();
        var started = Stopwatch.StartNew();
        for (var i = 0; i < cameras && !ct.IsCancellationRequested; i++)
        {
            var stream = (i + 1) % 97 == 0
                ? "http://127.0.0.1:9/demo-streams/offline/index.m3u8"
                : new Uri(url, $"demo-streams/cam{i % 16 + 1:00}/index.m3u8").ToString();
            tasks.Add(BareProbe(client, stream, ct));
            var due = gap * (i + 1) - started.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, ct);
        }
        await Task.WhenAll(tasks);
        return cameras;
    }

    private static async Task BareProbe(HttpClient client, string playlistUrl, CancellationToken ct)
    {
        try
        {
            var playlist = await client.GetStringAsync(playlistUrl, ct);
            var segment = playlist.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
            if (segment is null)
                return;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(playlistUrl), segment));
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 1023);
            using var response = await client.SendAsync(request, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (HttpRequestException)
        {
            // a dead camera: the product's probe finds the same
        }
    }

    private static long TreeTicks(int pid) => Tree(pid).Sum(p =>
    {
        var stat = Stat(p);
        return stat.Length > 14 ? long.Parse(stat[13], CultureInfo.InvariantCulture) + long.Parse(stat[14], CultureInfo.InvariantCulture) : 0;
    });

    /// <summary>The process and all its descendants (from /proc).</summary>
    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { Length: > 3 } stat)
                parents[pid] = int.Parse(stat[3], CultureInfo.InvariantCulture);
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>/proc/PID/stat's fields, indexed by field number - 1 (ppid at 3, utime at 13, stime at 14); empty when the process is gone.</summary>
    private static string[] Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return ["", "", .. text[(close + 2)..].Split(' ')];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Ms(List<double> values, double p) => $"{Percentile(values, p),7:0.0} ms";
}

/// <summary>The warm-snapshot baseline: a bare endpoint in this process answering GET /snapshot/{i} with a Redis string's bytes.</summary>
public sealed class BareSnapshots : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConnectionMultiplexer _redis;

    private BareSnapshots(WebApplication app, ConnectionMultiplexer redis, Uri url) => (_app, _redis, Url) = (app, redis, url);

    public Uri Url { get; }

    public static async Task<BareSnapshots> Start(string redis, CancellationToken ct)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis);
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ApplicationName = typeof(BareSnapshots).Assembly.GetName().Name, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var db = multiplexer.GetDatabase();
        app.MapGet("/snapshot/{i:int}", async (int i) => await db.StringGetAsync($"cc-bench:snapshot:{i}") is { HasValue: true } bytes
            ? Results.Bytes((byte[])bytes!, "image/jpeg")
            : Results.NotFound());
        await app.StartAsync(ct);
        var address = app.Urls.First();
        return new BareSnapshots(app, multiplexer, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
