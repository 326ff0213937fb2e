using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace CommandCenter.Bench;

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
