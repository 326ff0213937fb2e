using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CommandCenter.Bench;

/// <summary>
/// The positions scenario (#15): --people senders, each sending a position every --position-interval seconds, through
/// <c>POST /api/intake/positions</c> as a terminal gateway would, in one batch every 100 ms. Senders are spread
/// round-robin over the county's people (the registry has fewer people than senders, so each person moves several
/// times per interval), each position a step of a random walk from the person's home, so none is a repeat. Prints the
/// batches' latency, the track history written per second (the product's <c>cc_positions_history_total</c> on
/// <c>/metrics</c>, read every second) and the product's CPU per position, against the target of less than one core.
/// </summary>
public static class PositionScenario
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public static async Task<int> Run(HttpClient http, Uri baseUrl, string county, string positionsKey, string adminToken, int appPid,
        int people, double interval, double seconds, CancellationToken cancellationToken)
    {
        using var workersJson = JsonDocument.Parse(await http.GetStringAsync(new Uri(baseUrl, $"api/workers?jurisdiction={Uri.EscapeDataString(county)}"),
            cancellationToken));
        var workers = workersJson.RootElement.EnumerateArray()
            .Select(w => (Id: w.GetProperty("id").GetString()!, Lat: w.GetProperty("homeLatitude").GetDouble(), Lng: w.GetProperty("homeLongitude").GetDouble()))
            .ToArray();
        var rate = people / interval;
        var perTick = (int)Math.Round(rate * Tick.TotalSeconds);
        Console.WriteLine("CommandCenter positions bench: POST /api/intake/positions in batches -> track history (PostgreSQL)");
        Console.WriteLine($"load      {people} senders every {interval:0.#} s = {rate:0} positions/s, one batch of {perTick} every " +
            $"{Tick.TotalMilliseconds:0} ms, for {seconds:0.#} s, over the county's {workers.Length} people " +
            $"({people / (double)workers.Length:0.#} senders each)");

        var random = new Random(15);
        var walk = workers.Select(w => (w.Lat, w.Lng)).ToArray();
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var sent = 0;
        var inFlight = new List<Task>();
        var perSecond = new List<double>();
        var startWritten = await Written(http, baseUrl, adminToken, cancellationToken);
        var cpuFrom = ProcessCpu.Read(appPid);
        var started = Stopwatch.GetTimestamp();
        var lastWritten = startWritten;
        var lastSample = started;
        var next = 0;
        using var timer = new PeriodicTimer(Tick);
        for (var tick = 0; tick < seconds / Tick.TotalSeconds && await timer.WaitForNextTickAsync(cancellationToken); tick++)
        {
            var body = new StringBuilder("[");
            for (var i = 0; i < perTick; i++)
            {
                var k = next++ % walk.Length;
                walk[k] = (walk[k].Lat + (random.NextDouble() - 0.5) * 1e-4, walk[k].Lng + (random.NextDouble() - 0.5) * 1e-4);
                body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $"{{\"workerId\":\"{workers[k].Id}\",\"lat\":{walk[k].Lat:R},\"lng\":{walk[k].Lng:R}}}");
            }
            var content = body.Append(']').ToString();
            sent += perTick;
            inFlight.Add(Send(http, baseUrl, positionsKey, content, latencies, () => Interlocked.Increment(ref failed), cancellationToken));
            inFlight.RemoveAll(t => t.IsCompleted);
            if (Stopwatch.GetElapsedTime(lastSample).TotalSeconds >= 1)
            {
                var written = await Written(http, baseUrl, adminToken, cancellationToken);
                perSecond.Add((written.Written - lastWritten.Written) / Stopwatch.GetElapsedTime(lastSample).TotalSeconds);
                (lastWritten, lastSample) = (written, Stopwatch.GetTimestamp());
            }
        }
        await Task.WhenAll(inFlight);
        var sending = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = ProcessCpu.Read(appPid).Since(cpuFrom, sent);

        // The history catches up after the load: how long until all of it is written (at most 30 s).
        var end = await Written(http, baseUrl, adminToken, cancellationToken);
        var drained = Stopwatch.StartNew();
        while (end.Written - startWritten.Written < sent - failedPositions() && drained.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200, cancellationToken);
            end = await Written(http, baseUrl, adminToken, cancellationToken);
        }
        int failedPositions() => failed * perTick;

        var latency = Percentiles.Of([.. latencies]);
        Console.WriteLine($"sent      {sent} positions in {sending:0.0} s ({sent / sending:0} /s), {latencies.Count} batches ok, {failed} failed");
        if (latency is not null)
            Console.WriteLine($"batch     POST -> 204 p50 {latency.P50:0.0} ms, p99 {latency.P99:0.0} ms, max {latency.Max:0.0} ms");
        Console.WriteLine($"history   written {end.Written - startWritten.Written} of {sent - failedPositions()} accepted, dropped " +
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
        return 0;
    }

    private static async Task Send(HttpClient http, Uri baseUrl, string key, string body, ConcurrentBag<double> latencies, Action failed,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/intake/positions"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
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

    private readonly record struct HistoryCount(long Written, long Dropped);

    /// <summary>The product's <c>cc_positions_history_total</c> by outcome, from its Prometheus text at <c>/metrics</c>.</summary>
    private static async Task<HistoryCount> Written(HttpClient http, Uri baseUrl, string adminToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        long Sum(string outcome) => text.Split('\n')
            .Where(l => l.StartsWith("cc_positions_history_total{", StringComparison.Ordinal) && l.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal))
            .Sum(l => (long)double.Parse(l[(l.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], CultureInfo.InvariantCulture));
        return new HistoryCount(Sum("written"), Sum("dropped"));
    }
}
