using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Bench;

/// <summary>
/// The positions scenario (#15): --people senders, each sending a position every --position-interval seconds, through
/// <c>POST /api/intake/positions</c> as a terminal gateway would, in one batch every 100 ms, while --walls walls follow
/// the county's feed. Senders are spread round-robin over the county's people (the registry has fewer people than
/// senders, so each person moves several times per interval), each position a step of a random walk from the person's
/// home, so none is a repeat, stamped with the time it is sent (<c>at</c>). Prints the batches' latency, the walls'
/// positions: sender → wall latency (the first wall) and the most messages any wall got in one second, the track
/// history written per second (the product's <c>cc_positions_history_total</c> on <c>/metrics</c>, read every second)
/// and the product's CPU per position, against the target of less than one core; then, while the positions are fresh,
/// <paramref name="whileFresh"/> (the nearest-responder queries, given the county's number of people). Then the same load and walls against
/// the GPSTracker sample's path (<see cref="GpsTrackerBaseline"/>), and the ratio of the two p99s.
/// </summary>
public static class PositionScenario
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>The product's coalescing: at most this many position messages per wall and second (a 500 ms flush: 2).</summary>
    public const int MaxWallHz = 4;

    private sealed record Sent(int Positions, int Failed, double Seconds, List<double> BatchLatencies);

    public static async Task<int> Run(HttpClient http, Uri baseUrl, ProductTarget product, string positionsKey, string dutyToken, string adminToken,
        int appPid, string? redis, int people, double interval, double seconds, double warmup, int walls, Func<int, Task> whileFresh,
        CancellationToken cancellationToken)
    {
        using var workersJson = JsonDocument.Parse(await http.GetStringAsync(
            new Uri(baseUrl, $"api/workers?jurisdiction={Uri.EscapeDataString(product.County)}"), cancellationToken));
        var workers = workersJson.RootElement.EnumerateArray()
            .Select(w => (Id: w.GetProperty("id").GetString()!, Lat: w.GetProperty("homeLatitude").GetDouble(), Lng: w.GetProperty("homeLongitude").GetDouble()))
            .ToArray();
        // One walk for the whole scenario: each position steps on from the person's last, warm-up and load alike (a
        // walk started again from home would repeat the warm-up's positions, which the Worker grains skip as unmoved).
        var walk = new Walk(workers);
        var rate = people / interval;
        var perTick = (int)Math.Round(rate * Tick.TotalSeconds);
        Console.WriteLine("CommandCenter positions bench: POST /api/intake/positions in batches -> track history (PostgreSQL) and walls (SignalR)");
        Console.WriteLine($"load      {people} senders every {interval:0.#} s = {rate:0} positions/s, one batch of {perTick} every " +
            $"{Tick.TotalMilliseconds:0} ms, for {seconds:0.#} s, over the county's {workers.Length} people " +
            $"({people / (double)workers.Length:0.#} senders each); {walls} walls on the county's feed; after a warm-up of " +
            $"{warmup:0.#} s at the same rate, not counted (the Worker grains' activation)");

        Percentiles? productWall;
        await using (var productWalls = await PositionWalls.Start(new Uri(baseUrl, ProductTarget.HubPath.TrimStart('/')), walls,
                         c => c.InvokeAsync<JsonElement>("Subscribe", product.County, product.Head, cancellationToken), cancellationToken, dutyToken))
        {
            await Send(http, new Uri(baseUrl, "api/intake/positions"), positionsKey, walk, perTick, warmup, null, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            productWalls.Reset();
            var perSecond = new List<double>();
            var startWritten = await Written(http, baseUrl, adminToken, cancellationToken);
            var startVerdicts = await Verdicts(http, baseUrl, adminToken, cancellationToken);
            var lastWritten = startWritten;
            var lastSample = Stopwatch.GetTimestamp();
            var cpuFrom = ProcessCpu.Read(appPid);
            var sent = await Send(http, new Uri(baseUrl, "api/intake/positions"), positionsKey, walk, perTick, seconds, async () =>
            {
                var written = await Written(http, baseUrl, adminToken, cancellationToken);
                perSecond.Add((written.Written - lastWritten.Written) / Stopwatch.GetElapsedTime(lastSample).TotalSeconds);
                (lastWritten, lastSample) = (written, Stopwatch.GetTimestamp());
            }, cancellationToken);
            var cpu = ProcessCpu.Read(appPid).Since(cpuFrom, sent.Positions);

            // The history catches up after the load: how long until all of it is written (at most 30 s).
            var accepted = sent.Positions - sent.Failed * perTick;
            var end = await Written(http, baseUrl, adminToken, cancellationToken);
            var drained = Stopwatch.StartNew();
            while (end.Written - startWritten.Written < accepted && drained.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200, cancellationToken);
                end = await Written(http, baseUrl, adminToken, cancellationToken);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the last coalesced message

            PrintSent("", sent, perTick);
            var verdicts = await Verdicts(http, baseUrl, adminToken, cancellationToken);
            Console.WriteLine("filter    the Worker grains' verdicts on the load's positions: " + string.Join(", ",
                verdicts.OrderByDescending(v => v.Value).Select(v => $"{v.Key} {v.Value - startVerdicts.GetValueOrDefault(v.Key)}")));
            productWall = PrintWalls("walls", productWalls, judged: true);
            Console.WriteLine($"history   written {end.Written - startWritten.Written} of {accepted} accepted, dropped " +
                $"{end.Dropped - startWritten.Dropped}; per second during the load: mean {(perSecond.Count > 0 ? perSecond.Average() : 0):0}, " +
                $"min {(perSecond.Count > 0 ? perSecond.Min() : 0):0}, max {(perSecond.Count > 0 ? perSecond.Max() : 0):0}; " +
                $"all written {drained.Elapsed.TotalSeconds:0.0} s after the load");
            if (cpu.AppMs is { } appMs)
            {
                var cores = appMs / 1000 / cpu.Seconds;
                Console.WriteLine($"cpu       the product {appMs / 1000:0.0} s over {cpu.Seconds:0.0} s = {cores:0.00} cores, " +
                    $"{cpu.AppMsPerReport:0.000} ms per position; target < 1 core: {(cores < 1 ? "met" : "MISSED")}");
            }
            else
            {
                Console.WriteLine("cpu       not measured (give --app-pid)");
            }
            await whileFresh(workers.Length);
        }

        if (redis is null)
        {
            Console.WriteLine("baseline  not run (give --redis, as bench.sh does)");
            return 0;
        }
        await using var baseline = await GpsTrackerBaseline.Start(redis, cancellationToken);
        await using var baselineWalls = await PositionWalls.Start(new Uri(baseline.Url, GpsTrackerBaseline.HubPath.TrimStart('/')), walls,
            c => c.InvokeAsync("Subscribe", cancellationToken), cancellationToken);
        await Send(http, new Uri(baseline.Url, "api/positions"), null, walk, perTick, warmup, null, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        baselineWalls.Reset();
        var baselineSent = await Send(http, new Uri(baseline.Url, "api/positions"), null, walk, perTick, seconds, null, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        Console.WriteLine("baseline  the Orleans GPSTracker sample's path in the bench's process: a grain per device, a stateless-worker " +
            "notifier flushing every 15 ms in batches of 100 to SignalR on the same Redis; no storage, no rules, no coalescing");
        PrintSent("baseline ", baselineSent, perTick);
        var baselineWall = PrintWalls("b. walls", baselineWalls, judged: false);
        if (productWall is not null && baselineWall is not null)
            Console.WriteLine($"ratio     sender -> wall p99 {productWall.P99 / Math.Max(baselineWall.P99, 0.001):0.0}x the baseline's " +
                "(the product coalesces each feed's positions for 500 ms on purpose: walls get about 2 messages a second)");
        return 0;
    }

    private static void PrintSent(string prefix, Sent sent, int perTick)
    {
        var latency = Percentiles.Of(sent.BatchLatencies);
        Console.WriteLine($"{prefix}sent      {sent.Positions} positions in {sent.Seconds:0.0} s ({sent.Positions / sent.Seconds:0} /s), " +
            $"{sent.BatchLatencies.Count} batches ok, {sent.Failed} failed");
        if (latency is not null)
            Console.WriteLine($"{prefix}batch     POST -> 204 p50 {latency.P50:0.0} ms, p99 {latency.P99:0.0} ms, max {latency.Max:0.0} ms");
    }

    private static Percentiles? PrintWalls(string name, PositionWalls walls, bool judged)
    {
        var latency = Percentiles.Of(walls.Latencies);
        var target = judged ? $" (target <= {MaxWallHz}: {(walls.MaxPerSecond <= MaxWallHz ? "met" : "MISSED")})" : "";
        Console.WriteLine($"{name,-9} {walls.Count} walls, {walls.Messages} position messages; at most {walls.MaxPerSecond} per wall in one second" +
            target + (latency is null
                ? "; no positions reached the first wall"
                : $"; sender -> wall (first wall, {latency.Count} positions) p50 {latency.P50:0} ms, p99 {latency.P99:0} ms, max {latency.Max:0} ms"));
        return latency;
    }

    /// <summary>The load: one batch every tick for <paramref name="seconds"/>; <paramref name="everySecond"/> between ticks about once a second.</summary>
    private static async Task<Sent> Send(HttpClient http, Uri url, string? key, Walk walk, int perTick,
        double seconds, Func<Task>? everySecond, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var sent = 0;
        var inFlight = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        var lastSample = started;
        using var timer = new PeriodicTimer(Tick);
        for (var tick = 0; tick < seconds / Tick.TotalSeconds && await timer.WaitForNextTickAsync(cancellationToken); tick++)
        {
            var at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var body = new StringBuilder("[");
            for (var i = 0; i < perTick; i++)
            {
                var (id, lat, lng) = walk.Step();
                body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $"{{\"workerId\":\"{id}\",\"lat\":{lat:R},\"lng\":{lng:R},\"at\":\"{at}\"}}");
            }
            sent += perTick;
            inFlight.Add(Post(http, url, key, body.Append(']').ToString(), latencies, () => Interlocked.Increment(ref failed), cancellationToken));
            inFlight.RemoveAll(t => t.IsCompleted);
            if (everySecond is not null && Stopwatch.GetElapsedTime(lastSample).TotalSeconds >= 1)
            {
                await everySecond();
                lastSample = Stopwatch.GetTimestamp();
            }
        }
        await Task.WhenAll(inFlight);
        return new Sent(sent, failed, Stopwatch.GetElapsedTime(started).TotalSeconds, [.. latencies]);
    }

    private static async Task Post(HttpClient http, Uri url, string? key, string body, ConcurrentBag<double> latencies, Action failed,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (key is not null)
                request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            else
                failed();
        }
        catch (HttpRequestException)
        {
            failed();
        }
    }

    /// <summary>The senders' random walk: each step moves the next person, round-robin, up to about 5 m from where they were.</summary>
    private sealed class Walk((string Id, double Lat, double Lng)[] people)
    {
        private readonly (string Id, double Lat, double Lng)[] _at = [.. people];
        private readonly Random _random = new(15);
        private int _next;

        public (string Id, double Lat, double Lng) Step()
        {
            var k = _next++ % _at.Length;
            var (id, lat, lng) = _at[k];
            return _at[k] = (id, lat + (_random.NextDouble() - 0.5) * 1e-4, lng + (_random.NextDouble() - 0.5) * 1e-4);
        }
    }

    private readonly record struct HistoryCount(long Written, long Dropped);

    /// <summary>The product's <c>cc_positions_history_total</c> by outcome.</summary>
    private static async Task<HistoryCount> Written(HttpClient http, Uri baseUrl, string adminToken, CancellationToken cancellationToken)
    {
        var counts = await Counter(http, baseUrl, adminToken, "cc_positions_history_total", "outcome", cancellationToken);
        return new HistoryCount(counts.GetValueOrDefault("written"), counts.GetValueOrDefault("dropped"));
    }

    /// <summary>The product's <c>cc_positions_total</c> by the Worker grains' verdict (accepted, unmoved, older, tooFast).</summary>
    private static Task<Dictionary<string, long>> Verdicts(HttpClient http, Uri baseUrl, string adminToken, CancellationToken cancellationToken) =>
        Counter(http, baseUrl, adminToken, "cc_positions_total", "verdict", cancellationToken);

    /// <summary>A counter of the product's Prometheus text at <c>/metrics</c>, summed by one label's values.</summary>
    private static async Task<Dictionary<string, long>> Counter(HttpClient http, Uri baseUrl, string adminToken, string metric, string label,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal)))
        {
            var at = line.IndexOf($"{label}=\"", StringComparison.Ordinal);
            if (at < 0)
                continue;
            var value = line[(at + label.Length + 2)..];
            value = value[..value.IndexOf('"')];
            counts[value] = counts.GetValueOrDefault(value)
                + (long)double.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return counts;
    }
}
