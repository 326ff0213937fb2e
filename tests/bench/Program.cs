using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CommandCenter.Bench;
using Microsoft.AspNetCore.SignalR.Client;

// Latency bench: open-loop report intake against the running product, wall feed followed over SignalR, and the same
// measure against a bare baseline host on the same Redis backplane; or (--full-loop) every report closed by simulated
// users while the wall feed is measured; or one of the scenarios (--cameras, --positions, --command). See BenchOptions.Usage.

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
string intakeKey, duty, admin;
IReadOnlyList<LoopWorker> loopWorkers = [];
try
{
    duty = await ProductTarget.Token(http, options.Url, "duty", password, stop.Token);
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", duty);
    product = await ProductTarget.Discover(http, options.Url, stop.Token);
    admin = await ProductTarget.Token(http, options.Url, "admin", password, stop.Token);
    intakeKey = await ProductTarget.IntakeKey(http, options.Url, admin, product.County, "bench", stop.Token);
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

if (options.Positions)
{
    await productFeed.DisposeAsync();
    var positionsKey = await ProductTarget.IntakeKey(http, options.Url, admin, product.County, $"bench-positions-{runId}", stop.Token, positions: true);
    return await PositionScenario.Run(http, options.Url, product, positionsKey, duty, admin, options.AppPid,
        options.RunBaseline ? options.Redis : null, options.People, options.PositionInterval, options.Seconds,
        Math.Max(options.WarmupSeconds, options.PositionInterval),
        options.Walls, people => ResponderQueries.Run(http, options.Url, product, intakeKey, admin, runId, people, ResponderQueries.OnDuty,
            ResponderQueries.Queries, stop.Token),
        stop.Token);
}

// The command and video scenarios act as the county's commander.
async Task<string?> CommanderToken()
{
    try
    {
        return await ProductTarget.Token(http, options.Url, "commander", password, stop.Token);
    }
    catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException)
    {
        Console.Error.WriteLine($"bench: cannot sign in as commander: {e.Message}");
        return null;
    }
}

if (options.Video)
{
    await productFeed.DisposeAsync();
    if (await CommanderToken() is not { } commanderToken)
        return 1;
    return await VideoScenario.Run(http, options.Url, product, commanderToken, password, options.AppPid,
        new VideoBenchOptions(options.Participants, options.Janus!, options.JanusSecrets!, options.JanusPid, options.Chromium, options.Seconds,
            options.RollCalls), stop.Token);
}

if (options.Stats)
{
    await productFeed.DisposeAsync();
    return await StatsScenario.Run(http, options.Url, duty, options.Postgres!, options.Incidents, options.HistoryYears, options.Queries, stop.Token);
}

if (options.Command)
{
    await productFeed.DisposeAsync();
    if (await CommanderToken() is not { } commander)
        return 1;
    return await CommandScenario.Run(http, options.Url, product, duty, commander, options.AppPid, options.RunBaseline ? options.Redis : null,
        new CommandOptions(options.Followers, options.ViewRate, options.Recipients, options.InstructionInterval, options.Seconds,
            options.WarmupSeconds, options.DrainSeconds),
        stop.Token);
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
    LoadPhase Load(Uri baseUrl, FeedListener feed, string phase, FullLoop? loop = null, Action<Guid, byte[], long>? created = null) => new(http,
        new Uri(baseUrl, baseUrl == options.Url ? "api/intake/incidents" : "api/incidents"), feed,
        i => ($"bench-{runId}-{phase}-{i}", loop is null ? bodies[i % bodies.Length] : loop.Bodies[i % loop.Bodies.Count]), options.MaxInFlight,
        options.SamplesDir is null ? null : Path.Combine(options.SamplesDir, $"{(baseUrl == options.Url ? "product" : "baseline")}-{phase}.csv"),
        baseUrl == options.Url ? intakeKey : null, loop is null ? created : loop.Start, options.AppPid);

    // Loops still open this long after their phase's reports are done are abandoned.
    var loopWait = TimeSpan.FromSeconds(options.DrainSeconds + 60);
    async Task<(PhaseResult Reports, LoopResult Loop)> RunLoop(string phase, int rate, double seconds)
    {
        var loop = new FullLoop(users, options.Url, duty, loopWorkers, product, $"{runId}-{phase}", stop.Token);
        var from = ProcessCpu.Read(options.AppPid);
        var reports = await Load(options.Url, productFeed, phase, loop).Run("loop", phase == "loopwarmup" ? "warmup" : "measure", rate, seconds,
            options.DrainSeconds, stop.Token);
        var result = await loop.Finish(phase, rate, loopWait);
        return (reports, result with { Cpu = LoopCpu.Of(from, ProcessCpu.Read(options.AppPid), reports.Ok, result.Actions.Sum(a => a.Ok)) });
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
        : (options.Rates.Count == 0 ? "phases    no fixed rates" : $"phases    rates {string.Join(",", options.Rates)}/s, {options.Seconds:0.#} s each " +
            $"(baseline {options.BaselineSeconds:0.#} s)") +
            $", warm-up {options.WarmupSeconds:0.#} s at {options.WarmupRate}/s (product: at least one report per grid), " +
            $"drain {options.DrainSeconds:0.#} s, max {options.MaxInFlight} POSTs in flight");
    if (options.FindRate)
        Console.WriteLine($"search    highest sustainable rate from {options.FindRateFrom}/s up to {options.FindRateTo}/s, " +
            $"steps of {options.FindRateStep:0.#} s, at most {options.FindRateBudget:0} s per target");
    Console.WriteLine(options.AppPid == 0
        ? "cpu       not measured (give --app-pid PID of the product; bench.sh does)"
        : $"cpu       the product's process {options.AppPid} and its descendants (/proc), and this bench process");

    CameraCounts? cameras = null;
    if (options.WithCameras)
    {
        Console.Error.WriteLine("bench: waiting until every demo camera has been probed (at most 5 minutes)");
        cameras = await product.WaitCamerasProbed(http, options.Url, TimeSpan.FromMinutes(5), stop.Token);
        Console.WriteLine($"cameras   {cameras.Online} online, {cameras.Offline} offline, {cameras.Unknown} unknown after " +
            $"{cameras.WatchedSeconds:0} s of watching; evidence on (the cameras nearest each report, captured after its answer)");
    }
    Console.WriteLine();

    var phases = new List<PhaseResult>();
    var warmups = new List<PhaseResult>();
    var loops = new List<LoopResult>();
    var searches = new List<SearchResult>();
    var evidence = new List<EvidenceSample>();
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

    // What the product's processes use with no reports coming in (probes, reminders, timers; with --with-cameras also
    // serving the streams and the warm-up's evidence captures), so that the CPU per report can be read against it.
    // Right after the warm-up the JIT's tier-up compiles in bursts of most of a core: the phases begin once a 3 s
    // window used less than a tenth of a core, or after 30 s.
    IdleCpu? idle = null;
    if (options.AppPid != 0 && !stop.IsCancellationRequested)
    {
        await Settle(http, options.Url, product.County, TimeSpan.FromSeconds(120), stop.Token);
        idle = await ProcessCpu.WaitIdle(options.AppPid, stop.Token);
    }

    if (options.FullLoop && !stop.IsCancellationRequested)
    {
        await Settle(http, options.Url, product.County, TimeSpan.FromSeconds(120), stop.Token);
        Console.Error.WriteLine($"bench: full loop at {options.LoopRate}/s for {options.Seconds:0.#} s");
        var (reports, loop) = await RunLoop($"loop{options.LoopRate}", options.LoopRate, options.Seconds);
        phases.Add(reports);
        loops.Add(loop);
    }

    foreach (var rate in options.FullLoop ? [] : options.Rates)
    {
        if (stop.IsCancellationRequested)
            break;
        await Settle(http, options.Url, product.County, TimeSpan.FromSeconds(120), stop.Token);
        Console.Error.WriteLine($"bench: product at {rate}/s for {options.Seconds:0.#} s");
        // With the cameras, every n-th report (20 of the phase) is looked at afterwards for its evidence.
        var sampled = new ConcurrentBag<Guid>();
        var every = Math.Max(1, (int)(rate * options.Seconds / 20));
        var answered = 0;
        var created = options.WithCameras
            ? (Guid id, byte[] _, long _) =>
            {
                if (Interlocked.Increment(ref answered) % every == 0)
                    sampled.Add(id);
            }
            : (Action<Guid, byte[], long>?)null;
        phases.Add(await Load(options.Url, productFeed, $"r{rate}", created: created)
            .Run("product", "measure", rate, options.Seconds, options.DrainSeconds, stop.Token));
        if (options.WithCameras)
            evidence.Add(await Evidence(http, options.Url, rate, [.. sampled], stop.Token));
        if (baseline is not null && !stop.IsCancellationRequested)
        {
            await Settle(http, options.Url, product.County, TimeSpan.FromSeconds(120), stop.Token);
            Console.Error.WriteLine($"bench: baseline at {rate}/s for {options.BaselineSeconds:0.#} s");
            phases.Add(await Load(baseline.Url, baselineFeed!, $"r{rate}").Run("baseline", "measure", rate, options.BaselineSeconds,
                options.DrainSeconds, stop.Token));
        }
        await Task.Delay(1000, CancellationToken.None);
    }

    if (options.FindRate)
    {
        // Requests of a step still unanswered this long after its last one was due are abandoned (a failed step).
        const double stepGiveUp = 10;
        Task SettleFor(TimeSpan most) => Settle(http, options.Url, product.County, most, stop.Token);
        if (!stop.IsCancellationRequested)
            searches.Add(await RateSearch.Run("product", options.FindRateFrom, options.FindRateTo, options.FindRateStep, options.FindRateBudget,
                rate => Load(options.Url, productFeed, $"find{rate}").Run("product", "search", rate, options.FindRateStep, options.DrainSeconds,
                    stop.Token, stepGiveUp),
                SettleFor, stop.Token));
        if (baseline is not null && !stop.IsCancellationRequested)
            searches.Add(await RateSearch.Run("baseline", options.FindRateFrom, options.FindRateTo, options.FindRateStep, options.FindRateBudget,
                rate => Load(baseline.Url, baselineFeed!, $"find{rate}").Run("baseline", "search", rate, options.FindRateStep, options.DrainSeconds,
                    stop.Token, stepGiveUp),
                SettleFor, stop.Token));
    }

    var report = Report.Build(options, product, baseline?.Url, startedAt,
        new RunResults(warmups, phases, loops, searches, idle, cameras, evidence));
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

// Waits (at most <most>) until the product's county feed stops growing, so that a phase does not start while the
// product is still working off the previous one (which would also slow the baseline, on the same machine).
static async Task Settle(HttpClient http, Uri url, string county, TimeSpan most, CancellationToken cancellationToken)
{
    var headUrl = new Uri(url, $"api/feeds/{Uri.EscapeDataString(county)}?after=0&limit=1");
    var deadline = DateTime.UtcNow + most;
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

// The camera frames attached to a sample of a phase's reports by the time the phase is over (evidence is captured
// after a report's answer, so the last reports' frames may still be coming).
static async Task<EvidenceSample> Evidence(HttpClient http, Uri url, int rate, IReadOnlyList<Guid> sample, CancellationToken cancellationToken)
{
    int withFrames = 0, frames = 0;
    foreach (var id in sample)
    {
        try
        {
            var n = await ProductTarget.CameraFrames(http, url, id, cancellationToken);
            frames += n;
            withFrames += n > 0 ? 1 : 0;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"bench: the photos of incident {id} could not be read: {e.Message}");
        }
    }
    return new EvidenceSample(rate, sample.Count, withFrames, frames);
}
