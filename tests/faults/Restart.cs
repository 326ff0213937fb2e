using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CommandCenter.Faults;

/// <summary>When the node was killed and started again (from kill-node.sh), and when it answered ready (Unix ms).</summary>
public sealed record Restarted(long KilledAt, long RestartedAt, long? ReadyAt);

public static class Restart
{
    public const string Missing = "the node was not killed and started again (kill-node.sh wrote no restart file)";

    /// <summary>
    /// Waits (at most <paramref name="fileWithin"/>) for the script's restart file, then asks /health/ready every 100 ms
    /// until it answers 200 or the ready timeout has passed since the restart. Its own connections, so that requests of
    /// the load waiting on a node that does not answer do not hold the question up. Null when there was no restart.
    /// </summary>
    public static async Task<Restarted?> Watch(FaultOptions options, TimeSpan fileWithin, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var ready = new Uri(options.KilledUrl, "health/ready");
        try
        {
            var waited = Stopwatch.StartNew();
            (long Killed, long Restarted)? times;
            while ((times = Read(options.RestartFile)) is null)
            {
                if (waited.Elapsed > fileWithin)
                    return null;
                await Task.Delay(100, cancellationToken);
            }
            var deadline = times.Value.Restarted + (long)(options.ReadyTimeout * 1000);
            while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < deadline)
            {
                try
                {
                    using var response = await http.GetAsync(ready, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                        return new Restarted(times.Value.Killed, times.Value.Restarted, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                }
                await Task.Delay(100, cancellationToken);
            }
            return new Restarted(times.Value.Killed, times.Value.Restarted, null);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The file's two Unix times in ms (kill, restart), or null while it is not there (the script moves it in whole).</summary>
    private static (long, long)? Read(string path)
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
