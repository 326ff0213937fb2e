using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CommandCenter.Faults;

/// <summary>When the node (or the cluster) was killed or stopped and started again (from fault.sh), and when it answered ready (Unix ms).</summary>
public sealed record Restarted(long KilledAt, long RestartedAt, long? ReadyAt);

public static class Restart
{
    public const string Missing = "the node was not killed and started again (fault.sh wrote no restart file)";

    /// <summary>The killed node after the script's restart file (<see cref="FaultOptions.RestartFile"/>).</summary>
    public static Task<Restarted?> Watch(FaultOptions options, TimeSpan fileWithin, CancellationToken cancellationToken) =>
        Watch(options.RestartFile, [options.KilledUrl], options.ReadyTimeout, fileWithin, cancellationToken);

    /// <summary>
    /// Waits (at most <paramref name="fileWithin"/>) for the script's restart file <paramref name="file"/>, then asks
    /// /health/ready of each of <paramref name="nodes"/> every 100 ms until it answers 200 or <paramref name="readyTimeout"/>
    /// seconds have passed since the restart; ready when the last of them answered. Its own connections, so that
    /// requests of the load waiting on a node that does not answer do not hold the question up. Null when there was no
    /// restart.
    /// </summary>
    public static async Task<Restarted?> Watch(string file, IReadOnlyList<Uri> nodes, double readyTimeout, TimeSpan fileWithin,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        try
        {
            var waited = Stopwatch.StartNew();
            (long Killed, long Restarted)? times;
            while ((times = Read(file)) is null)
            {
                if (waited.Elapsed > fileWithin)
                    return null;
                await Task.Delay(100, cancellationToken);
            }
            var deadline = times.Value.Restarted + (long)(readyTimeout * 1000);
            foreach (var node in nodes)
            {
                if (!await Ready(http, new Uri(node, "health/ready"), deadline, cancellationToken))
                    return new Restarted(times.Value.Killed, times.Value.Restarted, null);
            }
            return new Restarted(times.Value.Killed, times.Value.Restarted, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="ready"/> answered 200 before <paramref name="deadline"/> (Unix ms).</summary>
    private static async Task<bool> Ready(HttpClient http, Uri ready, long deadline, CancellationToken cancellationToken)
    {
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < deadline)
        {
            try
            {
                using var response = await http.GetAsync(ready, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    /// <summary>The file's two Unix times in ms (kill, restart), or null while it is not there (the script moves it in whole).</summary>
    public static (long Killed, long Restarted)? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        var parts = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var killed)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var restarted)
            ? (killed, restarted)
            : throw new InvalidOperationException($"{path} does not hold two Unix times in milliseconds");
    }
}
