using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CommandCenter.Bench;
using CommandCenter.Faults;

// Fault test client (#14): reports at a fixed rate while kill-node.sh kills the node with SIGKILL and starts it again,
// then every key re-sent, then the store counted in SQL. See FaultOptions.Usage.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = Encoding.UTF8;

FaultOptions options;
try
{
    options = FaultOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"faults: {e.Message}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(FaultOptions.Usage);
    return 0;
}
if (Environment.GetEnvironmentVariable("CC_DEMO_PASSWORD") is not { Length: > 0 } password)
{
    Console.Error.WriteLine("faults: set CC_DEMO_PASSWORD to the demo accounts' password of the product (kill-node.sh does)");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));

// Every request bounded: at most 10 s each, so at most rate x 10 requests are open at once, whatever the node does.
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256,
    ConnectTimeout = TimeSpan.FromSeconds(2),
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
})
{
    Timeout = TimeSpan.FromSeconds(10),
};

ProductTarget product;
string apiKey;
try
{
    var duty = await ProductTarget.Token(http, options.Url, "duty", password, stop.Token);
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", duty);
    product = await ProductTarget.Discover(http, options.Url, stop.Token);
    var admin = await ProductTarget.Token(http, options.Url, "admin", password, stop.Token);
    apiKey = await ProductTarget.IntakeKey(http, options.Url, admin, product.County, "faults", stop.Token);
    http.DefaultRequestHeaders.Authorization = null;
}
catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException
    or KeyNotFoundException or OperationCanceledException)
{
    Console.Error.WriteLine($"faults: cannot reach the product at {options.Url}: {e.Message}");
    return 1;
}

var runId = Guid.NewGuid().ToString("N")[..8];
var bodies = product.Grids.Select(ProductTarget.ReportBody).ToArray();
var attempts = Enumerable.Range(0, (int)Math.Round(options.Rate * options.Seconds))
    .Select(i => new Attempt($"fault-{runId}-{i}", bodies[i % bodies.Length]))
    .ToArray();
var reports = new Reports(http, options.Url, apiKey);

long startedAt = 0;
var restart = Restart.Watch(options, TimeSpan.FromSeconds(options.Seconds + 60), stop.Token);
Console.Error.WriteLine($"faults: {attempts.Length} reports at {options.Rate}/s to {product.County} {product.CountyName} ({product.Grids.Count} grids)");
await reports.Load(attempts, options.Rate, () =>
{
    startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    // Moved in whole, so that the script never reads it half written.
    File.WriteAllText(options.StartedFile + ".tmp", startedAt.ToString(CultureInfo.InvariantCulture) + "\n");
    File.Move(options.StartedFile + ".tmp", options.StartedFile, overwrite: true);
}, stop.Token);
var acknowledged = attempts.Where(a => a.Acknowledged).ToArray();
var sent = attempts.Where(a => a.Sent).ToArray();

Console.WriteLine($"kill-node   {options.Rate}/s for {options.Seconds:0.#} s through the intake path, one Idempotency-Key each; county {product.County}");
Console.WriteLine($"sent          {sent.Length,6}");
Console.WriteLine($"acknowledged  {acknowledged.Length,6}   (2xx with an incident id)");
var unacknowledgedSent = sent.Where(a => !a.Acknowledged).ToArray();
var failures = unacknowledgedSent.GroupBy(a => a.Failure ?? "?").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
var failuresLine = $"failed        {unacknowledgedSent.Length,6}   ({string.Join(", ", failures.DefaultIfEmpty("none"))})";

var restarted = await restart;
if (restarted is null || stop.IsCancellationRequested)
{
    Console.WriteLine(failuresLine);
    Console.WriteLine("result      NOT RUN: " + (stop.IsCancellationRequested ? "stopped" : Restart.Missing));
    return 1;
}
if (restarted.ReadyAt is not { } readyAt)
{
    Console.WriteLine(failuresLine);
    Console.WriteLine($"result      NOT RUN: the node did not answer /health/ready within {options.ReadyTimeout:0} s of its restart");
    return 1;
}
// A request sent shortly before the kill may still have been on its way (its answer cut off): a second of grace.
var outside = unacknowledgedSent.Count(a => a.SentAt < restarted.KilledAt - 1000 || a.SentAt > readyAt);
Console.WriteLine(failuresLine + (outside == 0 ? ", all sent during the outage" : $", {outside} of them sent outside the outage"));
Console.WriteLine($"kill        SIGKILL {(restarted.KilledAt - startedAt) / 1000.0:0.0} s into the load, started again " +
    $"{(restarted.RestartedAt - restarted.KilledAt) / 1000.0:0.0} s later (once none of its processes ran)");
var readySeconds = (readyAt - restarted.RestartedAt) / 1000.0;
Console.WriteLine($"ready         {readySeconds,6:0.0} s   (from the restart to the first 200 of /health/ready)");

var store = new StoreCheck(options.Postgres);
var resent = Stopwatch.StartNew();
IReadOnlySet<Guid> lostAtRestart;
IReadOnlyDictionary<string, (int Status, Guid? Id, string? Failure)> answers;
FeedCount feeds;
IReadOnlySet<Guid> absentAtEnd;
try
{
    // Before anything is re-sent, which would report again what the restart lost.
    lostAtRestart = await store.Absent([.. acknowledged.Select(a => a.Id!.Value)], stop.Token);
    answers = await reports.Resend(sent, concurrency: 16, tries: 5, stop.Token);
    feeds = await store.Feeds(product.County, stop.Token);
    absentAtEnd = await store.Absent([.. answers.Values.Where(a => a.Id is not null).Select(a => a.Id!.Value)], stop.Token);
}
catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or OperationCanceledException)
{
    Console.WriteLine($"result      NOT RUN: {e.GetType().Name}: {e.Message}");
    return 1;
}

var ofAcknowledged = acknowledged.Select(a => (Acked: a, Again: answers.GetValueOrDefault(a.Key))).ToArray();
var different = ofAcknowledged.Count(x => x.Again.Id is { } id && id != x.Acked.Id);
var madeAgain = ofAcknowledged.Where(x => x.Again.Status == (int)HttpStatusCode.Created).Select(x => x.Acked.Id!.Value);
var lost = lostAtRestart.Union(madeAgain).Union(absentAtEnd).Count();
var unanswered = sent.Count(a => answers.GetValueOrDefault(a.Key).Id is null);
var unacknowledged = unacknowledgedSent.Select(a => answers.GetValueOrDefault(a.Key)).ToArray();
Console.WriteLine($"re-sent       {answers.Count,6}   every key sent, same body, in {resent.Elapsed.TotalSeconds:0.0} s: " +
    $"{ofAcknowledged.Count(x => x.Again.Status == (int)HttpStatusCode.OK)} acknowledged ones replayed (200); of the unacknowledged, " +
    $"{unacknowledged.Count(a => a.Status == (int)HttpStatusCode.OK)} had been stored (200), " +
    $"{unacknowledged.Count(a => a.Status == (int)HttpStatusCode.Created)} were new (201); {unanswered} without an incident id");
Console.WriteLine($"lost          {lost,6}   (acknowledged, then absent from cc_incident, or made anew (201) when re-sent)");
Console.WriteLine($"doubled       {feeds.County.Doubled,6}   (incidents with more than one incident.reported entry on the county feed)");
Console.WriteLine($"missing       {feeds.County.Missing,6}   (incidents in cc_incident without an incident.reported entry on the county feed)");
Console.WriteLine($"different     {different,6}   (acknowledged keys answered with another incident when re-sent)");
Console.WriteLine($"feed gaps     {feeds.County.Gaps,6}   (sequence numbers 1..{feeds.CountyHead} without an entry on the county feed, or entries past it)");
Console.WriteLine($"other feeds   {feeds.Others.Doubled} doubled, {feeds.Others.Missing} missing, {feeds.Others.Gaps} gaps " +
    $"over {feeds.OtherFeeds} township, village and grid feeds");

var failed = lost != 0 || different != 0 || unanswered != 0 || feeds.County.Any || feeds.Others.Any;
Console.WriteLine($"result      {(failed ? "FAILED" : "passed")}: sent {sent.Length}, acknowledged {acknowledged.Length}, " +
    $"failed {unacknowledgedSent.Length}, lost {lost}, doubled {feeds.County.Doubled}, missing {feeds.County.Missing}, " +
    $"different {different}, feed gaps {feeds.County.Gaps}" +
    (feeds.Others.Any ? ", faults on other feeds" : "") + (unanswered != 0 ? $", {unanswered} keys not answered when re-sent" : "") +
    $", ready {readySeconds:0.0} s after the restart");
return failed ? 1 : 0;
