using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CommandCenter.Bench;

/// <summary>A grid worker account the bench signed in as: it accepts and handles the cases of its grid.</summary>
public sealed record LoopWorker(string Id, string GridCode, string Username, string Token);

/// <summary>One action of the loop: answered 2xx, failed, and the latency of the answered ones (ms, send to complete answer).</summary>
public sealed record ActionStats(string Action, string Actor, int Ok, int Errors, IReadOnlyDictionary<string, int> ErrorsByStatus,
    IReadOnlyDictionary<string, string> FirstErrors, Percentiles? Latency);

/// <summary>
/// What a full-loop phase measured beyond its reports: loops started (reports answered 2xx), completed (rated) and
/// failed (an action that did not answer 2xx ends its loop); loops per second from the first report sent to the last
/// rating answered; the most loops open at once; loop time from sending the report to the rating's answer; the CPU
/// time over the whole phase, its reports' and every action's until the last loop ended.
/// </summary>
public sealed record LoopResult(string Phase, int Rate, int Workers, int Started, int Completed, int Failed, double Seconds,
    double LoopsPerSecond, int PeakOpen, Percentiles? LoopTime, IReadOnlyList<ActionStats> Actions)
{
    public LoopCpu? Cpu { get; init; }
}

/// <summary>
/// CPU time (ms) of a full-loop phase, from just before its first report until its last loop ended: the product's
/// process tree and this bench process, per report answered 2xx (with its loop's actions) and per request (each
/// report and each action answered 2xx counted once).
/// </summary>
public sealed record LoopCpu(double Seconds, double? AppMs, double BenchMs, int Reports, int Actions, double? AppMsPerReport, double? AppMsPerRequest,
    double? BenchMsPerReport, double? BenchMsPerRequest)
{
    public static LoopCpu Of(CpuReading from, CpuReading to, int reports, int actions)
    {
        var use = to.Since(from, reports);
        double? Per(double? ms, int n) => ms is { } x && n > 0 ? Math.Round(x / n, 4) : null;
        return new LoopCpu(use.Seconds, use.AppMs, use.BenchMs, reports, actions, use.AppMsPerReport, Per(use.AppMs, reports + actions),
            use.BenchMsPerReport, Per(use.BenchMs, reports + actions));
    }
}

/// <summary>
/// Simulated users closing every report of a phase: the duty officer verifies, tickets and dispatches it to the grid
/// worker of its grid, the worker accepts and handles it, the duty officer gives the feedback, and the citizen rates it
/// through the report's rating link. Actions of one incident go one after the other, incidents run concurrently;
/// each action is one POST with its own Idempotency-Key and is not retried.
/// </summary>
public sealed class FullLoop
{
    private sealed record Step(string Action, string Actor);

    private static readonly Step[] Steps =
    [
        new("verify", "duty"), new("ticket", "duty"), new("dispatch", "duty"), new("accept", "worker"),
        new("handle", "worker"), new("feedback", "duty"), new("rate", "citizen"),
    ];

    private static readonly byte[] Empty = "{}"u8.ToArray();
    private static readonly byte[] Handled = JsonSerializer.SerializeToUtf8Bytes(new { note = "压测：已清理楼道杂物" });
    private static readonly byte[] Told = JsonSerializer.SerializeToUtf8Bytes(new { note = "压测：已向上报人反馈处置结果" });
    private static readonly double MsPerTick = 1000.0 / Stopwatch.Frequency;

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string _dutyToken;
    private readonly string _runId;
    private readonly Dictionary<string, (LoopWorker Worker, byte[] Dispatch)> _byGrid;
    private readonly CancellationTokenSource _giveUp;
    private readonly ConcurrentBag<Task> _loops = [];
    private readonly ConcurrentBag<double>[] _latency = Steps.Select(_ => new ConcurrentBag<double>()).ToArray();
    private readonly ConcurrentDictionary<string, int>[] _errors = Steps.Select(_ => new ConcurrentDictionary<string, int>()).ToArray();
    private readonly ConcurrentDictionary<string, string>[] _firstErrors = Steps.Select(_ => new ConcurrentDictionary<string, string>()).ToArray();
    private readonly ConcurrentBag<double> _loopMs = [];
    private readonly Lock _gate = new();
    private int _started, _completed, _failed, _open, _peakOpen;
    private long _firstSent = long.MaxValue, _lastDone;

    /// <param name="http">the users' client (not the intake's: its connections are not shared with the reports)</param>
    public FullLoop(HttpClient http, Uri baseUrl, string dutyToken, IReadOnlyList<LoopWorker> workers, ProductTarget product, string runId,
        CancellationToken cancellationToken)
    {
        _http = http;
        _baseUrl = baseUrl;
        _dutyToken = dutyToken;
        _runId = runId;
        _byGrid = workers.ToDictionary(w => w.GridCode,
            w => (w, JsonSerializer.SerializeToUtf8Bytes(new { targetKind = "worker", target = w.Id })), StringComparer.Ordinal);
        Bodies = workers.Select(w => ProductTarget.ReportBody(product.Grids.First(g => g.Code == w.GridCode))).ToArray();
        _giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>The phase's report bodies: one per worker's grid, so that every case has its worker.</summary>
    public IReadOnlyList<byte[]> Bodies { get; }

    public int Workers => _byGrid.Count;

    /// <summary>Starts closing an answered report (the <see cref="LoadPhase"/> callback); returns at once.</summary>
    public void Start(Guid id, byte[] answer, long reportSent)
    {
        Interlocked.Increment(ref _started);
        lock (_gate)
        {
            _firstSent = Math.Min(_firstSent, reportSent);
            _peakOpen = Math.Max(_peakOpen, ++_open);
        }
        _loops.Add(Close(id, answer, reportSent));
    }

    /// <summary>
    /// Waits for the loops to end, at most <paramref name="wait"/>; the ones still open then are abandoned (their
    /// pending action counts as "gave up").
    /// </summary>
    public async Task<LoopResult> Finish(string phase, int rate, TimeSpan wait)
    {
        try
        {
            await Task.WhenAll(_loops).WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            await _giveUp.CancelAsync();
            await Task.WhenAll(_loops);
        }
        _giveUp.Dispose();

        var seconds = _completed > 0 ? (_lastDone - _firstSent) * MsPerTick / 1000 : 0;
        var actions = Steps.Select((step, k) => new ActionStats(step.Action, step.Actor, _latency[k].Count, _errors[k].Values.Sum(),
            new SortedDictionary<string, int>(_errors[k], StringComparer.Ordinal),
            new SortedDictionary<string, string>(_firstErrors[k], StringComparer.Ordinal),
            Percentiles.Of([.. _latency[k]]))).ToList();
        return new LoopResult(phase, rate, Workers, _started, _completed, _failed, Math.Round(seconds, 3),
            Math.Round(seconds > 0 ? _completed / seconds : 0, 2), _peakOpen, Percentiles.Of([.. _loopMs]), actions);
    }

    private async Task Close(Guid id, byte[] answer, long reportSent)
    {
        await Task.Yield(); // the report's sender goes on at once
        try
        {
            if (ReadCreated(answer) is not var (grid, ratingToken) || !_byGrid.TryGetValue(grid, out var worker))
            {
                Count(0, "report answer", "no grid of a bench worker or no rating link in: " + LoadPhase.Snippet(answer));
                Interlocked.Increment(ref _failed);
                return;
            }
            var rating = JsonSerializer.SerializeToUtf8Bytes(new { token = ratingToken, rating = "satisfied" });
            byte[][] bodies = [Empty, Empty, worker.Dispatch, Empty, Handled, Told, rating];
            string?[] bearers = [_dutyToken, _dutyToken, _dutyToken, worker.Worker.Token, worker.Worker.Token, _dutyToken, null];
            for (var k = 0; k < Steps.Length; k++)
            {
                if (!await Act(k, id, bearers[k], bodies[k]))
                {
                    Interlocked.Increment(ref _failed);
                    return;
                }
            }
            var done = Stopwatch.GetTimestamp();
            _loopMs.Add((done - reportSent) * MsPerTick);
            lock (_gate)
                _lastDone = Math.Max(_lastDone, done);
            Interlocked.Increment(ref _completed);
        }
        finally
        {
            lock (_gate)
                _open--;
        }
    }

    private async Task<bool> Act(int k, Guid id, string? bearer, byte[] body)
    {
        var action = Steps[k].Action;
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, $"api/incidents/{id}/{action}"))
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = LoadPhase.JsonType;
        message.Headers.TryAddWithoutValidation("Idempotency-Key", $"bench-{_runId}-{id:N}-{action}");
        if (bearer is not null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var sent = Stopwatch.GetTimestamp();
        int status;
        string error;
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, _giveUp.Token);
            var answer = await response.Content.ReadAsByteArrayAsync(_giveUp.Token);
            if (response.IsSuccessStatusCode)
            {
                _latency[k].Add((Stopwatch.GetTimestamp() - sent) * MsPerTick);
                return true;
            }
            (status, error) = ((int)response.StatusCode, LoadPhase.Snippet(answer));
        }
        catch (Exception e)
        {
            (status, error) = LoadPhase.Failure(e, _http, _giveUp.Token);
        }
        Count(k, LoadPhase.Label(status), error);
        return false;
    }

    private void Count(int k, string label, string error)
    {
        _errors[k].AddOrUpdate(label, 1, (_, n) => n + 1);
        _firstErrors[k].TryAdd(label, error);
    }

    /// <summary>The grid and the rating link's token of a report's answer ({ gridCode, ratingLink: "/rate/{id}?t={token}" }).</summary>
    private static (string Grid, string RatingToken)? ReadCreated(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            var link = new Uri(new Uri("http://link/"), root.GetProperty("ratingLink").GetString());
            var token = link.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p is ["t", _])?[1];
            return root.GetProperty("gridCode").GetString() is { } grid && token is not null ? (grid, Uri.UnescapeDataString(token)) : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or UriFormatException)
        {
            return null;
        }
    }
}
