using System.Net;
using System.Net.Sockets;
using CommandCenter.Access;
using CommandCenter.Silo.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// The real parts the tests run against, started by ./test.sh: one PostgreSQL and one Redis per test run.
/// A missing variable fails the test loudly; nothing falls back to an in-memory stand-in.
/// </summary>
public static class TestEnvironment
{
    private static readonly Lazy<Task> Migrated = new(async () =>
    {
        await using var db = NpgsqlDataSource.Create(Postgres);
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).Apply();
    });

    public static string Postgres => Required("CC_TEST_POSTGRES");

    private static readonly Lazy<string> KeysOnce = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "keys", "test-keys.pfx");
        KeyCertificate.LoadOrMake(file, null);
        return file;
    });

    /// <summary>The certificate the test hosts encrypt their keys at rest with (no password), made once beside the tests' binaries and reused.</summary>
    public static string KeysFile => KeysOnce.Value;

    public static KeyCertificate Keys => KeyCertificate.Load(KeysFile, null);

    public static string Redis => Required("CC_TEST_REDIS");

    public static string Chromium => Required("CC_CHROMIUM");

    /// <summary>The test Janus' WebSocket API, its admin API, and the file with its secrets (test.sh starts it: deploy/lib.sh cc_start_janus).</summary>
    public static Uri Janus => new(Required("CC_TEST_JANUS"));

    public static Uri JanusAdmin => new(Required("CC_TEST_JANUS_ADMIN"));

    /// <summary>The port Janus' event handler posts to (the web tests' host listens on it too).</summary>
    public static int JanusEventsPort => int.Parse(Required("CC_TEST_JANUS_EVENTS_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string JanusSecretsFile => Required("CC_TEST_JANUS_SECRETS");

    /// <summary>The secrets cc_start_janus generated (KEY=value lines): JANUS_ADMIN_SECRET, JANUS_TOKEN_SECRET, JANUS_ROOM_ADMIN_KEY, JANUS_EVENTS_SECRET.</summary>
    public static IReadOnlyDictionary<string, string> JanusSecrets => File.ReadAllLines(JanusSecretsFile)
        .Select(line => line.Split('=', 2)).Where(parts => parts.Length == 2).ToDictionary(parts => parts[0], parts => parts[1]);

    /// <summary>Applies the schema once per test run (the same migrator the hosts run at start-up).</summary>
    public static Task EnsureSchema() => Migrated.Value;

    /// <summary>
    /// A database of its own on the test PostgreSQL (dropped and made anew, schema applied), for a cluster whose clock is
    /// moved: its deadline sweep must not find the other clusters' cases due. Returns its connection string.
    /// </summary>
    public static async Task<string> FreshDatabase(string name)
    {
        var connection = await EmptyDatabase(name);
        await using (var db = NpgsqlDataSource.Create(connection))
            await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).Apply();
        return connection;
    }

    /// <summary>A database of its own on the test PostgreSQL, dropped and made anew without a schema (a migration's test applies it). Returns its connection string.</summary>
    public static async Task<string> EmptyDatabase(string name)
    {
        await using (var db = NpgsqlDataSource.Create(Postgres))
        {
            await using var drop = db.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
            await using var create = db.CreateCommand($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0");
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    public static IConfiguration Configuration(IDictionary<string, string?>? extra = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(Settings(extra)).Build();

    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Postgres,
            ["ConnectionStrings:Redis"] = Redis,
            [KeyCertificate.FileSetting] = KeysFile,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return settings;
    }

    /// <summary>
    /// Gives a test's web host its settings (<see cref="Settings"/> and the host's own) in the Development environment,
    /// and its log and problem details in the run's log file as <paramref name="host"/> (<see cref="TestLogs"/>).
    /// </summary>
    public static void UseSettings(IWebHostBuilder builder, string host, IDictionary<string, string?> extra)
    {
        foreach (var (key, value) in Settings(extra))
            builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
        builder.ConfigureServices(services => TestLogs.AddToWeb(services, host));
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Where tests keep what a person should look at (screenshots): under TestResults/ when run by ./test.sh.</summary>
    public static string OutputDirectory(string name)
    {
        var root = Environment.GetEnvironmentVariable("CC_TEST_RESULTS") is { Length: > 0 } results
            ? results
            : Path.Combine(AppContext.BaseDirectory, "artifacts");
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through ./test.sh, which starts PostgreSQL, Redis and Chromium.");
}
