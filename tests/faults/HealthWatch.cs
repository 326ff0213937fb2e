using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Faults;

/// <summary>What a node's /health/ready answered at one moment: the HTTP status, the overall status and the checks not healthy.</summary>
public sealed record HealthSample(long At, int Status, string Overall, string NotHealthy)
{
    public string Describe() => $"{Status} {Overall}" + (NotHealthy.Length > 0 ? $" ({NotHealthy})" : "");
}

/// <summary>Asks a node's /health/ready twice a second on connections of its own, for the whole load.</summary>
public sealed class HealthWatch
{
    private readonly List<HealthSample> _samples = [];

    public IReadOnlyList<HealthSample> Between(long from, long to)
    {
        lock (_samples)
            return [.. _samples.Where(s => s.At >= from && s.At <= to)];
    }

    public async Task Run(Uri node, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var ready = new Uri(node, "health/ready");
        while (!cancellationToken.IsCancellationRequested)
        {
            var sample = await Ask(http, ready, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
                return; // the load is over: an answer cut off by that is no sample
            lock (_samples)
                _samples.Add(sample);
            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<HealthSample> Ask(HttpClient http, Uri ready, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            using var response = await http.GetAsync(ready, cancellationToken);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var notHealthy = report.GetProperty("checks").EnumerateObject()
                .Where(c => c.Value.GetProperty("status").GetString() != "Healthy")
                .Select(c => $"{c.Name}: {c.Value.GetProperty("description").GetString()}");
            return new HealthSample(at, (int)response.StatusCode, report.GetProperty("status").GetString() ?? "?", string.Join("; ", notHealthy));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException
            or InvalidOperationException)
        {
            return new HealthSample(at, 0, "no answer", e.GetType().Name);
        }
    }
}
