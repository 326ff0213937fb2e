using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CommandCenter.Bench;

/// <summary>What one phase measured (times in milliseconds).</summary>
public sealed record PhaseResult(
    string Target,
    string Phase,
    int Rate,
    double Seconds,
    int Scheduled,
    int Sent,
    int Ok,
    int HttpErrors,
    IReadOnlyDictionary<string, int> ErrorsByStatus,
    IReadOnlyDictionary<string, string> FirstErrors,
    int Missing,
    int Received,
    double SentPerSecond,
    double OkPerSecond,
    Percentiles? Feed,
    Percentiles? Post,
    Percentiles GeneratorLag,
    string? FeedConnectionLost,
    CpuUse Cpu);

public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static Percentiles? Of(List<double> values)
    {
        if (values.Count == 0)
            return null;
        values.Sort();
        static double R(double v) => Math.Round(v, 3);
        return new Percentiles(values.Count, R(Rank(values, 0.50)), R(Rank(values, 0.95)), R(Rank(values, 0.99)), R(values[^1]), R(values.Average()));
    }

    // Nearest rank: the smallest value with at least p of the values at or below it.
    private static double Rank(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>
/// An open-loop generator: request i is due at start + i / rate whatever happened to the earlier ones. A dedicated
/// thread starts each request when it is due; at most <c>maxInFlight</c> are on the wire at once (the rest wait their
/// turn, which shows as generator lag). Latency is measured from the moment a request is handed to the socket handler.
/// <paramref name="created"/>, when given, is told of every answered report (its id, the answer's body and the
/// <see cref="Stopwatch"/> time it was sent) as soon as the answer is read. <paramref name="appPid"/>, when not 0, is
/// the product's process, whose CPU time over the phase is measured (<see cref="ProcessCpu"/>).
/// </summary>
public sealed class LoadPhase(HttpClient http, Uri postUrl, FeedListener feed, Func<int, (string Key, byte[] Body)> request, int maxInFlight,
    string? samplesPath = null, string? apiKey = null, Action<Guid, byte[], long>? created = null, int appPid = 0)
{
    public static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };
    private static readonly double MsPerTick = 1000.0 / Stopwatch.Frequency;

    // Pseudo status codes of requests that got no HTTP answer.
    private const int Failed = -1, NotSent = -2, TimedOut = -3, GaveUp = -4;

    /// <param name="giveUpSeconds">how long after the last request was due the unanswered ones are abandoned</param>
    public async Task<PhaseResult> Run(string target, string phase, int rate, double seconds, double drainSeconds, CancellationToken cancellationToken,
        double giveUpSeconds = 40)
    {
        var n = Math.Max(1, (int)Math.Round(rate * seconds));
        var scheduled = new long[n];
        var sent = new long[n];
        var done = new long[n];
        var status = new int[n];
        var ids = new Guid?[n];
        var errors = new string?[n];
        var tasks = new Task[n];
        var gate = new SemaphoreSlim(maxInFlight, maxInFlight); // not disposed: a straggler may still release it

        // Requests still unanswered (or still waiting for a slot) this long after the last one was due are abandoned.
        var giveUpAfter = TimeSpan.FromSeconds(seconds + giveUpSeconds);
        var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken); // disposed once every request ended
        giveUp.CancelAfter(giveUpAfter);

        async Task Send(int i)
        {
            try
            {
                await gate.WaitAsync(giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                status[i] = NotSent;
                errors[i] = "never sent: no free slot before the phase gave up";
                return;
            }
            try
            {
                var (key, body) = request(i);
                using var message = new HttpRequestMessage(HttpMethod.Post, postUrl) { Content = new ByteArrayContent(body) };
                message.Content.Headers.ContentType = JsonType;
                message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                if (apiKey is not null)
                    message.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
                sent[i] = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, giveUp.Token);
                var answer = await response.Content.ReadAsByteArrayAsync(giveUp.Token);
                done[i] = Stopwatch.GetTimestamp();
                status[i] = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    ids[i] = ReadId(answer);
                    if (ids[i] is { } id)
                        created?.Invoke(id, answer, sent[i]);
                    else
                        errors[i] = "2xx answer without an id: " + Snippet(answer);
                }
                else
                {
                    errors[i] = Snippet(answer);
                }
            }
            catch (Exception e)
            {
                done[i] = Stopwatch.GetTimestamp();
                (status[i], errors[i]) = Failure(e, http, giveUp.Token);
            }
            finally
            {
                gate.Release();
            }
        }

        var ticksPerRequest = Stopwatch.Frequency / (double)rate;
        var cpuFrom = ProcessCpu.Read(appPid);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100; // 10 ms from now
        var generator = new Thread(() =>
        {
            var next = 0;
            while (next < n && !cancellationToken.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                while (next < n && start + (long)(next * ticksPerRequest) <= now)
                {
                    scheduled[next] = start + (long)(next * ticksPerRequest);
                    tasks[next] = Send(next);
                    next++;
                }
                if (next < n)
                    Thread.Sleep(1); // ~1 ms resolution: a request may leave up to ~1 ms late (recorded as lag)
            }
            for (; next < n; next++)
            {
                status[next] = NotSent;
                errors[next] = "never sent: cancelled";
                tasks[next] = Task.CompletedTask;
            }
        })
        {
            IsBackground = true,
            Name = "bench-generator",
            Priority = ThreadPriority.AboveNormal,
        };
        generator.Start();
        await Task.Run(generator.Join, CancellationToken.None);
        var lastDue = start + (long)((n - 1) * ticksPerRequest);

        try
        {
            await Task.WhenAll(tasks).WaitAsync(giveUpAfter + TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // Each request gives up by itself; this is only a backstop.
        }

        // Wait for the feed: until every answered report has been seen, or drainSeconds after the last due time or
        // answer, whichever is later.
        var lastAnswer = done.Max();
        var deadline = Math.Max(lastDue, lastAnswer) + (long)(drainSeconds * Stopwatch.Frequency);
        var pending = Enumerable.Range(0, n).Where(i => ids[i] is not null).ToList();
        while (!cancellationToken.IsCancellationRequested)
        {
            pending.RemoveAll(i => feed.TryGetReceived(ids[i]!.Value, out _));
            if (pending.Count == 0 || Stopwatch.GetTimestamp() >= deadline)
                break;
            await Task.Delay(20, CancellationToken.None);
        }
        var cpuTo = ProcessCpu.Read(appPid);

        var feedMs = new List<double>(n);
        var postMs = new List<double>(n);
        var lagMs = new List<double>(n);
        var errorsByStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var firstErrors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        int sentCount = 0, ok = 0, httpErrors = 0, missing = 0;
        long firstSent = long.MaxValue, lastSent = 0, lastOk = 0;
        for (var i = 0; i < n; i++)
        {
            if (sent[i] != 0)
            {
                sentCount++;
                firstSent = Math.Min(firstSent, sent[i]);
                lastSent = Math.Max(lastSent, sent[i]);
                lagMs.Add((sent[i] - scheduled[i]) * MsPerTick);
            }
            if (ids[i] is { } id)
            {
                ok++;
                lastOk = Math.Max(lastOk, done[i]);
                postMs.Add((done[i] - sent[i]) * MsPerTick);
                if (feed.TryGetReceived(id, out var at))
                    feedMs.Add((at - sent[i]) * MsPerTick);
                else
                    missing++;
            }
            else
            {
                httpErrors++;
                var label = Label(status[i]);
                errorsByStatus[label] = errorsByStatus.GetValueOrDefault(label) + 1;
                firstErrors.TryAdd(label, errors[i] ?? label);
            }
        }

        if (tasks.All(t => t is null || t.IsCompleted))
            giveUp.Dispose();
        if (samplesPath is not null)
            await WriteSamples(samplesPath, start, scheduled, sent, done, status, ids);

        var sendSpan = (lastSent - firstSent) * MsPerTick / 1000 + 1.0 / rate;
        var okSpan = (lastOk - start) * MsPerTick / 1000;
        return new PhaseResult(
            target, phase, rate, seconds, n, sentCount, ok, httpErrors, errorsByStatus, firstErrors, missing, feedMs.Count,
            Math.Round(sentCount > 1 ? sentCount / sendSpan : sentCount, 2),
            Math.Round(ok > 0 && okSpan > 0 ? ok / Math.Max(okSpan, seconds) : 0, 2),
            Percentiles.Of(feedMs), Percentiles.Of(postMs), Percentiles.Of(lagMs) ?? new Percentiles(0, 0, 0, 0, 0, 0),
            feed.ClosedBecause,
            cpuTo.Since(cpuFrom, ok));
    }

    /// <summary>The pseudo status and the message of a request that got no HTTP answer.</summary>
    public static (int Status, string Error) Failure(Exception e, HttpClient http, CancellationToken giveUp) => e switch
    {
        OperationCanceledException when giveUp.IsCancellationRequested => (GaveUp, "no answer before the phase gave up"),
        TaskCanceledException { InnerException: TimeoutException } => (TimedOut, $"no answer within {http.Timeout.TotalSeconds:0} s (HttpClient.Timeout)"),
        _ => (Failed, $"{e.GetType().Name}: {e.Message}"),
    };

    /// <summary>How an HTTP status, or a pseudo status of <see cref="Failure"/>, is counted in the error columns.</summary>
    public static string Label(int status) => status switch
    {
        Failed => "exception",
        NotSent => "not sent",
        TimedOut => "timeout",
        GaveUp => "gave up",
        var s => s.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>One CSV line per request, times in ms from the phase start (empty when it did not happen).</summary>
    private async Task WriteSamples(string path, long start, long[] scheduled, long[] sent, long[] done, int[] status, Guid?[] ids)
    {
        string At(long ts) => ts == 0 ? "" : ((ts - start) * MsPerTick).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var writer = new StreamWriter(full);
        await writer.WriteLineAsync("index,scheduled_ms,sent_ms,answered_ms,status,id,received_ms");
        for (var i = 0; i < scheduled.Length; i++)
        {
            var received = ids[i] is { } id && feed.TryGetReceived(id, out var at) ? At(at) : "";
            await writer.WriteLineAsync($"{i},{At(scheduled[i])},{At(sent[i])},{At(done[i])},{status[i]},{ids[i]},{received}");
        }
    }

    /// <summary>The <c>id</c> of a 201/200 answer, read without building a document.</summary>
    public static Guid? ReadId(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("Id"u8);
                if (!reader.Read())
                    return null;
                if (isId)
                    return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) ? id : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public static string Snippet(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).ReplaceLineEndings(" ");
        return text.Length == 0 ? "(empty body)" : text;
    }
}
