using System.Globalization;
using CommandCenter.Bench;
using Npgsql;

namespace CommandCenter.Faults;

/// <summary>Command line of the fault test client. The product and its PostgreSQL must be on the loopback interface.</summary>
public sealed class FaultOptions
{
    public const string Usage = """
        CommandCenter fault test client: reports through a fault the script injects, then counts what was stored.

        faults SCENARIO [options]          (tests/faults/fault.sh runs it)
          kill                  a web node killed (SIGKILL) and started again
          postgres              PostgreSQL stopped and started again
          redis                 Redis stopped and started again
          deadlines             two batches of reports on either side of a deadline, the whole cluster killed across
                                it and started again with the fake clock past it: each missed deadline recorded once

        Options (--name value):
          --url URL             a web node of the product (loopback only); given twice or more, the reports are spread
                                over the nodes in turn and a wall client follows the county feed on each
          --postgres CONN       the product's PostgreSQL (Npgsql connection string, loopback only), counted in SQL
          --rate R              reports per second, each with a fresh Idempotency-Key (default 100)
          --seconds S           how long reports are sent, the outage included (default 30); deadlines: each batch
          --started-file PATH   written when the first report is due: the script times the kill from it
          --restart-file PATH   written by the script once it has ended the fault: two Unix times in milliseconds, of
                                the kill (or stop) and of the restart
          --kill-node N         which --url the script kills, counted from 1 (default 1)
          --ready-timeout S     how long after the restart the node may take to answer /health/ready (default 120)
          --steps DIR           deadlines (instead of --started-file and --restart-file): the client writes DIR/NAME
                                when the cluster is to be stopped or killed and started again (a-filed, b-filed,
                                recorded), the script DIR/NAME.done with the two Unix times in ms of that stop and start
          --due UNIX            deadlines: the deadline batch A must get, in Unix seconds (24:00 China time of the
                                working day after the one the script's fake clock starts on)
          --down S              deadlines: how far the script's fake clock jumps over the outage, in seconds (reported)
          --help                this text

        The demo accounts' password comes from CC_DEMO_PASSWORD. Exit code 0 when nothing acknowledged was lost,
        doubled or answered with another incident and the feeds have no gaps; 1 when any of that happened or the
        test could not run to its end; 2 for bad options.
        """;

    public const string Kill = "kill";
    public const string PostgresDown = "postgres";
    public const string RedisDown = "redis";
    public const string Deadlines = "deadlines";
    private static readonly string[] Faults = [Kill, PostgresDown, RedisDown, Deadlines];

    public string Scenario { get; private set; } = "";
    /// <summary>The fault the script injects: <see cref="Kill"/>, <see cref="PostgresDown"/>, <see cref="RedisDown"/> or <see cref="Deadlines"/>.</summary>
    public string Fault => Scenario;
    public List<Uri> Urls { get; } = [];
    /// <summary>The index in <see cref="Urls"/> of the node the script kills.</summary>
    public int KillNode { get; private set; }
    public Uri KilledUrl => Urls[KillNode];
    public string Postgres { get; private set; } = null!;
    public int Rate { get; private set; } = 100;
    public double Seconds { get; private set; } = 30;
    public string StartedFile { get; private set; } = null!;
    public string RestartFile { get; private set; } = null!;
    public double ReadyTimeout { get; private set; } = 120;
    public string Steps { get; private set; } = null!;
    public DateTimeOffset Due { get; private set; }
    public double Down { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static FaultOptions Parse(IReadOnlyList<string> args)
    {
        var o = new FaultOptions();
        if (args.Count > 0 && args[0] is "--help" or "-h")
        {
            o.Help = true;
            return o;
        }
        o.Scenario = args.Count > 0 && Faults.Contains(args[0]) ? args[0]
            : throw new ArgumentException($"the first argument names the scenario ({string.Join(", ", Faults)}), not '{(args.Count > 0 ? args[0] : "")}'");
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--help" or "-h":
                    o.Help = true;
                    return o;
                case "--url":
                    o.Urls.Add(Loopback(Value()));
                    break;
                case "--postgres":
                    o.Postgres = LoopbackPostgres(Value());
                    break;
                case "--rate":
                    o.Rate = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate is >= 1 and <= 1000
                        ? rate
                        : throw new ArgumentException("--rate must be a whole number from 1 to 1000");
                    break;
                case "--seconds":
                    o.Seconds = SecondsOf(name, Value());
                    break;
                case "--started-file":
                    o.StartedFile = Value();
                    break;
                case "--restart-file":
                    o.RestartFile = Value();
                    break;
                case "--kill-node":
                    o.KillNode = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var node) && node >= 1
                        ? node - 1
                        : throw new ArgumentException("--kill-node must be a whole number from 1");
                    break;
                case "--ready-timeout":
                    o.ReadyTimeout = SecondsOf(name, Value());
                    break;
                case "--steps":
                    o.Steps = Value();
                    break;
                case "--due":
                    o.Due = long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var due)
                        ? DateTimeOffset.FromUnixTimeSeconds(due)
                        : throw new ArgumentException("--due must be a Unix time in seconds");
                    break;
                case "--down":
                    o.Down = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var down) && down > 0
                        ? down
                        : throw new ArgumentException("--down must be a number of seconds above 0");
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{name}' (try --help)");
            }
        }
        if (o.Urls.Count == 0 || o.Postgres is null)
            throw new ArgumentException("--url and --postgres are required (the scripts give them)");
        if (o.Scenario == Deadlines ? o.Steps is null || o.Due == default || o.Down == 0 : o.StartedFile is null || o.RestartFile is null)
            throw new ArgumentException(o.Scenario == Deadlines ? "deadlines needs --steps, --due and --down (fault.sh gives them)"
                : "--started-file and --restart-file are required (the scripts give them)");
        if (o.KillNode >= o.Urls.Count)
            throw new ArgumentException($"--kill-node {o.KillNode + 1}: there are only {o.Urls.Count} --url");
        return o;
    }

    private static double SecondsOf(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 600
            ? s
            : throw new ArgumentException($"{name} must be a number of seconds above 0, at most 600");

    private static Uri Loopback(string text) =>
        Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme == "http" && BenchOptions.IsLoopback(uri.Host)
            ? uri
            : throw new ArgumentException($"--url: '{text}' is not an http URL on the loopback interface");

    private static string LoopbackPostgres(string text)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--postgres: not a connection string ({e.Message})");
        }
        return parsed.Host is { } host && host.Split(',').All(BenchOptions.IsLoopback)
            ? text
            : throw new ArgumentException("--postgres: the host must be a loopback address");
    }
}
