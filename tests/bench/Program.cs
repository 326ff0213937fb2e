using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CommandCenter.Bench;
using Microsoft.AspNetCore.SignalR.Client;

// Latency bench: open-loop report intake against the running product, wall feed followed over SignalR, and the same
// measure against a bare baseline host on the same Redis backplane; or (--full-loop) every report closed by simulated
// users while the wall feed is measured. See BenchOptions.Usage.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = Encoding.UTF8;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("bench: stopping (Ctrl-C)");
    stop.Cancel();
};

ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));

using var http = Client(options.MaxInFlight);
// The loop's simulated users (duty officer, grid workers, citizens) have their own connections, apart from the intake's.
using var users = Client(options.MaxInFlight);

var runId = Guid.NewGuid().ToString("N")[..8];
var startedAt = DateTimeOffset.UtcNow;

if (Environment.GetEnvironmentVariable("CC_DEMO_PASSWORD") is not { Length: > 0 } password)
{
    Console.Error.WriteLine("bench: set CC_DEMO_PASSWORD to the demo accounts' password of the product (bench.sh does)");
    return 2;
}

ProductTarget product;
FeedListener productFeed;
string intakeKey, duty;
IReadOnlyList<LoopWorker> loopWorkers = [];
try
{
    duty = await ProductTarget.Token(http, options.Url, "duty", password, stop.Token);
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", duty);
    product = await ProductTarget.Discover(http, options.Url, stop.Token);
    var admin = await ProductTarget.Token(http, options.Url, "admin", password, stop.Token);
    intakeKey = await ProductTarget.IntakeKey(http, options.Url, admin, product.County, stop.Token);
    if (options.FullLoop)
        loopWorkers = await product.GridWorkerAccounts(http, options.Url, admin, options.LoopWorkers, runId, stop.Token);
    productFeed = await FeedListener.Start(new Uri(options.Url, ProductTarget.HubPath.TrimStart('/')),
        c => c.InvokeAsync<JsonElement>("Subscribe", product.County, product.Head, stop.Token), stop.Token, duty);
}
catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException
    or OperationCanceledException or Microsoft.AspNetCore.SignalR.HubException)
{
    Console.Error.WriteLine($"bench: cannot reach the product at {options.Url}: {e.Message}");
    return 1;
}

if (options.Cameras)
{
    await productFeed.DisposeAsync();
    if (options.Redis is null || options.AppPid == 0)
    {
        Console.Error.WriteLine("bench: --cameras needs --redis and --app-pid (bench.sh gives both)");
        return 2;
    }
    return await CameraScenarios.Run(http, options.Url, product.County, options.Redis, options.AppPid, options.Seconds, stop.Token);
}

BaselineHost? baseline = null;
FeedListener? baselineFeed = null;
try
{
    if (options.RunBaseline)
    {
        try
        {
            baseline = await BaselineHost.Start(options.Redis!, stop.Token);
            baselineFeed = await FeedListener.Start(new Uri(baseline.Url, BaselineHost.HubPath.TrimStart('/')),
                c => c.InvokeAsync("Subscribe", stop.Token), stop.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"bench: the baseline host could not start ({e.GetType().Name}: {e.Message}); measuring the product only");
            if (baselineFeed is not null)
                await baselineFeed.DisposeAsync();
            if (baseline is not null)
                await baseline.DisposeAsync();
            (baseline, baselineFeed) = (null, null);
        }
    }

    var bodies = product.Grids.Select(ProductTarget.ReportBody).ToArray();

    // The product takes the reports on its intake path as an integration; the baseline host has one bare POST. A full
    // loop's reports go to its workers' grids, and the loop closes each one once it is answered.
    LoadPhase Load(Uri baseUrl, FeedListener feed, string phase, FullLoop? loop = null) => new(http,
        new Uri(baseUrl, baseUrl == options.Url ? "api/intake/incidents" : "api/incidents"), feed,
        i => ($"bench-{runId}-{phase}-{i}", loop is null ? bodies[i % bodies.Length] : loop.Bodies[i % loop.Bodies.Count]), options.MaxInFlight,
        options.SamplesDir is null ? null : Path.Combine(options.SamplesDir, $"{(baseUrl == options.Url ? "product" : "baseline")}-{phase}.csv"),
        baseUrl == options.Url ? intakeKey : null, loop is null ? null : loop.Start);

    // Loops still open this long after their phase's reports are done are abandoned.
    var loopWait = TimeSpan.FromSeconds(options.DrainSeconds + 60);
    async Task<(PhaseResult Reports, LoopResult Loop)> RunLoop(string phase, int rate, double seconds)
    {
        var loop = new FullLoop(users, options.Url, duty, loopWorkers, product, $"{runId}-{phase}", stop.Token);
        var reports = await Load(options.Url, productFeed, phase, loop).Run("loop", phase == "loopwarmup" ? "warmup" : "measure", rate, seconds,
            options.DrainSeconds, stop.Token);
        return (reports, await loop.Finish(phase, rate, loopWait));
    }

    Console.WriteLine("CommandCenter latency bench: report POST -> wall feed entry over SignalR (open loop)");
    Console.WriteLine($"product   {options.Url}  county {product.County} {product.CountyName} ({product.Grids.Count} grids), feed head {product.Head}");
    Console.WriteLine(baseline is null
        ? options.FullLoop
            ? "baseline  none (not measured with --full-loop)"
            : "baseline  none (give --redis HOST:PORT of the product's Redis to measure it)"
        : $"baseline  {baseline.Url}  POST -> IHubContext group send only, Redis {options.Redis}");
    Console.WriteLine(options.FullLoop
        ? $"phases    full loop at {options.LoopRate}/s for {options.Seconds:0.#} s, reports to {loopWorkers.Count} grids " +
            $"with a bench worker account each ({string.Join(", ", loopWorkers.Select(w => w.GridCode))}), " +
            $"warm-up {options.WarmupSeconds:0.#} s at {options.WarmupRate}/s (at least one report per grid, then the loop), " +
            $"drain {options.DrainSeconds:0.#} s, max {options.MaxInFlight} reports in flight"
        : $"phases    rates {string.Join(",", options.Rates)}/s, {options.Seconds:0.#} s each (baseline {options.BaselineSeconds:0.#} s), " +
            $"warm-up {options.WarmupSeconds:0.#} s at {options.WarmupRate}/s (product: at least one report per grid), " +
            $"drain {options.DrainSeconds:0.#} s, max {options.MaxInFlight} POSTs in flight");
    Console.WriteLine();

    var phases = new List<PhaseResult>();
    var warmups = new List<PhaseResult>();
    var loops = new List<LoopResult>();
    LoopResult? warmupLoop = null;
    if (options.WarmupSeconds > 0)
    {
        // Long enough for one report per grid (reports go round the grids), so that every feed on a report's path is
        // active before measuring: a feed's first entry pays for its activation (three queries), not the steady state.
        var productWarmup = Math.Max(options.WarmupSeconds, Math.Ceiling(product.Grids.Count * 1.0 / options.WarmupRate));
        Console.Error.WriteLine($"bench: warm-up, {productWarmup:0.#} s at {options.WarmupRate}/s");
        warmups.Add(await Load(options.Url, productFeed, "warmup").Run("product", "warmup", options.WarmupRate, productWarmup, options.DrainSeconds,
            stop.Token));
        if (baseline is not null)
            warmups.Add(await Load(baseline.Url, baselineFeed!, "warmup").Run("baseline", "warmup", options.WarmupRate, options.WarmupSeconds,
                options.DrainSeconds, stop.Token));
        if (options.FullLoop && !stop.IsCancellationRequested)
        {
            Console.Error.WriteLine($"bench: warm-up of the loop, {options.WarmupSeconds:0.#} s at {options.WarmupRate}/s");
            (var reports, warmupLoop) = await RunLoop("loopwarmup", options.WarmupRate, options.WarmupSeconds);
            warmups.Add(reports);
        }
        foreach (var w in warmups)
            Console.WriteLine($"warm-up   {w.Target,-8} {w.Seconds:0.#} s at {w.Rate}/s: {w.Ok}/{w.Scheduled} ok, {w.Missing} missing (not counted)");
        if (warmupLoop is not null)
            Console.WriteLine($"warm-up   loop     {warmupLoop.Completed}/{warmupLoop.Started} loops completed, {warmupLoop.Failed} failed (not counted)");
        Console.WriteLine();
    }

    if (options.FullLoop && !stop.IsCancellationRequested)
    {
        await Settle(http, options.Url, product.County, stop.Token);
        Console.Error.WriteLine($"bench: full loop at {options.LoopRate}/s for {options.Seconds:0.#} s");
        var (reports, loop) = await RunLoop($"loop{options.LoopRate}", options.LoopRate, options.Seconds);
        phases.Add(reports);
        loops.Add(loop);
    }

    foreach (var rate in options.FullLoop ? [] : options.Rates)
    {
        if (stop.IsCancellationRequested)
            break;
        await Settle(http, options.Url, product.County, stop.Token);
        Console.Error.WriteLine($"bench: product at {rate}/s for {options.Seconds:0.#} s");
        phases.Add(await Load(options.Url, productFeed, $"r{rate}").Run("product", "measure", rate, options.Seconds, options.DrainSeconds, stop.Token));
        if (baseline is not null && !stop.IsCancellationRequested)
        {
            await Settle(http, options.Url, product.County, stop.Token);
            Console.Error.WriteLine($"bench: baseline at {rate}/s for {options.BaselineSeconds:0.#} s");
            phases.Add(await Load(baseline.Url, baselineFeed!, $"r{rate}").Run("baseline", "measure", rate, options.BaselineSeconds,
                options.DrainSeconds, stop.Token));
        }
        await Task.Delay(1000, CancellationToken.None);
    }

    var report = Report.Build(options, product, baseline?.Url, startedAt, warmups, phases, loops);
    Console.Write(report.Text);
    if (options.JsonPath is not null)
    {
        var path = Path.GetFullPath(options.JsonPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report.Json, Report.JsonOptions) + "\n", CancellationToken.None);
        Console.WriteLine($"json      {path}");
    }
    return 0;
}
finally
{
    await productFeed.DisposeAsync();
    if (baselineFeed is not null)
        await baselineFeed.DisposeAsync();
    if (baseline is not null)
        await baseline.DisposeAsync();
}

static HttpClient Client(int maxConnections) => new(new SocketsHttpHandler
{
    MaxConnectionsPerServer = maxConnections,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    ConnectTimeout = TimeSpan.FromSeconds(5),
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
})
{
    Timeout = TimeSpan.FromSeconds(30),
};

// Waits (at most 120 s) until the product's county feed stops growing, so that a phase does not start while the
// product is still working off the previous one (which would also slow the baseline, on the same machine).
static async Task Settle(HttpClient http, Uri url, string county, CancellationToken cancellationToken)
{
    var headUrl = new Uri(url, $"api/feeds/{Uri.EscapeDataString(county)}?after=0&limit=1");
    var deadline = DateTime.UtcNow.AddSeconds(120);
    long? previous = null;
    var waited = false;
    while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
    {
        long? head = null;
        try
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync(headUrl, cancellationToken));
            head = page.RootElement.GetProperty("head").GetInt64();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or TaskCanceledException)
        {
        }
        if (head is not null && head == previous)
            break;
        if (previous is not null && !waited)
        {
            Console.Error.WriteLine("bench: waiting for the product to finish the previous phase");
            waited = true;
        }
        previous = head;
        try
        {
            await Task.Delay(1000, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

namespace CommandCenter.Bench
{
    /// <summary>The printed table and its JSON twin.</summary>
    public sealed record Report(string Text, object Json)
    {
        public const double TargetRate = 500;
        public const double TargetP50 = 5;
        public const double TargetP99 = 20;

        public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        public sealed record Ratio(int Rate, double? P50, double? P99, double? PostP50, double? PostP99);

        public sealed record Target(string Name, double LimitMs, double? MeasuredMs, bool? Met, string Note);

        public static Report Build(BenchOptions options, ProductTarget product, Uri? baselineUrl, DateTimeOffset startedAt,
            IReadOnlyList<PhaseResult> warmups, IReadOnlyList<PhaseResult> phases, IReadOnlyList<LoopResult> loops)
        {
            var s = new StringBuilder();
            const string header = "target    rate/s  secs    sent      ok  errors  missing   sent/s     ok/s | " +
                "feed p50     p95     p99     max | post p50     p99";
            s.AppendLine("POST -> feed latency in ms (send of the POST to receipt of the feed entry on the wall's SignalR client)");
            s.AppendLine(header);
            s.AppendLine(new string('-', header.Length));
            var ratios = new List<Ratio>();
            foreach (var group in phases.GroupBy(p => p.Rate))
            {
                foreach (var p in group)
                {
                    s.Append(CultureInfo.InvariantCulture, $"{p.Target,-8} {p.Rate,7} {p.Seconds,5:0.#} {p.Sent,7} {p.Ok,7} {p.HttpErrors,7} {p.Missing,8}");
                    s.Append(CultureInfo.InvariantCulture, $" {p.SentPerSecond,8:0.0} {p.OkPerSecond,8:0.0} |");
                    s.Append(CultureInfo.InvariantCulture, $" {Ms(p.Feed?.P50),8} {Ms(p.Feed?.P95),7} {Ms(p.Feed?.P99),7} {Ms(p.Feed?.Max),7} |");
                    s.AppendLine(CultureInfo.InvariantCulture, $" {Ms(p.Post?.P50),8} {Ms(p.Post?.P99),7}");
                }
                var prod = group.FirstOrDefault(p => p.Target == "product");
                var basis = group.FirstOrDefault(p => p.Target == "baseline");
                if (prod is not null && basis is not null)
                {
                    var r = new Ratio(group.Key, Div(prod.Feed?.P50, basis.Feed?.P50), Div(prod.Feed?.P99, basis.Feed?.P99),
                        Div(prod.Post?.P50, basis.Post?.P50), Div(prod.Post?.P99, basis.Post?.P99));
                    ratios.Add(r);
                    s.Append(CultureInfo.InvariantCulture, $"{"ratio",-8} {group.Key,7} {"",5} {"",7} {"",7} {"",7} {"",8} {"",8} {"",8} |");
                    s.Append(CultureInfo.InvariantCulture, $" {X(r.P50),8} {"",7} {X(r.P99),7} {"",7} |");
                    s.AppendLine(CultureInfo.InvariantCulture, $" {X(r.PostP50),8} {X(r.PostP99),7}");
                }
                s.AppendLine();
            }

            s.AppendLine("errors: non-2xx answers, and requests that got no answer (timeout, refused) or were never sent (see notes);");
            s.AppendLine("missing: answered 2xx but no feed entry within the drain time; ok/s: answered 2xx per second of the phase;");
            s.AppendLine(baselineUrl is null
                ? "Latency counts from the moment the POST is handed to the socket, not from its slot."
                : "ratio: product / baseline. Latency counts from the moment the POST is handed to the socket, not from its slot.");
            s.AppendLine();

            var notes = new List<string>();
            foreach (var p in phases.Concat(warmups))
            {
                var label = $"{p.Target} {(p.Phase == "warmup" ? "warm-up" : $"{p.Rate}/s")}";
                if (p.HttpErrors > 0)
                {
                    notes.Add($"{label}: {p.HttpErrors} errors ({string.Join(", ", p.ErrorsByStatus.Select(e => $"{e.Key} x{e.Value}"))}); first of each:");
                    notes.AddRange(p.FirstErrors.Select(e => $"    {e.Key}: {e.Value}"));
                }
                if (p.GeneratorLag.P99 > 5)
                    notes.Add($"{label}: requests left late (generator lag p99 {p.GeneratorLag.P99:0.0} ms, max {p.GeneratorLag.Max:0.0} ms): " +
                        "the in-flight bound or the machine held them back");
                if (p.FeedConnectionLost is not null)
                    notes.Add($"{label}: the feed connection was lost ({p.FeedConnectionLost})");
                if (p.Missing > 0)
                    notes.Add($"{label}: {p.Missing} answered reports never reached the wall within {options.DrainSeconds:0.#} s");
            }

            foreach (var loop in loops)
            {
                const string loopHeader = "full loop  rate/s  workers  started  completed  failed  loops/s  open max | loop p50      p99      max";
                s.AppendLine("Full loop: report, then verify, ticket, dispatch (duty officer), accept, handle (grid worker), " +
                    "feedback (duty), rate (citizen link)");
                s.AppendLine(loopHeader);
                s.AppendLine(new string('-', loopHeader.Length));
                s.Append(CultureInfo.InvariantCulture, $"{"loop",-9} {loop.Rate,7} {loop.Workers,8} {loop.Started,8} {loop.Completed,10} {loop.Failed,7}");
                s.Append(CultureInfo.InvariantCulture, $" {loop.LoopsPerSecond,8:0.0} {loop.PeakOpen,9} |");
                s.AppendLine(CultureInfo.InvariantCulture, $" {Ms(loop.LoopTime?.P50),8} {Ms(loop.LoopTime?.P99),8} {Ms(loop.LoopTime?.Max),8}");
                s.AppendLine();
                const string actionHeader = "action    by            ok  errors | p50       p99       max";
                s.AppendLine("Per action latency in ms (send of the POST to its complete answer)");
                s.AppendLine(actionHeader);
                s.AppendLine(new string('-', actionHeader.Length));
                foreach (var a in loop.Actions)
                    s.AppendLine(CultureInfo.InvariantCulture,
                        $"{a.Action,-9} {a.Actor,-8} {a.Ok,7} {a.Errors,7} | {Ms(a.Latency?.P50),8} {Ms(a.Latency?.P99),9} {Ms(a.Latency?.Max),9}");
                s.AppendLine();
                s.AppendLine("started: reports answered 2xx; failed: an action did not answer 2xx (the loop stops there); loops/s: completed");
                s.AppendLine("per second from the first report sent to the last rating answered; open max: most loops under way at once;");
                s.AppendLine("loop p50/p99/max: send of the report to the rating's answer, completed loops only.");
                s.AppendLine();
                foreach (var a in loop.Actions.Where(a => a.Errors > 0))
                {
                    notes.Add($"loop {loop.Rate}/s, {a.Action}: {a.Errors} errors " +
                        $"({string.Join(", ", a.ErrorsByStatus.Select(e => $"{e.Key} x{e.Value}"))}); first of each:");
                    notes.AddRange(a.FirstErrors.Select(e => $"    {e.Key}: {e.Value}"));
                }
            }

            var targets = new List<Target>();
            void Check(string name, double limit, PhaseResult? at, double? measured, string notMeasured)
            {
                string note;
                bool? met;
                if (at is null)
                    (met, note) = (null, notMeasured);
                else if (measured is null)
                    (met, note) = (false, "MISSED: no feed entry was received");
                else if (measured <= limit)
                    (met, note) = (true, "met");
                else
                    (met, note) = (false, $"MISSED by {measured - limit:0.00} ms ({measured / limit:0.0}x the target)");
                if (at is not null && (at.Missing > 0 || at.HttpErrors > 0))
                    note += $"; {at.Missing} missing entries and {at.HttpErrors} errors are not in the percentiles";
                targets.Add(new Target(name, limit, measured, met, note));
                s.AppendLine(CultureInfo.InvariantCulture, $"  {name} <= {limit,2:0} ms: {Ms(measured),8} ms  {note}");
            }
            if (options.FullLoop)
            {
                var during = phases.FirstOrDefault(p => p.Target == "loop");
                s.AppendLine(CultureInfo.InvariantCulture, $"target while the full loop runs at {options.LoopRate} reports/s (report -> wall feed latency):");
                Check("p99", TargetP99, during, during?.Feed?.P99, "not measured (the loop phase did not run)");
            }
            else
            {
                var atTarget = phases.FirstOrDefault(p => p.Target == "product" && p.Rate == (int)TargetRate);
                s.AppendLine(CultureInfo.InvariantCulture, $"targets at {TargetRate:0} reports/s (product feed latency):");
                Check("p50", TargetP50, atTarget, atTarget?.Feed?.P50, $"not measured ({TargetRate:0}/s is not among --rates)");
                Check("p99", TargetP99, atTarget, atTarget?.Feed?.P99, $"not measured ({TargetRate:0}/s is not among --rates)");
            }

            if (notes.Count > 0)
            {
                s.AppendLine();
                s.AppendLine("notes:");
                foreach (var n in notes)
                    s.AppendLine("  " + n);
            }

            var json = new
            {
                startedAt,
                finishedAt = DateTimeOffset.UtcNow,
                machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
                options = new
                {
                    url = options.Url.ToString(),
                    options.Rates,
                    options.Seconds,
                    options.BaselineSeconds,
                    options.WarmupSeconds,
                    options.WarmupRate,
                    options.DrainSeconds,
                    options.MaxInFlight,
                    options.Redis,
                    options.FullLoop,
                    options.LoopRate,
                    options.LoopWorkers,
                },
                product = new { url = options.Url.ToString(), county = product.County, countyName = product.CountyName, grids = product.Grids.Count },
                baseline = baselineUrl is null ? null : new { url = baselineUrl.ToString(), redis = options.Redis },
                latencyDefinition = "ms from handing the POST to the socket handler (Stopwatch) to receipt of its feed entry by the SignalR client; " +
                    "post = send to complete answer",
                warmups,
                phases,
                loops,
                ratios,
                targets,
                notes,
            };
            return new Report(s.ToString(), json);
        }

        private static double? Div(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

        private static string Ms(double? v) => v is { } x ? x.ToString(x >= 1000 ? "0" : "0.00", CultureInfo.InvariantCulture) : "-";

        private static string X(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";
    }
}
