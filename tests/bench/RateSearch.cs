using System.Diagnostics;
using System.Globalization;

namespace CommandCenter.Bench;

/// <summary>One step of a rate search: what it measured, whether the target held the rate, and if not, why.</summary>
public sealed record SearchStep(PhaseResult Phase, bool Held, string Verdict);

/// <summary>
/// A search for one target's highest sustainable rate: the highest step held (null when the first step failed),
/// the lowest failed (null when none did), whether the highest step of the ladder held (the limit lies above it),
/// why the search ended, and how long it took.
/// </summary>
public sealed record SearchResult(string Target, int From, int To, double StepSeconds, int? Highest, int? LowestFailed, bool ReachedTop,
    string Ended, double Seconds, IReadOnlyList<SearchStep> Steps);

/// <summary>
/// The search for the highest sustainable report rate: steps up a ladder of rates, each about 1.5x the last, until one
/// fails, then halves the gap between the highest held and the lowest failed step while it is more than a tenth of
/// the rate held (and more than 10/s), within a time bound. A step holds when report -> wall p99 is at most
/// <see cref="P99LimitMs"/>, every report was sent, answered 2xx and reached the wall, and the generator kept up: its
/// lag p99 at most <see cref="LagLimitMs"/>, the jitter of a busy machine but no queue in front of the in-flight bound
/// (a lag that grows through the step reaches seconds).
/// </summary>
public static class RateSearch
{
    public const double P99LimitMs = 20;
    public const double LagLimitMs = 20;

    private static readonly int[] Ladder = [100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10_000, 15_000, 20_000];

    /// <summary>The ladder from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static IReadOnlyList<int> Steps(int from, int to) => [from, .. Ladder.Where(r => r > from && r < to), .. to > from ? [to] : Array.Empty<int>()];

    /// <summary>Why a step did not hold its rate; null when it did.</summary>
    public static string? Failure(PhaseResult p)
    {
        var why = new List<string>();
        if (p.HttpErrors > 0)
            why.Add($"{p.HttpErrors} errors ({string.Join(", ", p.ErrorsByStatus.Select(e => $"{e.Key} x{e.Value}"))})");
        if (p.Missing > 0)
            why.Add($"{p.Missing} not on the wall");
        if (p.Feed is null)
            why.Add("no feed entry");
        else if (p.Feed.P99 > P99LimitMs)
            why.Add(string.Create(CultureInfo.InvariantCulture, $"p99 {p.Feed.P99:0.0} ms > {P99LimitMs:0} ms"));
        if (p.GeneratorLag.P99 > LagLimitMs)
            why.Add(string.Create(CultureInfo.InvariantCulture, $"generator lag p99 {p.GeneratorLag.P99:0.0} ms > {LagLimitMs:0} ms"));
        return why.Count == 0 ? null : string.Join("; ", why);
    }

    /// <param name="step">measures one step at the given rate</param>
    /// <param name="settle">waits, at most the given time, until the product has worked off what it was sent</param>
    public static async Task<SearchResult> Run(string target, int from, int to, double stepSeconds, double budgetSeconds,
        Func<int, Task<PhaseResult>> step, Func<TimeSpan, Task> settle, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(budgetSeconds);
        var steps = new List<SearchStep>();
        int? held = null, failed = null;
        var longest = TimeSpan.FromSeconds(stepSeconds + 2);
        var outOfTime = false;

        async Task<bool> Try(int rate)
        {
            if (watch.Elapsed + longest > budget)
            {
                outOfTime = true;
                return false;
            }
            var began = watch.Elapsed;
            await settle(budget - watch.Elapsed - TimeSpan.FromSeconds(stepSeconds));
            Console.Error.WriteLine($"bench: {target} search, {rate}/s for {stepSeconds:0.#} s");
            var phase = await step(rate);
            var why = Failure(phase);
            steps.Add(new SearchStep(phase, why is null, why ?? "held"));
            if (why is null)
                held = Math.Max(held ?? 0, rate);
            else
                failed = Math.Min(failed ?? int.MaxValue, rate);
            longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (watch.Elapsed - began).Ticks));
            return why is null;
        }

        foreach (var rate in Steps(from, to))
        {
            if (cancellationToken.IsCancellationRequested || !await Try(rate))
                break;
        }
        while (!outOfTime && !cancellationToken.IsCancellationRequested && held is { } h && failed is { } f && f - h > Math.Max(10, h / 10))
        {
            var middle = (int)Math.Round((h + f) / 20.0) * 10;
            if (middle <= h || middle >= f)
                break;
            await Try(middle);
        }

        var reachedTop = held == to;
        var ended = cancellationToken.IsCancellationRequested ? "cancelled"
            : outOfTime ? $"stopped by its time bound ({budgetSeconds:0} s)"
            : reachedTop ? "the highest step held"
            : held is null ? "the first step failed"
            : "the gap between held and failed is within a tenth";
        return new SearchResult(target, from, to, stepSeconds, held, failed, reachedTop, ended, Math.Round(watch.Elapsed.TotalSeconds, 1), steps);
    }
}
