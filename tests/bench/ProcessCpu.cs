using System.Diagnostics;
using System.Globalization;

namespace CommandCenter.Bench;

/// <summary>
/// CPU time of processes from /proc, in milliseconds: utime + stime of a process and of every live descendant, plus
/// cutime + cstime (the children that have ended and been waited for, such as ffmpeg captures). For the product
/// that is <c>dotnet run</c>, the app under it and the app's own children. Linux counts these in clock ticks of
/// 10 ms (USER_HZ 100), so a figure is good to about 10 ms per process.
/// </summary>
public static class ProcessCpu
{
    private const double MsPerTick = 10;

    /// <summary>The CPU milliseconds of <paramref name="pid"/> and its descendants; null when the process is gone.</summary>
    public static double? TreeMs(int pid)
    {
        var stats = new Dictionary<int, string[]>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && Stat(p) is { Length: > 16 } stat)
                stats[p] = stat;
        }
        if (!stats.ContainsKey(pid))
            return null;
        var children = stats.ToLookup(s => int.Parse(s.Value[3], CultureInfo.InvariantCulture), s => s.Key);
        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(children[tree[i]]);
        return tree.Sum(p => Ticks(stats[p])) * MsPerTick;
    }

    /// <summary>The CPU milliseconds of this process (the bench: its load generator, feed listener and baseline host).</summary>
    public static double SelfMs() => Stat(Environment.ProcessId) is { Length: > 16 } stat ? Ticks(stat) * MsPerTick : 0;

    /// <summary>The CPU milliseconds of the product (when <paramref name="appPid"/> is not 0) and of this process, now.</summary>
    public static CpuReading Read(int appPid) => new(appPid == 0 ? null : TreeMs(appPid), SelfMs(), Stopwatch.GetTimestamp());

    /// <summary>
    /// Waits until the product (<paramref name="appPid"/>) is idle: right after a warm-up the JIT's tier-up compiles in
    /// bursts of most of a core, so this watches 3 s windows until one used less than a tenth of a core, or 30 s have
    /// passed; answers the last window's use (null when the process is gone, or on cancellation before a window ended).
    /// </summary>
    public static async Task<IdleCpu?> WaitIdle(int appPid, CancellationToken cancellationToken)
    {
        IdleCpu? idle = null;
        var waited = Stopwatch.StartNew();
        do
        {
            var from = Read(appPid);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var window = Read(appPid).Since(from, 0);
            idle = window.AppMs is { } ms ? new IdleCpu(Math.Round(ms / window.Seconds, 1), Math.Round(waited.Elapsed.TotalSeconds, 1)) : null;
        }
        while (idle is { MsPerSecond: >= 100 } && waited.Elapsed < TimeSpan.FromSeconds(30));
        return idle;
    }

    private static long Ticks(string[] stat) =>
        long.Parse(stat[13], CultureInfo.InvariantCulture) + long.Parse(stat[14], CultureInfo.InvariantCulture)
        + long.Parse(stat[15], CultureInfo.InvariantCulture) + long.Parse(stat[16], CultureInfo.InvariantCulture);

    /// <summary>/proc/PID/stat's fields, indexed by field number - 1 (ppid at 3, utime at 13 … cstime at 16); empty when gone.</summary>
    private static string[] Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return ["", "", .. text[(close + 2)..].Split(' ')];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>
/// CPU time spent over a phase (ms; for a load phase from just before its first request to the end of its drain):
/// the product's process tree (null when no --app-pid was given, or the process was gone), and this bench process
/// (load generator, feed listener and, in its phases, the baseline host); each also per report answered 2xx.
/// </summary>
public sealed record CpuUse(double Seconds, double? AppMs, double BenchMs, double? AppMsPerReport, double? BenchMsPerReport);

/// <summary>A reading of <see cref="ProcessCpu.Read"/>: the product's CPU ms (null without it), this process's, and when.</summary>
public readonly record struct CpuReading(double? AppMs, double BenchMs, long At)
{
    /// <summary>The CPU used from <paramref name="from"/> to this reading, also per report answered 2xx.</summary>
    public CpuUse Since(CpuReading from, int reports)
    {
        double? PerReport(double? ms) => ms is { } x && reports > 0 ? Math.Round(x / reports, 4) : null;
        var app = AppMs - from.AppMs;
        var bench = BenchMs - from.BenchMs;
        return new CpuUse(Math.Round(Stopwatch.GetElapsedTime(from.At, At).TotalSeconds, 3), app, bench, PerReport(app), PerReport(bench));
    }
}
