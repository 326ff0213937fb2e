using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Bench;

/// <summary>
/// The nearest-responder query (#15) after the positions load, while everyone's last position is fresh: <see cref="OnDuty"/> grid
/// workers (one per grid, accounts the bench makes) set themselves on duty from their phones' path, a report is made at
/// each of a few of their grids, and the duty officer asks <c>GET /api/incidents/{id}/responders?limit=10</c> of them in
/// turn, one request at a time; prints p50/p99 against the target of p99 ≤ 10 ms.
/// </summary>
public static class ResponderQueries
{
    public const double TargetP99Ms = 10;
    public const int OnDuty = 200;
    public const int Queries = 1000;
    private const int Incidents = 20;

    public static async Task Run(HttpClient http, Uri baseUrl, ProductTarget product, string intakeKey, string adminToken, string runId,
        int people, int onDuty, int queries, CancellationToken cancellationToken)
    {
        var workers = await product.GridWorkerAccounts(http, baseUrl, adminToken, onDuty, $"{runId}-duty", cancellationToken);
        foreach (var worker in workers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUrl, "api/workers/me/status"))
            {
                Content = JsonContent.Create(new { status = "onDuty" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", worker.Token);
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        var grids = product.Grids.ToDictionary(g => g.Code, StringComparer.Ordinal);
        var incidents = new List<Guid>();
        foreach (var worker in workers.Take(Incidents))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/intake/incidents"))
            {
                Content = new ByteArrayContent(ProductTarget.ReportBody(grids[worker.GridCode])),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Api-Key", intakeKey);
            request.Headers.Add("Idempotency-Key", $"bench-{runId}-responders-{incidents.Count}");
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            incidents.Add((await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid());
        }

        var latencies = new List<double>(queries);
        var offered = 0L;
        for (var i = 0; i < queries; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri(baseUrl, $"api/incidents/{incidents[i % incidents.Count]}/responders?limit=10"), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            using var list = JsonDocument.Parse(body);
            offered += list.RootElement.GetArrayLength();
        }
        var latency = Percentiles.Of(latencies)!;
        Console.WriteLine($"responders {workers.Count} grid workers on duty among the county's {people} people; {queries} queries of " +
            $"GET /api/incidents/{{id}}/responders?limit=10 over {incidents.Count} incidents, one at a time: {offered / (double)queries:0.0} offered " +
            $"each, p50 {latency.P50:0.0} ms, p99 {latency.P99:0.0} ms, max {latency.Max:0.0} ms; target p99 <= {TargetP99Ms:0} ms: " +
            (latency.P99 <= TargetP99Ms ? "met" : "MISSED"));
    }
}
