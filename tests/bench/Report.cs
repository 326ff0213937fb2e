using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace CommandCenter.Bench;

/// <summary>What a run measured, for the <see cref="Report"/>.</summary>
public sealed record RunResults(IReadOnlyList<PhaseResult> Warmups, IReadOnlyList<PhaseResult> Phases, IReadOnlyList<LoopResult> Loops,
    IReadOnlyList<SearchResult> Searches, IdleCpu? Idle, CameraCounts? Cameras, IReadOnlyList<EvidenceSample> Evidence);

/// <summary>The product's CPU without load: ms per second over the last 3 s window, <paramref name="AfterSeconds"/> after the warm-up.</summary>
public sealed record IdleCpu(double MsPerSecond, double AfterSeconds);

/// <summary>The printed table and its JSON twin.</summary>
public sealed record Report(string Text, object Json)
{
    // The targets of #13 (Deliver 4).
    public const int TargetRate = 500;
    public const double TargetSeconds = 60;
    public const double TargetP50 = 5;
    public const double TargetP99 = 20;
    public const int LoopTargetRate = 200;
    public const double ActionTargetP99 = 30;
    public const int AimRate = 1000;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Product / baseline at one rate. <paramref name="CpuPerReport"/> is the product's CPU per report over the
    /// baseline host's (estimated as in <see cref="BaselineCpuPerReport"/>).
    /// </summary>
    public sealed record Ratio(int Rate, double? P50, double? P99, double? PostP50, double? PostP99, double? CpuPerReport);

    /// <summary>
    /// One target: <paramref name="Compare"/> is "&lt;=" (a latency in ms at most the limit) or "&gt;=" (a rate in
    /// reports/s at least the limit); <paramref name="Met"/> is null when this run did not measure it.
    /// </summary>
    public sealed record Target(string Name, string Compare, double Limit, string Unit, double? Measured, bool? Met, string Note);

    /// <summary>
    /// The highest sustainable rates of the product and the baseline and their ratio; <paramref name="RatioBound"/>
    /// says whether the ratio is exact, "at most" or "at least" (when a search held its highest step or failed its first).
    /// </summary>
    public sealed record RateComparison(int? Product, int? Baseline, double? Ratio, string? RatioBound);

    public static Report Build(BenchOptions options, ProductTarget product, Uri? baselineUrl, DateTimeOffset startedAt, RunResults results)
    {
        var (warmups, phases, loops) = (results.Warmups, results.Phases, results.Loops);
        var s = new StringBuilder();
        var ratios = new List<Ratio>();
        if (results.Idle is { } idle)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"cpu       with no reports coming in, the product's processes used {idle.MsPerSecond:0.0} ms of CPU " +
                $"per second (a 3 s window ending {idle.AfterSeconds:0} s after the warm-up); cpu/rep includes that share");
            if (idle.MsPerSecond >= 100)
                s.AppendLine("          still above a tenth of a core: work left from the warm-up (queued evidence captures, the JIT) or background work");
        }
        if (s.Length > 0)
            s.AppendLine();
        if (phases.Count > 0)
        {
            const string header = "target    rate/s  secs    sent      ok  errors  missing   sent/s     ok/s | " +
                "feed p50     p95     p99     max | post p50     p99 | cpu/rep  bench/rep";
            s.AppendLine("POST -> feed latency in ms (send of the POST to receipt of the feed entry on the wall's SignalR client); CPU ms per report");
            s.AppendLine(header);
            s.AppendLine(new string('-', header.Length));
            foreach (var group in phases.GroupBy(p => p.Rate))
            {
                var prod = group.FirstOrDefault(p => p.Target == "product");
                var basis = group.FirstOrDefault(p => p.Target == "baseline");
                foreach (var p in group)
                {
                    // A full loop's row: the CPU of the whole loop phase per report, its actions included.
                    var loopCpu = p.Target == "loop" ? loops.FirstOrDefault()?.Cpu : null;
                    var cpu = p.Target switch
                    {
                        "baseline" => Approx(BaselineCpuPerReport(p, prod)),
                        "loop" => Cpu(loopCpu?.AppMsPerReport),
                        _ => Cpu(p.Cpu.AppMsPerReport),
                    };
                    var bench = Cpu(p.Target == "loop" ? loopCpu?.BenchMsPerReport : p.Cpu.BenchMsPerReport);
                    s.Append(CultureInfo.InvariantCulture, $"{p.Target,-8} {p.Rate,7} {p.Seconds,5:0.#} {p.Sent,7} {p.Ok,7} {p.HttpErrors,7} {p.Missing,8}");
                    s.Append(CultureInfo.InvariantCulture, $" {p.SentPerSecond,8:0.0} {p.OkPerSecond,8:0.0} |");
                    s.Append(CultureInfo.InvariantCulture, $" {Ms(p.Feed?.P50),8} {Ms(p.Feed?.P95),7} {Ms(p.Feed?.P99),7} {Ms(p.Feed?.Max),7} |");
                    s.AppendLine(CultureInfo.InvariantCulture, $" {Ms(p.Post?.P50),8} {Ms(p.Post?.P99),7} | {cpu,7} {bench,10}");
                }
                if (prod is not null && basis is not null)
                {
                    var r = new Ratio(group.Key, Div(prod.Feed?.P50, basis.Feed?.P50), Div(prod.Feed?.P99, basis.Feed?.P99),
                        Div(prod.Post?.P50, basis.Post?.P50), Div(prod.Post?.P99, basis.Post?.P99),
                        Div(prod.Cpu.AppMsPerReport, BaselineCpuPerReport(basis, prod)));
                    ratios.Add(r);
                    s.Append(CultureInfo.InvariantCulture, $"{"ratio",-8} {group.Key,7} {"",5} {"",7} {"",7} {"",7} {"",8} {"",8} {"",8} |");
                    s.Append(CultureInfo.InvariantCulture, $" {X(r.P50),8} {"",7} {X(r.P99),7} {"",7} |");
                    s.AppendLine(CultureInfo.InvariantCulture, $" {X(r.PostP50),8} {X(r.PostP99),7} | {X(r.CpuPerReport),7}");
                }
                s.AppendLine();
            }

            s.AppendLine("errors: non-2xx answers, and requests that got no answer (timeout, refused) or were never sent (see notes);");
            s.AppendLine("missing: answered 2xx but no feed entry within the drain time; ok/s: answered 2xx per second of the phase;");
            s.AppendLine(baselineUrl is null
                ? "Latency counts from the moment the POST is handed to the socket, not from its slot."
                : "ratio: product / baseline. Latency counts from the moment the POST is handed to the socket, not from its slot.");
            s.AppendLine("cpu/rep: CPU ms of the product's processes per report answered, over the phase and its drain (for the baseline,");
            s.AppendLine("~ the bench process's bench/rep in its phase less the bench/rep of the product's phase at that rate: the baseline");
            s.AppendLine("host runs in the bench process, beside the load generator and the feed listener; for the full loop, the whole loop");
            s.AppendLine("phase per report, its actions included); bench/rep: the bench process's.");
            s.AppendLine();
        }

        foreach (var e in results.Evidence)
            s.AppendLine(CultureInfo.InvariantCulture, $"evidence  {e.Rate}/s: {e.WithFrames} of {e.Sampled} sampled reports had camera frames " +
                $"({e.Frames} frames) once the phase was over");
        if (results.Evidence.Count > 0)
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
            if (options.AppPid != 0 && p.Cpu.AppMs is null)
                notes.Add($"{label}: the product's process {options.AppPid} was gone at the end of the phase (no CPU figure)");
        }

        foreach (var loop in loops)
            AppendLoop(s, loop, notes);

        var comparison = AppendSearches(s, results.Searches);

        s.AppendLine("targets (#13), figures only: a missed target does not fail the run");
        var targets = Targets(options, results);
        foreach (var t in targets)
        {
            var measured = t.Measured is null ? "-" : t.Unit == "ms" ? Ms(t.Measured) : $"{t.Measured:0}";
            s.AppendLine(CultureInfo.InvariantCulture, $"  {t.Name,-58} {t.Compare} {t.Limit,4:0} {t.Unit,-4} {measured,8} {t.Unit,-4}  {t.Note}");
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
                options.FindRate,
                options.FindRateFrom,
                options.FindRateTo,
                options.FindRateStep,
                options.FindRateBudget,
                options.WithCameras,
                options.AppPid,
            },
            product = new { url = options.Url.ToString(), county = product.County, countyName = product.CountyName, grids = product.Grids.Count },
            baseline = baselineUrl is null ? null : new { url = baselineUrl.ToString(), redis = options.Redis },
            latencyDefinition = "ms from handing the POST to the socket handler (Stopwatch) to receipt of its feed entry by the SignalR client; " +
                "post = send to complete answer",
            cpuDefinition = "ms of CPU (utime + stime + cutime + cstime from /proc) over a phase and its drain: appMs of the product's process " +
                "and its descendants, benchMs of the bench process (load generator, feed listener, baseline host); per report answered 2xx",
            idleCpu = results.Idle,
            cameras = results.Cameras,
            warmups,
            phases,
            loops,
            ratios,
            evidence = results.Evidence,
            searches = results.Searches,
            highestSustainableRate = comparison,
            targets,
            notes,
        };
        return new Report(s.ToString(), json);
    }

    /// <summary>
    /// The baseline host's CPU per report, estimated: the bench process's per report in the baseline's phase less its
    /// per report in the product's phase at the same rate (the load generator's and the feed listener's share).
    /// </summary>
    public static double? BaselineCpuPerReport(PhaseResult baseline, PhaseResult? productAtRate) =>
        baseline.Cpu.BenchMsPerReport is { } b && productAtRate?.Cpu.BenchMsPerReport is { } g && b > g ? Math.Round(b - g, 4) : null;

    private static void AppendLoop(StringBuilder s, LoopResult loop, List<string> notes)
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
        if (loop.Cpu is { } cpu)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"cpu       the product's processes: {Cpu(cpu.AppMs)} ms over {cpu.Seconds:0.0} s, " +
                $"the loop phase until its last loop ended: {Cpu(cpu.AppMsPerReport)} ms per report with its loop,");
            s.AppendLine(CultureInfo.InvariantCulture, $"          {Cpu(cpu.AppMsPerRequest)} ms per request ({cpu.Reports} reports and " +
                $"{cpu.Actions} actions answered 2xx, each counted once); the bench process: {Cpu(cpu.BenchMsPerRequest)} ms per request");
            s.AppendLine();
        }
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

    private static RateComparison? AppendSearches(StringBuilder s, IReadOnlyList<SearchResult> searches)
    {
        if (searches.Count == 0)
            return null;
        var first = searches[0];
        const string header = "target    rate/s    sent      ok  errors  missing | feed p50     p99 | lag p99 | cpu/rep  bench/rep | verdict";
        s.AppendLine(CultureInfo.InvariantCulture, $"Highest sustainable rate: steps of {first.StepSeconds:0.#} s from {first.From}/s up to {first.To}/s; " +
            $"a step holds when report -> wall p99 <= {RateSearch.P99LimitMs:0} ms,");
        s.AppendLine(CultureInfo.InvariantCulture, $"every report is sent, answered 2xx and on the wall, and the generator keeps up " +
            $"(lag p99 <= {RateSearch.LagLimitMs:0} ms)");
        s.AppendLine(header);
        s.AppendLine(new string('-', header.Length));
        var productSteps = searches.Where(r => r.Target == "product").SelectMany(r => r.Steps).ToList();
        foreach (var search in searches)
        {
            foreach (var step in search.Steps)
            {
                var p = step.Phase;
                var cpu = p.Target == "baseline"
                    ? Approx(BaselineCpuPerReport(p, productSteps.FirstOrDefault(x => x.Phase.Rate == p.Rate)?.Phase))
                    : Cpu(p.Cpu.AppMsPerReport);
                s.Append(CultureInfo.InvariantCulture, $"{p.Target,-8} {p.Rate,7} {p.Sent,7} {p.Ok,7} {p.HttpErrors,7} {p.Missing,8} |");
                s.Append(CultureInfo.InvariantCulture, $" {Ms(p.Feed?.P50),8} {Ms(p.Feed?.P99),7} | {Ms(p.GeneratorLag.P99),7} |");
                s.AppendLine(CultureInfo.InvariantCulture, $" {cpu,7} {Cpu(p.Cpu.BenchMsPerReport),10} | {step.Verdict}");
            }
            s.AppendLine();
        }
        foreach (var search in searches)
            s.AppendLine(CultureInfo.InvariantCulture, $"{search.Target,-8}  highest sustainable rate: {RateText(search)} " +
                $"({search.Steps.Count} step{(search.Steps.Count == 1 ? "" : "s")} in {search.Seconds:0} s; {search.Ended})");
        var product = searches.FirstOrDefault(r => r.Target == "product");
        var baseline = searches.FirstOrDefault(r => r.Target == "baseline");
        var comparison = new RateComparison(product?.Highest, baseline?.Highest, null, null);
        if (product is not null && baseline is not null)
        {
            comparison = Compare(product, baseline);
            s.AppendLine("ratio     product / baseline: " + (comparison.Ratio is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"{(comparison.RatioBound == "exact" ? "" : comparison.RatioBound + " ")}{r:0.00}x")
                : "- (" + (baseline.Highest is null ? "the baseline failed its first step" : "both held the highest step") + ")"));
        }
        if (product is not null)
            s.AppendLine("product   " + AimText(product));
        s.AppendLine();
        return comparison;
    }

    /// <summary>The ratio of the two highest rates, bounded where a search held its highest step or failed its first.</summary>
    private static RateComparison Compare(SearchResult product, SearchResult baseline)
    {
        if (baseline.Highest is not { } b)
            return new RateComparison(product.Highest, null, null, null);
        return (product.Highest, product.ReachedTop, baseline.ReachedTop) switch
        {
            (null, _, _) => new RateComparison(null, b, Math.Round((double)product.From / b, 4), "below"),
            ({ } p, true, true) => new RateComparison(p, b, null, null),
            ({ } p, true, false) => new RateComparison(p, b, Math.Round((double)p / b, 4), "at least"),
            ({ } p, false, true) => new RateComparison(p, b, Math.Round((double)p / b, 4), "at most"),
            ({ } p, false, false) => new RateComparison(p, b, Math.Round((double)p / b, 4), "exact"),
        };
    }

    private static string RateText(SearchResult search) => search.Highest switch
    {
        null => $"below {search.From}/s",
        var h when search.ReachedTop => $"at least {h}/s",
        var h when search.LowestFailed is { } f => $"{h}/s, {f}/s failed",
        var h => $"{h}/s",
    };

    private static string AimText(SearchResult product) => product.Highest switch
    {
        null => $"aim >= {AimRate:N0}/s: MISSED by more than {AimRate - product.From:N0}/s (below {product.From}/s)",
        var h when h >= AimRate => $"aim >= {AimRate:N0}/s: met ({h}/s{(product.ReachedTop ? " or more" : "")})",
        var h => $"aim >= {AimRate:N0}/s: MISSED by {AimRate - h:N0}/s" + (product.ReachedTop ? $" (the search stopped at its highest step, {h}/s)" : ""),
    };

    /// <summary>Every target of #13, with what this run measured of it.</summary>
    private static List<Target> Targets(BenchOptions options, RunResults results)
    {
        var targets = new List<Target>();
        void Latency(string name, double limit, PhaseResult? at, double? measured, string notMeasured, string? caveat = null)
        {
            string note;
            bool? met;
            if (at is null)
                (met, note) = (null, notMeasured);
            else if (measured is null)
                (met, note) = (false, "MISSED: nothing was received");
            else if (measured <= limit)
                (met, note) = (true, "met");
            else
                (met, note) = (false, string.Create(CultureInfo.InvariantCulture,
                    $"MISSED by {measured - limit:0.00} ms ({measured / limit:0.0}x the target)"));
            if (at is not null && (at.Missing > 0 || at.HttpErrors > 0))
                note += $"; {at.Missing} missing entries and {at.HttpErrors} errors are not in the percentiles";
            if (at is not null && caveat is not null)
                note += "; " + caveat;
            targets.Add(new Target(name, "<=", limit, "ms", measured, met, note));
        }

        var atTarget = options.WithCameras ? null : results.Phases.FirstOrDefault(p => p.Target == "product" && p.Rate == TargetRate);
        var shortPhase = atTarget is not null && atTarget.Seconds < TargetSeconds
            ? $"a {atTarget.Seconds:0.#} s phase, the target is for {TargetSeconds:0} s"
            : null;
        var notAtTarget = $"not measured (tests/bench/bench.sh --rates {TargetRate} --seconds {TargetSeconds:0})";
        Latency($"{TargetRate}/s for {TargetSeconds:0} s: report -> wall p50", TargetP50, atTarget, atTarget?.Feed?.P50, notAtTarget, shortPhase);
        Latency($"{TargetRate}/s for {TargetSeconds:0} s: report -> wall p99", TargetP99, atTarget, atTarget?.Feed?.P99, notAtTarget, shortPhase);

        var loopPhase = options.FullLoop && options.LoopRate == LoopTargetRate ? results.Phases.FirstOrDefault(p => p.Target == "loop") : null;
        var loop = loopPhase is null ? null : results.Loops.FirstOrDefault();
        var notLoop = $"not measured (tests/bench/bench.sh --full-loop, at --loop-rate {LoopTargetRate})";
        Latency($"full loop at {LoopTargetRate}/s: report -> wall p99", TargetP99, loopPhase, loopPhase?.Feed?.P99, notLoop);
        if (loop is null)
            Latency($"full loop at {LoopTargetRate}/s: each action's p99", ActionTargetP99, null, null, notLoop);
        else
            foreach (var a in loop.Actions)
                Latency($"full loop at {LoopTargetRate}/s: {a.Action} ({a.Actor}) p99", ActionTargetP99, loopPhase, a.Latency?.P99, notLoop,
                    a.Errors > 0 ? $"{a.Errors} errors are not in the percentiles" : null);

        var search = results.Searches.FirstOrDefault(r => r.Target == "product");
        var (rateMet, rateNote) = search switch
        {
            null => ((bool?)null, "not measured (tests/bench/bench.sh --find-rate)"),
            { Highest: null } => (false, $"MISSED by more than {AimRate - search.From:N0}/s: below {search.From}/s, the first step"),
            { Highest: var h } when h >= AimRate => (true, search.ReachedTop ? $"met (at least {h}/s: the highest step held)" : "met"),
            { Highest: var h } => (false, $"MISSED by {AimRate - h:N0}/s" + (search.ReachedTop ? " (the highest step of the search held)" : "")),
        };
        if (search is not null && search.Ended.StartsWith("stopped", StringComparison.Ordinal))
            rateNote += $"; the search {search.Ended}, so the figure is a lower bound";
        targets.Add(new Target("highest sustainable rate (aim)", ">=", AimRate, "/s", search?.Highest, rateMet, rateNote));

        var withCameras = options.WithCameras
            ? results.Phases.FirstOrDefault(p => p.Target == "product" && p.Rate == BenchOptions.WithCamerasRate)
            : null;
        Latency($"{BenchOptions.WithCamerasRate}/s with demo cameras and evidence: report -> wall p99", TargetP99, withCameras,
            withCameras?.Feed?.P99, "not measured (tests/bench/bench.sh --with-cameras)");
        return targets;
    }

    private static double? Div(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

    private static string Ms(double? v) => v is { } x ? x.ToString(x >= 1000 ? "0" : "0.00", CultureInfo.InvariantCulture) : "-";

    private static string Cpu(double? v) => v is { } x ? x.ToString(x >= 100 ? "0" : "0.000", CultureInfo.InvariantCulture) : "-";

    private static string Approx(double? v) => v is null ? "-" : "~" + Cpu(v);

    private static string X(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";
}
