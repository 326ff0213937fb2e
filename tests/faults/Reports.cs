using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CommandCenter.Bench;

namespace CommandCenter.Faults;

/// <summary>What became of one report: sent or not, and its answer (an incident id) or why there was none.</summary>
public sealed class Attempt(string key, byte[] body, int node)
{
    public string Key { get; } = key;
    public byte[] Body { get; } = body;
    /// <summary>The index of the node it is sent to (the nodes take the reports in turn).</summary>
    public int Node { get; } = node;
    public bool Sent { get; set; }
    /// <summary>When it was sent (Unix ms).</summary>
    public long SentAt { get; set; }
    /// <summary>How long its answer (or failure) took, in ms.</summary>
    public double Took { get; set; }
    public int Status { get; set; }
    public Guid? Id { get; set; }
    public string? Failure { get; set; }
    public bool Acknowledged => Status is >= 200 and < 300 && Id is not null;
}

/// <summary>
/// Reports to the intake path as an integration: an open loop at a fixed rate (request i due at start + i / rate,
/// whatever became of the earlier ones, so it keeps sending while the node is down) and, afterwards, every key sent
/// once more with its body. Each goes to its attempt's node.
/// </summary>
public sealed class Reports(HttpClient http, IReadOnlyList<Uri> nodes, string apiKey)
{
    private readonly Uri[] intake = [.. nodes.Select(n => new Uri(n, "api/intake/incidents"))];

    /// <summary>
    /// Sends <paramref name="attempts"/> at <paramref name="rate"/> per second; <paramref name="started"/> is called when
    /// the first is due. Returns when every request has its answer or failed (each is bounded by the client's timeout).
    /// </summary>
    public async Task Load(IReadOnlyList<Attempt> attempts, int rate, Action started, CancellationToken cancellationToken)
    {
        var tasks = new List<Task>(attempts.Count);
        var clock = Stopwatch.StartNew();
        started();
        for (var i = 0; i < attempts.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancellationToken);
            var attempt = attempts[i];
            attempt.Sent = true;
            attempt.SentAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            tasks.Add(Task.Run(async () =>
            {
                var took = Stopwatch.StartNew();
                (attempt.Status, attempt.Id, attempt.Failure) = await Post(attempt, cancellationToken);
                attempt.Took = took.Elapsed.TotalMilliseconds;
            }, CancellationToken.None));
        }
        await Task.WhenAll(tasks);
    }

    /// <summary>
    /// Each attempt's key and body once more, <paramref name="concurrency"/> at a time; an answer of 429, 503 or none at
    /// all is retried up to <paramref name="tries"/> times a second apart. Returns the answers by key.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, (int Status, Guid? Id, string? Failure)>> Resend(IReadOnlyList<Attempt> attempts,
        int concurrency, int tries, CancellationToken cancellationToken)
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, (int, Guid?, string?)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (attempt, ct) =>
            {
                var answer = await Post(attempt, ct);
                for (var t = 1; t < tries && answer.Status is 0 or 429 or 503; t++)
                {
                    await Task.Delay(1000, ct);
                    answer = await Post(attempt, ct);
                }
                answers[attempt.Key] = answer;
            });
        return answers;
    }

    private async Task<(int Status, Guid? Id, string? Failure)> Post(Attempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, intake[attempt.Node]) { Content = new ByteArrayContent(attempt.Body) };
            message.Content.Headers.ContentType = LoadPhase.JsonType;
            message.Headers.TryAddWithoutValidation("Idempotency-Key", attempt.Key);
            message.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
            using var response = await http.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
                return (status, null, Refused(response));
            return LoadPhase.ReadId(body) is { } id ? (status, id, null) : (status, null, "2xx without an id");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, null, Why(e));
        }
    }

    /// <summary>
    /// How a refusal is counted: by its status; a 503 or 429 that is not problem+json or does not say when to retry
    /// (Retry-After) is counted apart, as a fault of the answer.
    /// </summary>
    private static string Refused(HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests))
            return status;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return status + " " + NotProblemJson;
        return response.Headers.RetryAfter is null ? status + " " + NoRetryAfter : status;
    }

    public const string NotProblemJson = "not problem+json";
    public const string NoRetryAfter = "without Retry-After";

    /// <summary>How a request without an answer is counted: the node refused the connection, dropped it, or was silent.</summary>
    private static string Why(Exception e) => e switch
    {
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "refused",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "no connection",
        HttpRequestException or IOException => "connection lost",
        _ => "timed out",
    };
}
