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
          --rates R1,R2,...         reports per second, one measured phase each (default 100,500)
          --seconds S               length of each product phase (default 60)
          --redis HOST:PORT         the product's Redis; enables the baseline host on the same backplane (loopback only)
          --baseline-seconds S      length of each baseline phase (default 20)
          --no-baseline             skip the baseline even when --redis is given
          --warmup-seconds S        warm-up length, not counted (default 5; for the product at least one report
                                    per grid, so every feed grain is active before measuring)
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
          --cameras                 the camera scenarios instead (bench.sh then starts 16 demo HLS streams and points
                                    the demo cameras at them): warm snapshots under 200 concurrent requests for
                                    --seconds, against a bare endpoint serving the same bytes from the same Redis;
                                    cold snapshots one after the other, against the same ffmpeg command by hand;
                                    health probing of every demo camera for a minute: the product's CPU and ffmpeg
                                    processes, against the same requests from a bare HTTP client
          --app-pid PID             the product's process (bench.sh gives it), for the probing figures
          --json PATH               also write the results as JSON to PATH
          --samples DIR             also write one CSV per phase (every request's times) into DIR
          --help                    this text

        Targets (checked at 500 reports/s): feed latency p50 <= 5 ms and p99 <= 20 ms; with --full-loop, the
        report -> wall p99 <= 20 ms while the loop runs; with --cameras, warm snapshot p99 <= 20 ms,
        cold <= one key-frame interval + 300 ms, probing on <= 1 core. The exit code is 0 whether or not they are met; it is 1
        only when the bench could not run (bad options, product unreachable).
        """;

    public Uri Url { get; private set; } = new("http://127.0.0.1:5090");
    public IReadOnlyList<int> Rates { get; private set; } = [100, 500];
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
    public int AppPid { get; private set; }

    public bool RunBaseline => Redis is not null && !NoBaseline && !FullLoop;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
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
                    o.Rates = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(r => PositiveInt(name, r, 20_000)).ToArray();
                    if (o.Rates.Count == 0)
                        throw new ArgumentException("--rates needs at least one rate");
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
