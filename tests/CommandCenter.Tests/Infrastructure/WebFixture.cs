using System.Net.Http.Headers;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using CommandCenter.Web.Simulation;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// The whole web host (co-hosted silo, API, hub, pages) on Kestrel on a free loopback port, with the demo county,
/// against the test PostgreSQL and Redis, in demo mode: the demo accounts exist with <see cref="Password"/>.
/// One per test collection.
/// </summary>
public sealed class WebFixture : TestWebHost, IAsyncLifetime
{
    public const int MaxReplay = 100;

    /// <summary>The hard limit of a camera snapshot in the tests' app (short, so a hanging stream is seen quickly).</summary>
    public static readonly TimeSpan CaptureTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The demo accounts' password in the tests (random per run, as a real one would be).</summary>
    public static readonly string Password = TestSecrets.Of("test-" + Guid.NewGuid().ToString("N"));

    /// <summary>The clock that checks token expiry: the real time plus whatever a test moves it by.</summary>
    public ShiftedClock AuthClock { get; } = new();

    /// <summary>
    /// The patrols' clock (sessions, check-ins, "today" of the patrol API, the patrol sweep): a test moves it to a
    /// window's end without making anything else of the app due.
    /// </summary>
    public ShiftedClock PatrolClock { get; } = new();

    /// <summary>How often the tests' patrol sweep looks for windows that ended.</summary>
    public static readonly TimeSpan PatrolSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>The rating links' clock (their expiry after the feedback): a test moves it past a link's lifetime.</summary>
    public ShiftedClock RatingClock { get; } = new();

    /// <summary>The alert sweep's clock: a test moves it past an alert's time to see it sent up.</summary>
    public ShiftedClock AlertClock { get; } = new();

    /// <summary>How often the tests' nodes close hub connections whose sign-in is over.</summary>
    public static readonly TimeSpan SessionSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often the tests' alert sweep looks for alerts past their time.</summary>
    public static readonly TimeSpan AlertSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>The command clock (instructions' deadlines, sessions' times, the instruction sweep): a test moves it past an instruction's deadlines.</summary>
    public ShiftedClock CommandClock { get; } = new();

    /// <summary>How often the tests' instruction sweep looks for deadlines passed unmet.</summary>
    public static readonly TimeSpan CommandSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The zero-report clock ("today", deadlines, late or not, the zero-report sweep): a test moves it to a day of its
    /// own and past that day's deadline.
    /// </summary>
    public ShiftedClock ZeroReportClock { get; } = new();

    /// <summary>How often the tests' zero-report sweep looks for units missing their report at the deadline.</summary>
    public static readonly TimeSpan ZeroReportSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The roll-call clock (starts, deliveries, the sweep that closes roll calls): a test moves it past a roll call's
    /// close. The media server's times of first frames are its own (real time).
    /// </summary>
    public ShiftedClock RollCallClock { get; } = new();

    /// <summary>How often the tests' roll-call sweep looks for roll calls whose close has come.</summary>
    public static readonly TimeSpan RollCallSweepInterval = TimeSpan.FromSeconds(1);

    public string ClusterId { get; } = "web-tests-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Signed in as the county duty officer ("duty"), who sees the whole county.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Signed in as the administrator ("admin"): imports, accounts, the audit log.</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>
    /// The key of an intake integration with the demo simulator's rights (every source, positions), issued when the
    /// fixture starts: the tests' app runs no simulator, so it issues no simulator key itself.
    /// </summary>
    public string IntakeKey { get; private set; } = null!;

    /// <summary>The name of the integration <see cref="IntakeKey"/> belongs to.</summary>
    public const string IntakeName = "tests-intake";

    /// <summary>The integration <see cref="IntakeKey"/> belongs to.</summary>
    public Integration Intake => DemoIntegration.Simulator(CountyCode) with { Name = IntakeName };

    public JurisdictionDirectory Directory => Services.GetRequiredService<JurisdictionDirectory>();

    public string CountyCode => Directory.Tree!.Root.Code;

    public async Task InitializeAsync()
    {
        await TestEnvironment.EnsureSchema();
        // A free port of its own, and the port Janus posts its events to (test.sh: the media server's events go to this host).
        StartOnLoopback(TestEnvironment.JanusEventsPort);
        Http = await ClientAs("duty");
        Admin = await ClientAs("admin");
        IntakeKey = TestSecrets.Of(await Services.GetRequiredService<IntegrationKeys>().Issue(Intake));
    }

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>A bearer token for a demo account, from POST /api/auth/token (one per account and test run).</summary>
    public async Task<string> Token(string username)
    {
        if (_tokens.TryGetValue(username, out var cached))
            return cached;
        var token = await NewToken(username);
        _tokens[username] = token;
        return token;
    }

    /// <summary>A new bearer token for a demo account, from POST /api/auth/token.</summary>
    public Task<string> NewToken(string username) => SignIn(username, Password);

    /// <summary>An HTTP client signed in as a demo account (null: anonymous).</summary>
    public async Task<HttpClient> ClientAs(string? username)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (username is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Token(username));
        return client;
    }

    /// <summary>An HTTP client of the intake path, with the demo integration's API key.</summary>
    public HttpClient IntakeClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add(IntegrationKeys.Header, IntakeKey);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseNodeSettings(builder, "web", ClusterId, new Dictionary<string, string?>
        {
            ["CommandCenter:DemoCounty"] = "true",
            ["CommandCenter:Feeds:MaxReplay"] = MaxReplay.ToString(),
            ["CommandCenter:Cameras:CaptureTimeout"] = CaptureTimeout.ToString(),
            // Evidence only from cameras right at a report, so that the cameras of the camera tests stay out of the others' incidents.
            ["CommandCenter:Cameras:EvidenceRadiusMeters"] = "5",
            ["CommandCenter:Access:DemoPassword"] = Password,
            ["CommandCenter:Access:SignInsPerMinute"] = "200",
            ["CommandCenter:Access:SessionSweepInterval"] = SessionSweepInterval.ToString(),
            ["CommandCenter:Patrols:SweepInterval"] = PatrolSweepInterval.ToString(),
            ["CommandCenter:Alerts:SweepInterval"] = AlertSweepInterval.ToString(),
            ["CommandCenter:Command:SweepInterval"] = CommandSweepInterval.ToString(),
            ["CommandCenter:ZeroReports:SweepInterval"] = ZeroReportSweepInterval.ToString(),
            ["CommandCenter:RollCalls:SweepInterval"] = RollCallSweepInterval.ToString(),
        });
        builder.ConfigureServices(services =>
        {
            services.PostConfigure<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme, o => o.TimeProvider = AuthClock);
            services.AddKeyedSingleton<TimeProvider>(CommandCenter.Patrols.PatrolSweepGrain.ClockKey, PatrolClock);
            services.AddKeyedSingleton<TimeProvider>(CommandCenter.Alerts.AlertSweepGrain.ClockKey, AlertClock);
            services.AddKeyedSingleton<TimeProvider>(CommandCenter.Incidents.RatingLinks.ClockKey, RatingClock);
            services.AddKeyedSingleton<TimeProvider>(CommandCenter.Web.Application.CommandService.ClockKey, CommandClock);
            services.AddKeyedSingleton<TimeProvider>(CommandCenter.Web.Application.ZeroReportService.ClockKey, ZeroReportClock);
            services.AddKeyedSingleton<TimeProvider>(CommandCenter.Web.Application.RollCallService.ClockKey, RollCallClock);
        });
    }

    /// <summary>A SignalR client of the wall hub, signed in as a demo account, that records every feed entry it receives.</summary>
    public async Task<WallClient> ConnectWall(string username = "duty")
    {
        var token = await Token(username);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "hubs/wall"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
        var client = new WallClient(connection);
        await connection.StartAsync();
        return client;
    }

    public async Task<long> Head(string code) =>
        (await Http.GetFromJsonAsync<FeedPage>($"/api/feeds/{code}?after=0&limit=1", Json.Options))!.Head;
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
