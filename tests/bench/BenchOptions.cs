using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace CommandCenter.Bench;

/// <summary>Command line of the bench. Every address must be on the loopback interface.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        CommandCenter latency bench: report (POST /api/incidents) -> wall feed (SignalR /hubs/wall), open loop.

        Options (--name value or --name=value):
          --url URL                 the running product (default http://127.0.0.1:5090); loopback only
          --rates R1,R2,...|none    reports per second, one measured phase each (default 100,500); none: no fixed phases
          --seconds S               length of each product phase (default 60)
          --find-rate               the search for the highest sustainable rate, for the product and then the baseline
                                    host: steps of --find-rate-step seconds from --find-rate-from up to --find-rate-to,
                                    each step's rate about 1.5x the last (100, 200, 300, 500, 700, 1000, 1500, 2000,
                                    3000), then halving the gap between the highest step held and the lowest failed
                                    one while it is more than a tenth; a step holds when report -> wall p99 <= 20 ms,
                                    every report was sent, answered 2xx and on the wall, and the generator kept up
                                    (lag p99 <= 20 ms: no queue built up in front of the in-flight bound). Each
                                    target's search ends within --find-rate-budget seconds.
                                    Without --rates and without --find-rate, both run: 100,500 and the search; with
                                    only --find-rate, only the search; with both, the --rates phases first
          --find-rate-from R        the first step (default 100)
          --find-rate-to R          the highest step (default 3000)
          --find-rate-step S        length of a step (default 5)
          --find-rate-budget S      time bound of one target's search, its settling between steps included (default 180)
          --redis HOST:PORT         the product's Redis; enables the baseline host on the same backplane (loopback only)
          --baseline-seconds S      length of each baseline phase (default 20)
          --no-baseline             skip the baseline even when --redis is given
          --warmup-seconds S        warm-up length, not counted (default 5; for the product at least one report
                                    per grid, so every feed grain is active before measuring; in the positions
                                    scenario positions at the scenario's rate, for the product and the baseline, for
                                    at least one position interval, so that every sender has sent once)
          --warmup-rate R           warm-up rate (default 50)
          --drain-seconds S         how long after a phase ends an entry may still arrive (default 5)
          --max-in-flight N         bound on concurrent POSTs, and HTTP connections (default 512)
          --full-loop               the full-loop scenario, instead of the --rates phases and the baseline: reports at
                                    --loop-rate for --seconds, each driven through the closed loop by simulated
                                    users, one action after the other per incident, incidents concurrently: verify,
                                    ticket, dispatch (duty officer), accept, handle (the grid worker of the report's
                                    grid, an account the bench creates), feedback (duty), rate (the citizen, through
                                    the report's rating link). Prints loops completed per second, each action's
                                    latency, and the report -> wall latency measured while the loop runs
          --loop-rate R             reports per second of the full loop (default 200)
          --loop-workers N          grid worker accounts of the full loop, one per grid, spread over the county
                                    (default 8); the reports go to these grids only
          --with-cameras            the report phases with the demo cameras streaming and evidence on (bench.sh then
                                    starts 16 demo HLS streams and points the demo cameras at them, as for --cameras):
                                    waits until every camera has been probed, then measures --rates (default 100 here)
                                    and the baseline as without it, and counts the camera frames attached to a sample
                                    of the reports. No search unless --find-rate is given
          --cameras                 the camera scenarios instead (bench.sh then starts 16 demo HLS streams and points
                                    the demo cameras at them): warm snapshots under 200 concurrent requests for
                                    --seconds, against a bare endpoint serving the same bytes from the same Redis;
                                    cold snapshots one after the other, against the same ffmpeg command by hand;
                                    health probing of every demo camera for a minute: the product's CPU and ffmpeg
                                    processes, against the same requests from a bare HTTP client
          --positions               the positions scenario instead (#15): --people senders each sending a position every
                                    --position-interval seconds (default 20000 every 10 s = 2,000/s) through
                                    POST /api/intake/positions, one batch every 100 ms, for --seconds, with --walls
                                    walls on the county's feed; prints the batches' latency, sender -> wall latency
                                    and the walls' message rate (target <= 4 per second), the track history written
                                    per second and the product's CPU per position (target < 1 core), then 1,000
                                    nearest-responder queries with 200 grid workers on duty (target p99 <= 10 ms);
                                    then (with --redis) the same load against the Orleans GPSTracker sample's path,
                                    and the ratio
          --command                 the command scenario instead (#16), against the product and (with --redis) the
                                    baseline host, each after --warmup-seconds at the same pace, not counted. The
                                    shared view: a session in the county, led by commander, --followers walls (duty)
                                    following it, --view-rate views a second shared for --seconds (open loop), each
                                    follower's latency from ShareView to its sessionView (target p99 <= 100 ms).
                                    Instructions: --recipients walls (duty), each on one station's feed (townships,
                                    then villages), an instruction to the county with broadcast: true every
                                    --instruction-interval seconds for --seconds, each wall's latency from the POST to
                                    its instructionIssued (target p99 <= 200 ms), and the POST's own. The baseline: a
                                    bare hub method relaying each view to the session's group, and a bare POST sending
                                    one message to each station's group, on the same Redis, for --seconds as well; the
                                    ratio. The session is closed at the end
          --followers N             followers of the shared view (default 30)
          --view-rate R             views a second the leader shares (default 10)
          --recipients N            station walls of the instructions, at most the county's stations (default 130)
          --instruction-interval S  seconds between two instructions (default 2)
          --people N                senders of the positions scenario (default 20000)
          --position-interval S     seconds between one sender's positions (default 10)
          --walls N                 walls of the positions scenario (default 20)
          --video                   the video scenario (#17; bench.sh --video runs it in a network namespace with Janus):
                                    --participants pages (commander and township stations) join one session's
                                    conference one after the other, each page's join -> first remote frame; then the
                                    CPU of the app and of Janus for --seconds with all in; the same pages straight to
                                    a Janus room (the baseline); the ratio. Then --roll-calls video roll calls of
                                    --participants stations (their consoles answer as soon as they ring): call -> first
                                    frame at the media server per station, against the same pages told to publish
                                    straight to a Janus room
          --participants N          participants of the video scenario (default 10)
          --roll-calls N            roll calls of the video scenario (default 3)
          --janus URL, --janus-secrets FILE, --janus-pid PID, --chromium PATH   Janus' API, its secrets file and process,
                                    and the browser of the video scenario (bench.sh gives them)
          --stats                   the statistics scenario instead (#18): --incidents incidents over --history-years
                                    years up to an hour ago written into the product's database (--postgres) by the
                                    demo county's history generator (DemoHistory: the closed loop's rules and the
                                    incident commit's own statements), the tables vacuumed and analysed, then
                                    --queries of each period query one at a time over HTTP as the duty officer
                                    (township-month and county-year, in total and by day, month, child, category;
                                    the rankings; a township's monthly workbook), p50/p95/p99; then the same
                                    township-months and county-years counted from the event log (the baseline), and
                                    the ratio. A query answered with an error makes the exit code 1
          --incidents N             incidents of the statistics scenario (default 1000000)
          --history-years Y         years of history of the statistics scenario (default 10)
          --queries N               requests of each query of the statistics scenario (default 100)
          --postgres CS             the product's PostgreSQL (a connection string; loopback only; bench.sh gives it)
          --app-pid PID             the product's process (bench.sh gives it): the CPU time of it and its descendants
                                    (/proc/PID/stat) over each phase, per report and per action, and the probing figures
          --json PATH               also write the results as JSON to PATH
          --samples DIR             also write one CSV per phase (every request's times) into DIR
          --help                    this text

        Targets (#13), printed as met or MISSED: 500 reports/s for 60 s (--rates 500 --seconds 60): report -> wall
        p50 <= 5 ms and p99 <= 20 ms; the full loop at 200 reports/s: report -> wall p99 <= 20 ms and each action's
        p99 <= 30 ms; the highest sustainable rate (--find-rate) >= 1,000 reports/s; 100 reports/s with the demo
        cameras streaming and evidence on (--with-cameras): report -> wall p99 <= 20 ms. With --cameras, warm
        snapshot p99 <= 20 ms, cold <= one key-frame interval + 300 ms, probing on <= 1 core. With --command (#16),
        view change -> follower p99 <= 100 ms, instruction -> recipient p99 <= 200 ms. With --stats (#18), over
        1,000,000 incidents: a township-month's period queries p95 <= 200 ms, a county-year's p95 <= 500 ms. The exit code is 0
        whether or not they are met; it is 1 only when the bench could not run (product unreachable), 2 for bad options.
        """;

    /// <summary>The rate of the --with-cameras target (report -> wall p99 at 100 reports/s with the cameras streaming).</summary>
    public const int WithCamerasRate = 100;

    public Uri Url { get; private set; } = new("http://127.0.0.1:5090");
    public IReadOnlyList<int> Rates { get; private set; } = [100, 500];
    public bool FindRate { get; private set; }
    public int FindRateFrom { get; private set; } = 100;
    public int FindRateTo { get; private set; } = 3000;
    public double FindRateStep { get; private set; } = 5;
    public double FindRateBudget { get; private set; } = 180;
    public bool WithCameras { get; private set; }
    public double Seconds { get; private set; } = 60;
    public string? Redis { get; private set; }
    public double BaselineSeconds { get; private set; } = 20;
    public bool NoBaseline { get; private set; }
    public double WarmupSeconds { get; private set; } = 5;
    public int WarmupRate { get; private set; } = 50;
    public double DrainSeconds { get; private set; } = 5;
    public int MaxInFlight { get; private set; } = 512;
    public string? JsonPath { get; private set; }
    public string? SamplesDir { get; private set; }
    public bool FullLoop { get; private set; }
    public int LoopRate { get; private set; } = 200;
    public int LoopWorkers { get; private set; } = 8;
    public bool Help { get; private set; }
    public bool Cameras { get; private set; }
    public bool Positions { get; private set; }
    public int People { get; private set; } = 20_000;
    public double PositionInterval { get; private set; } = 10;
    public int Walls { get; private set; } = 20;
    public bool Command { get; private set; }
    public int Followers { get; private set; } = 30;
    public int ViewRate { get; private set; } = 10;
    public int Recipients { get; private set; } = 130;
    public double InstructionInterval { get; private set; } = 2;
    public int AppPid { get; private set; }
    public bool Video { get; private set; }
    public bool Stats { get; private set; }
    public int Incidents { get; private set; } = 1_000_000;
    public int HistoryYears { get; private set; } = 10;
    public int Queries { get; private set; } = 100;
    public string? Postgres { get; private set; }
    public int Participants { get; private set; } = 10;
    public int RollCalls { get; private set; } = 3;
    public Uri? Janus { get; private set; }
    public string? JanusSecrets { get; private set; }
    public int JanusPid { get; private set; }
    public string Chromium { get; private set; } = "/usr/bin/chromium";

    public bool RunBaseline => Redis is not null && !NoBaseline && !FullLoop;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var ratesGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name, value = "";
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                (name, value) = (arg[..eq], arg[(eq + 1)..]);
            else
                name = arg;

            string Value()
            {
                if (eq > 0)
                    return value;
                if (i + 1 >= args.Count)
                    throw new ArgumentException($"{name} needs a value");
                return args[++i];
            }

            switch (name)
            {
                case "--help" or "-h":
                    o.Help = true;
                    break;
                case "--url":
                    o.Url = LoopbackUrl(Value());
                    break;
                case "--rates":
                    ratesGiven = true;
                    var rates = Value();
                    o.Rates = rates == "none"
                        ? []
                        : rates.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(r => PositiveInt(name, r, 20_000)).ToArray();
                    if (o.Rates.Count == 0 && rates != "none")
                        throw new ArgumentException("--rates needs at least one rate, or none");
                    break;
                case "--find-rate":
                    o.FindRate = true;
                    break;
                case "--find-rate-from":
                    o.FindRateFrom = PositiveInt(name, Value(), 20_000);
                    break;
                case "--find-rate-to":
                    o.FindRateTo = PositiveInt(name, Value(), 20_000);
                    break;
                case "--find-rate-step":
                    o.FindRateStep = PositiveSeconds(name, Value());
                    break;
                case "--find-rate-budget":
                    o.FindRateBudget = PositiveSeconds(name, Value());
                    break;
                case "--with-cameras":
                    o.WithCameras = true;
                    break;
                case "--seconds":
                    o.Seconds = PositiveSeconds(name, Value());
                    break;
                case "--redis":
                    o.Redis = LoopbackRedis(Value());
                    break;
                case "--baseline-seconds":
                    o.BaselineSeconds = PositiveSeconds(name, Value());
                    break;
                case "--no-baseline":
                    o.NoBaseline = true;
                    break;
                case "--warmup-seconds":
                    o.WarmupSeconds = Seconds0(name, Value());
                    break;
                case "--warmup-rate":
                    o.WarmupRate = PositiveInt(name, Value(), 20_000);
                    break;
                case "--drain-seconds":
                    o.DrainSeconds = Seconds0(name, Value());
                    break;
                case "--max-in-flight":
                    o.MaxInFlight = PositiveInt(name, Value(), 10_000);
                    break;
                case "--full-loop":
                    o.FullLoop = true;
                    break;
                case "--loop-rate":
                    o.LoopRate = PositiveInt(name, Value(), 20_000);
                    break;
                case "--loop-workers":
                    o.LoopWorkers = PositiveInt(name, Value(), 100);
                    break;
                case "--cameras":
                    o.Cameras = true;
                    break;
                case "--positions":
                    o.Positions = true;
                    break;
                case "--command":
                    o.Command = true;
                    break;
                case "--video":
                    o.Video = true;
                    break;
                case "--stats":
                    o.Stats = true;
                    break;
                case "--incidents":
                    o.Incidents = PositiveInt(name, Value(), 5_000_000);
                    break;
                case "--history-years":
                    o.HistoryYears = PositiveInt(name, Value(), 20);
                    break;
                case "--queries":
                    o.Queries = PositiveInt(name, Value(), 10_000);
                    break;
                case "--postgres":
                    o.Postgres = LoopbackPostgres(Value());
                    break;
                case "--participants":
                    o.Participants = PositiveInt(name, Value(), 24);
                    break;
                case "--roll-calls":
                    o.RollCalls = PositiveInt(name, Value(), 20);
                    break;
                case "--janus":
                    o.Janus = new Uri(Value());
                    break;
                case "--janus-secrets":
                    o.JanusSecrets = Value();
                    break;
                case "--janus-pid":
                    o.JanusPid = PositiveInt(name, Value(), int.MaxValue);
                    break;
                case "--chromium":
                    o.Chromium = Value();
                    break;
                case "--followers":
                    o.Followers = PositiveInt(name, Value(), 100);
                    break;
                case "--view-rate":
                    o.ViewRate = PositiveInt(name, Value(), 50);
                    break;
                case "--recipients":
                    o.Recipients = PositiveInt(name, Value(), 500);
                    break;
                case "--instruction-interval":
                    o.InstructionInterval = PositiveSeconds(name, Value());
                    break;
                case "--people":
                    o.People = PositiveInt(name, Value(), 1_000_000);
                    break;
                case "--position-interval":
                    o.PositionInterval = PositiveInt(name, Value(), 3600);
                    break;
                case "--walls":
                    o.Walls = PositiveInt(name, Value(), 200);
                    break;
                case "--app-pid":
                    o.AppPid = PositiveInt(name, Value(), int.MaxValue);
                    break;
                case "--json":
                    o.JsonPath = Value();
                    if (o.JsonPath.Length == 0)
                        throw new ArgumentException("--json needs a path");
                    break;
                case "--samples":
                    o.SamplesDir = Value();
                    if (o.SamplesDir.Length == 0)
                        throw new ArgumentException("--samples needs a folder");
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{arg}' (try --help)");
            }
        }
        if (new[] { o.FullLoop, o.Cameras, o.WithCameras, o.Positions, o.Command, o.Video, o.Stats }.Count(m => m) > 1)
            throw new ArgumentException("--full-loop, --cameras, --with-cameras, --positions, --command, --video and --stats are separate scenarios: give one");
        if (o.Stats && o.Postgres is null)
            throw new ArgumentException("--stats needs --postgres (bench.sh gives it)");
        if (o.Video && (o.Janus is null || o.JanusSecrets is null || o.JanusPid == 0))
            throw new ArgumentException("--video needs --janus, --janus-secrets and --janus-pid (bench.sh gives them)");
        if (o.Participants < 2)
            throw new ArgumentException("--participants must be at least 2");
        if (o.FindRate && (o.FullLoop || o.Cameras || o.Positions || o.Command || o.Video || o.Stats))
            throw new ArgumentException("--find-rate searches the report rate; it does not go with --full-loop, --cameras, --positions or --command");
        if (o.FindRateFrom > o.FindRateTo)
            throw new ArgumentException("--find-rate-from must not be above --find-rate-to");
        if (o.WithCameras)
        {
            // The cameras' target is at 100 reports/s; the search is a long run on top of the cameras' own load.
            if (!ratesGiven)
                o.Rates = [WithCamerasRate];
        }
        else if (!o.FullLoop && !o.Cameras && !o.Positions && !o.Command && !o.Video && !o.Stats)
        {
            // The default run measures everything about reports: the fixed rates and the search.
            if (!ratesGiven && !o.FindRate)
                o.FindRate = true;
            else if (!ratesGiven)
                o.Rates = [];
        }
        if (o.Rates.Count == 0 && !o.FindRate && !o.FullLoop && !o.Cameras && !o.Positions && !o.Command && !o.Stats)
            throw new ArgumentException("--rates none measures nothing without --find-rate");
        return o;
    }

    private static int PositiveInt(string name, string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max
            ? n
            : throw new ArgumentException($"{name}: '{text}' is not a whole number from 1 to {max}");

    private static double PositiveSeconds(string name, string text) =>
        Seconds0(name, text) is var s && s > 0 ? s : throw new ArgumentException($"{name} must be more than 0");

    private static double Seconds0(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 && s <= 3600
            ? s
            : throw new ArgumentException($"{name}: '{text}' is not a number of seconds from 0 to 3600");

    public static bool IsLoopback(string host)
    {
        host = host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static Uri LoopbackUrl(string text)
    {
        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"--url: '{text}' is not an http(s) URL");
        if (!IsLoopback(uri.Host))
            throw new ArgumentException($"--url: {uri.Host} is not a loopback address; the bench only talks to 127.0.0.1");
        return uri;
    }

    private static string LoopbackPostgres(string text)
    {
        Npgsql.NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new Npgsql.NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--postgres: not a connection string ({e.Message})");
        }
        if (parsed.Host is not { Length: > 0 } host || host.Split(',').Any(h => !IsLoopback(h.Split(':')[0])))
            throw new ArgumentException($"--postgres: {parsed.Host} is not a loopback address; the bench only talks to 127.0.0.1");
        return text;
    }

    private static string LoopbackRedis(string text)
    {
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(text);
        }
        catch (Exception e)
        {
            throw new ArgumentException($"--redis: '{text}' is not a Redis connection string ({e.Message})");
        }
        if (parsed.EndPoints.Count == 0)
            throw new ArgumentException("--redis needs HOST:PORT");
        foreach (var endpoint in parsed.EndPoints)
        {
            var host = endpoint switch
            {
                DnsEndPoint dns => dns.Host,
                IPEndPoint ip => ip.Address.ToString(),
                _ => "",
            };
            if (!IsLoopback(host))
                throw new ArgumentException($"--redis: {endpoint} is not a loopback address; the bench only talks to 127.0.0.1");
        }
        return text;
    }
}
