using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Bench;

/// <summary>
/// The command scenario (--command), two measures against the running product and against <see cref="BaselineHost"/>
/// in the same run. The shared view (领屏): the bench opens a command session in the county as <c>commander</c>,
/// takes its lead (<c>POST /api/command-sessions/{id}/lead</c>), connects --followers walls as <c>duty</c> that join
/// it (<c>JoinSession(id, 0)</c>) and one leader's connection as <c>commander</c>, and shares --view-rate views a
/// second (<c>ShareView</c>) for --seconds; each view's index is in its <c>selectedCamera</c> ("bench-v-INDEX"), and
/// every follower's <c>sessionView</c> of it gives one latency from the invocation's send. Instructions: --recipients
/// walls as <c>duty</c>, each subscribed to one station's feed (the townships first, then the villages, in the
/// county's order), and an instruction to the county with <c>broadcast: true</c> (every station of it) every
/// --instruction-interval seconds for --seconds (<c>POST /api/instructions</c>, a new Idempotency-Key each, the index
/// in its text); every wall's <c>instructionIssued</c> of it gives one latency from the POST's send. Both are open
/// loop: message i leaves at start + i × interval, whatever became of the earlier ones. Each measure is preceded by
/// --warmup-seconds at the same pace, not counted, and for the product by a wait until it is idle
/// (<see cref="ProcessCpu.WaitIdle"/>). The baseline: the same walls and pace against the baseline host's
/// bare hub method, which relays a view to the session's group, and its bare POST, which sends one message to each
/// station's group (as many stations as the product's broadcast reaches), on the same Redis backplane. The session is
/// closed at the end. One machine, one clock: every time is this process's <see cref="Stopwatch"/>.
/// </summary>
public static class CommandScenario
{
    /// <summary>The target of the shared view: follower p99 at most this (ms).</summary>
    public const double ViewTargetP99 = 100;

    /// <summary>The target of instructions: recipient p99 at most this (ms).</summary>
    public const double InstructionTargetP99 = 200;

    private const string ViewMessage = "sessionView";
    private const string InstructionMessage = "instructionIssued";

    /// <summary>What one measure of one target gave (times in ms).</summary>
    private sealed record Measure(string Target, int Sent, int Failed, int Walls, Percentiles? Latency, int Missing, Percentiles? Answer,
        Percentiles Lag, string? FirstError, string? ConnectionLost, IdleCpu? Idle, double? AppMsPerSecond);

    /// <summary>The stations of the county in the tree's order: its townships' codes and its villages', and all of them, townships first.</summary>
    internal sealed record Stations(IReadOnlyList<string> Townships, IReadOnlyList<string> Villages)
    {
        public IReadOnlyList<string> All { get; } = [.. Townships, .. Villages];
    }

    public static async Task<int> Run(HttpClient http, Uri baseUrl, ProductTarget product, string dutyToken, string commanderToken, int appPid,
        string? redis, CommandOptions options, CancellationToken cancellationToken)
    {
        var stations = await ReadStations(http, baseUrl, cancellationToken);
        if (stations.Townships.Count < 2)
        {
            Console.Error.WriteLine($"bench: the county {product.County} has {stations.Townships.Count} township(s); the session needs two participants");
            return 1;
        }
        var recipients = stations.All.Take(options.Recipients).ToList();
        var hubUrl = new Uri(baseUrl, ProductTarget.HubPath.TrimStart('/'));
        var views = (int)Math.Round(options.ViewRate * options.Seconds);
        var warmupViews = (int)Math.Round(options.ViewRate * options.WarmupSeconds);
        var instructions = Math.Max(1, (int)Math.Floor(options.Seconds / options.InstructionInterval));
        var warmupInstructions = options.WarmupSeconds > 0 ? Math.Max(1, (int)Math.Ceiling(options.WarmupSeconds / options.InstructionInterval)) : 0;

        var session = await Call(http, HttpMethod.Post, new Uri(baseUrl, "api/command-sessions"), commanderToken,
            new
            {
                title = "压测：共享视图与指令（tests/bench）",
                area = product.County,
                level = "general",
                participants = stations.Townships.Take(2).ToArray(),
            },
            "opening the session", cancellationToken, idempotencyKey: Guid.NewGuid().ToString("N"));
        var sessionId = session.GetProperty("id").GetGuid();
        Console.WriteLine("CommandCenter command bench: the shared view (领屏: ShareView -> sessionView) and instructions to every station " +
            "(POST /api/instructions -> instructionIssued)");
        Console.WriteLine($"session   {sessionId} in {product.County} {product.CountyName}, stations {string.Join(", ", stations.Townships.Take(2))} " +
            "taking part, opened and led (POST lead) by commander, closed at the end");
        Console.WriteLine($"views     {options.Followers} followers (duty, JoinSession(id, 0)) and 1 leader (commander); {options.ViewRate:0.#} views/s " +
            $"for {options.Seconds:0.#} s = {views} views, open loop (view i is shared at start + i/{options.ViewRate:0.#} s whatever became of " +
            $"the earlier ones), after {warmupViews} not counted; each view's index in its selectedCamera");
        Console.WriteLine($"instr.    {recipients.Count} walls (duty), each subscribed to one station's feed: " +
            $"{recipients.Count(stations.Townships.Contains)} townships and {recipients.Count(stations.Villages.Contains)} villages of the county's " +
            $"{stations.All.Count} stations; an instruction every {options.InstructionInterval:0.#} s for {options.Seconds:0.#} s = {instructions}, " +
            $"to [{product.County}] with broadcast: true ({stations.All.Count} stations), a new Idempotency-Key each, open loop, " +
            $"after {warmupInstructions} not counted");
        Console.WriteLine(redis is null
            ? "baseline  none (give --redis HOST:PORT of the product's Redis, as bench.sh does)"
            : $"baseline  the bench's bare host on the same Redis ({redis}): a hub method relaying each view to the session's group, and a POST " +
                $"sending one message to each of the {stations.All.Count} stations' groups; the same walls, pace and counts");
        Console.WriteLine();

        var measures = new List<(Measure Product, Measure? Baseline)>();
        try
        {
            await Call(http, HttpMethod.Post, new Uri(baseUrl, $"api/command-sessions/{sessionId}/lead"), commanderToken, null, "taking the lead",
                cancellationToken);
            BaselineHost? baseline = null;
            try
            {
                if (redis is not null)
                {
                    try
                    {
                        baseline = await BaselineHost.Start(redis, cancellationToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Console.Error.WriteLine($"bench: the baseline host could not start ({e.GetType().Name}: {e.Message}); measuring the product only");
                    }
                }
                var baselineHub = baseline is null ? null : new Uri(baseline.Url, BaselineHost.HubPath.TrimStart('/'));
                var center = product.Grids[0];

                // ---- the shared view ----
                object View(string tag, int i) => new
                {
                    lat = center.Latitude + (i % 100) * 1e-4,
                    lng = center.Longitude + (i % 100) * 1e-4,
                    zoom = 12 + i % 4,
                    layers = new[] { "incidents", "cameras" },
                    selectedCamera = tag,
                };
                Console.Error.WriteLine($"bench: shared view, product: {options.Followers} followers, {options.ViewRate:0.#} views/s " +
                    $"for {options.Seconds:0.#} s");
                var productViews = await Views("product", hubUrl, options, warmupViews, views, appPid,
                    (c, _) => c.InvokeAsync<JsonElement>("JoinSession", sessionId, 0L, cancellationToken),
                    (leader, tag, i) => leader.InvokeAsync<long>("ShareView", sessionId, View(tag, i), cancellationToken),
                    dutyToken, commanderToken, cancellationToken);
                Measure? baselineViews = null;
                if (baselineHub is not null)
                {
                    Console.Error.WriteLine("bench: shared view, baseline");
                    var group = sessionId.ToString("N");
                    baselineViews = await Views("baseline", baselineHub, options, warmupViews, views, 0,
                        (c, _) => c.InvokeAsync("JoinSession", group, cancellationToken),
                        (leader, tag, i) => leader.InvokeAsync<long>("ShareView", group, View(tag, i), cancellationToken),
                        null, null, cancellationToken);
                }
                measures.Add((productViews, baselineViews));

                // ---- instructions ----
                Console.Error.WriteLine($"bench: instructions, product: {recipients.Count} walls, one every {options.InstructionInterval:0.#} s " +
                    $"for {options.Seconds:0.#} s");
                var heads = new long[recipients.Count];
                for (var k = 0; k < recipients.Count; k++)
                    heads[k] = (await Call(http, HttpMethod.Get, new Uri(baseUrl, $"api/feeds/{Uri.EscapeDataString(recipients[k])}?after=0&limit=1"),
                        dutyToken, null, $"reading the feed of {recipients[k]}", cancellationToken)).GetProperty("head").GetInt64();
                var productInstructions = await Instructions("product", hubUrl, options, recipients.Count, warmupInstructions, instructions, appPid,
                    (c, k) => c.InvokeAsync<JsonElement>("Subscribe", recipients[k], heads[k], cancellationToken),
                    new Uri(baseUrl, "api/instructions"), commanderToken, text => new { text, recipients = new[] { product.County }, broadcast = true },
                    http, dutyToken, cancellationToken);
                Measure? baselineInstructions = null;
                if (baseline is not null)
                {
                    Console.Error.WriteLine("bench: instructions, baseline");
                    baselineInstructions = await Instructions("baseline", baselineHub!, options, recipients.Count, warmupInstructions, instructions, 0,
                        (c, k) => c.InvokeAsync("SubscribeStation", recipients[k], cancellationToken),
                        new Uri(baseline.Url, "api/instructions"), null, text => new { text, recipients = stations.All },
                        http, null, cancellationToken);
                }
                measures.Add((productInstructions, baselineInstructions));
            }
            finally
            {
                if (baseline is not null)
                    await baseline.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                await Call(http, HttpMethod.Post, new Uri(baseUrl, $"api/command-sessions/{sessionId}/close"), commanderToken,
                    new { summary = "压测结束（tests/bench --command）" }, "closing the session", CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Console.Error.WriteLine($"bench: the session {sessionId} could not be closed: {e.Message}");
            }
        }

        Print(measures[0], "View change -> follower in ms (ShareView sent on the leader's connection to sessionView on a follower's; " +
            "one per follower per view); answer: ShareView's result", "views", "follower", ViewTargetP99);
        if (measures.Count > 1)
            Print(measures[1], "Instruction -> recipient in ms (POST /api/instructions sent to instructionIssued on a station's wall; " +
                "one per wall per instruction); answer: the POST's own latency", "instr.", "recipient", InstructionTargetP99);
        Console.WriteLine("failed: ShareView or POST not answered with success (not in missing); missing: sent, but a wall had no copy of it " +
            $"{options.DrainSeconds:0.#} s after the last answer; lag p99: how late the generator sent against the schedule");
        return 0;
    }

    private static async Task<Measure> Views(string target, Uri hubUrl, CommandOptions options, int warmup, int count, int appPid,
        Func<HubConnection, int, Task> join, Func<HubConnection, string, int, Task<long>> share, string? followerToken, string? leaderToken,
        CancellationToken cancellationToken)
    {
        await using var followers = await CommandWalls.Start(hubUrl, options.Followers, ViewMessage, ViewTag, join, cancellationToken, followerToken);
        await using var leader = BenchHub.Build(hubUrl, leaderToken);
        await leader.StartAsync(cancellationToken);
        var interval = 1 / options.ViewRate;
        if (warmup > 0)
        {
            var round = followers.Begin("bench-vw-", warmup);
            await Paced(round, warmup, interval, i => share(leader, round.Tag(i), i), options.DrainSeconds, cancellationToken);
        }
        var idle = appPid == 0 ? null : await ProcessCpu.WaitIdle(appPid, cancellationToken);
        var measured = followers.Begin("bench-v-", count);
        var cpuFrom = ProcessCpu.Read(appPid);
        var sent = await Paced(measured, count, interval, i => share(leader, measured.Tag(i), warmup + i), options.DrainSeconds, cancellationToken);
        return Result(target, sent, measured, followers, ProcessCpu.Read(appPid).Since(cpuFrom, sent.Ok), idle);
    }

    private static async Task<Measure> Instructions(string target, Uri hubUrl, CommandOptions options, int walls, int warmup, int count, int appPid,
        Func<HubConnection, int, Task> subscribe, Uri postUrl, string? issuerToken, Func<string, object> body, HttpClient http, string? wallToken,
        CancellationToken cancellationToken)
    {
        await using var recipients = await CommandWalls.Start(hubUrl, walls, InstructionMessage, InstructionTag, subscribe, cancellationToken, wallToken);
        Task Issue(string tag) => Call(http, HttpMethod.Post, postUrl, issuerToken, body($"压测指令：请核实辖区情况（tests/bench）{tag}"),
            "issuing an instruction", cancellationToken, idempotencyKey: Guid.NewGuid().ToString("N"));
        if (warmup > 0)
        {
            var round = recipients.Begin("bench-iw-", warmup);
            await Paced(round, warmup, options.InstructionInterval, i => Issue(round.Tag(i)), options.DrainSeconds, cancellationToken);
        }
        var idle = appPid == 0 ? null : await ProcessCpu.WaitIdle(appPid, cancellationToken);
        var measured = recipients.Begin("bench-i-", count);
        var cpuFrom = ProcessCpu.Read(appPid);
        var sent = await Paced(measured, count, options.InstructionInterval, i => Issue(measured.Tag(i)), options.DrainSeconds, cancellationToken);
        return Result(target, sent, measured, recipients, ProcessCpu.Read(appPid).Since(cpuFrom, sent.Ok), idle);
    }

    private sealed record Sent(int Ok, int Failed, List<double> Answers, List<double> Lags, string? FirstError);

    /// <summary>
    /// Sends message i of <paramref name="count"/> at start + i × <paramref name="interval"/> seconds (open loop: not
    /// waiting for the earlier ones), stamping its send in <paramref name="round"/>; then waits for the answers, and for
    /// every wall to have every message, or <paramref name="drainSeconds"/> after the last answer. A message whose send
    /// failed is taken out of the round again (counted as failed, not as missing).
    /// </summary>
    private static async Task<Sent> Paced(CommandWalls.Round round, int count, double interval, Func<int, Task> send, double drainSeconds,
        CancellationToken cancellationToken)
    {
        var answers = new double[count];
        var failed = new bool[count];
        var lags = new List<double>(count);
        string? firstError = null;
        var tasks = new List<Task>(count);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * interval * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancellationToken);
            var at = Stopwatch.GetTimestamp();
            lags.Add(Stopwatch.GetElapsedTime(due, at).TotalMilliseconds);
            round.Sent(i, at);
            var index = i;
            tasks.Add(Answered(send(index), at, index));
        }

        async Task Answered(Task sending, long at, int index)
        {
            try
            {
                await sending;
                answers[index] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failed[index] = true;
                round.Sent(index, 0);
                Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
            }
        }

        await Task.WhenAll(tasks);
        var deadline = Stopwatch.GetTimestamp() + (long)(drainSeconds * Stopwatch.Frequency);
        while (!round.Complete() && Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            await Task.Delay(20, CancellationToken.None);
        var ok = Enumerable.Range(0, tasks.Count).Where(i => !failed[i]).ToList();
        return new Sent(ok.Count, tasks.Count - ok.Count, [.. ok.Select(i => answers[i])], lags, firstError);
    }

    /// <summary>
    /// The measure's figures, with the product's CPU ms per second over the measure and its drain, and over the idle
    /// window just before it (<paramref name="idle"/>).
    /// </summary>
    private static Measure Result(string target, Sent sent, CommandWalls.Round round, CommandWalls walls, CpuUse cpu, IdleCpu? idle)
    {
        var (latencies, missing) = round.Result();
        return new Measure(target, sent.Ok + sent.Failed, sent.Failed, walls.Count, Percentiles.Of(latencies), missing, Percentiles.Of(sent.Answers),
            Percentiles.Of(sent.Lags) ?? new Percentiles(0, 0, 0, 0, 0, 0), sent.FirstError, walls.ClosedBecause, idle,
            cpu.AppMs is { } ms && cpu.Seconds > 0 ? ms / cpu.Seconds : null);
    }

    private static void Print((Measure Product, Measure? Baseline) measure, string title, string what, string who, double target)
    {
        var header = $"target    {what,7}  failed  walls  received  missing |      p50      p95      p99      max | answer p50      p99 | lag p99";
        Console.WriteLine(title);
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        foreach (var m in new[] { measure.Product, measure.Baseline })
        {
            if (m is null)
                continue;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Target,-9} {m.Sent,7} {m.Failed,7} {m.Walls,6} {m.Latency?.Count ?? 0,9} {m.Missing,8} | {Ms(m.Latency?.P50),8} {Ms(m.Latency?.P95),8} " +
                $"{Ms(m.Latency?.P99),8} {Ms(m.Latency?.Max),8} | {Ms(m.Answer?.P50),10} {Ms(m.Answer?.P99),8} | {Ms(m.Lag.P99),7}"));
        }
        if (measure.Baseline is { } b && measure.Product is var p)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"ratio",-9} {"",7} {"",7} {"",6} {"",9} {"",8} | {X(p.Latency?.P50, b.Latency?.P50),8} {X(p.Latency?.P95, b.Latency?.P95),8} " +
                $"{X(p.Latency?.P99, b.Latency?.P99),8} {X(p.Latency?.Max, b.Latency?.Max),8} | {X(p.Answer?.P50, b.Answer?.P50),10} " +
                $"{X(p.Answer?.P99, b.Answer?.P99),8} |"));
        var verdict = measure.Product.Latency is not { } latency ? "MISSED: nothing was received"
            : latency.P99 <= target ? "met"
            : string.Create(CultureInfo.InvariantCulture, $"MISSED by {latency.P99 - target:0.00} ms ({latency.P99 / target:0.0}x the target)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target    {who} p99 <= {target:0} ms: {verdict}{(measure.Product.Latency is { } l ? $" ({Ms(l.P99)} ms)" : "")}"));
        if (measure.Product.AppMsPerSecond is { } used)
        {
            var before = measure.Product.Idle is { } idle ? $", {idle.MsPerSecond:0.0} in the 3 s idle window just before it" : "";
            Console.WriteLine($"cpu       the product's processes used {used:0.0} ms of CPU per second over the measure and its drain{before}");
        }
        foreach (var m in new[] { measure.Product, measure.Baseline })
        {
            if (m?.FirstError is { } error)
                Console.WriteLine($"note      {m.Target}: {m.Failed} failed; the first: {error}");
            if (m?.ConnectionLost is { } lost)
                Console.WriteLine($"note      {m.Target}: a wall's connection was lost ({lost})");
        }
        Console.WriteLine();
    }

    private static string Ms(double? v) => v is { } x ? x.ToString(x >= 1000 ? "0" : "0.00", CultureInfo.InvariantCulture) : "-";

    private static string X(double? a, double? b) =>
        a is { } x && b is { } y && y > 0 ? (x / y).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";

    /// <summary>The tag of a <c>sessionView</c>: its view's <c>selectedCamera</c>.</summary>
    private static string? ViewTag(JsonElement led) =>
        led.ValueKind == JsonValueKind.Object && led.TryGetProperty("view", out var view) && view.ValueKind == JsonValueKind.Object
            && view.TryGetProperty("selectedCamera", out var camera) && camera.ValueKind == JsonValueKind.String
            ? camera.GetString()
            : null;

    /// <summary>The tag of an <c>instructionIssued</c>: its text, which ends with it.</summary>
    private static string? InstructionTag(JsonElement notice) =>
        notice.ValueKind == JsonValueKind.Object && notice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;

    /// <summary>The county's townships and villages in the tree's order (GET /api/jurisdictions, root first).</summary>
    internal static async Task<Stations> ReadStations(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri(baseUrl, "api/jurisdictions"), cancellationToken));
        var areas = list.RootElement.EnumerateArray()
            .Select(j => (Code: j.GetProperty("code").GetString()!, Level: j.GetProperty("level").GetString()))
            .ToList();
        return new Stations([.. areas.Where(a => a.Level == "township").Select(a => a.Code)],
            [.. areas.Where(a => a.Level == "village").Select(a => a.Code)]);
    }

    /// <summary>A request with a bearer token (when given) and a JSON body (when given); its answer, or an exception naming <paramref name="what"/>.</summary>
    internal static async Task<JsonElement> Call(HttpClient http, HttpMethod method, Uri url, string? token, object? body, string what,
        CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        using var answer = JsonDocument.Parse(text);
        return answer.RootElement.Clone();
    }
}

/// <summary>The command scenario's options (see <see cref="BenchOptions.Usage"/>).</summary>
public sealed record CommandOptions(int Followers, double ViewRate, int Recipients, double InstructionInterval, double Seconds, double WarmupSeconds,
    double DrainSeconds);
