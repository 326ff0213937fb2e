using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Access;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using CommandCenter.Web.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>One web node of <see cref="SessionNodesFixture"/>: the whole host, joined to the other's cluster and database.</summary>
public sealed class SessionNode(string postgres, string clusterId, TimeProvider sessionClock, string? knownProxy) : TestWebHost
{
    public void Start() => StartOnLoopback();

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["CommandCenter:DemoCounty"] = "false",
            ["CommandCenter:Access:SessionSweepInterval"] = SessionNodesFixture.SweepInterval.ToString(),
            ["CommandCenter:Access:SignInsPerMinute"] = "200",
        };
        if (knownProxy is not null)
            settings["CommandCenter:Access:KnownProxies:0"] = knownProxy;
        UseNodeSettings(builder, knownProxy is null ? "sessions-a" : "sessions-b", clusterId, settings);
        builder.ConfigureServices(services => services.AddKeyedSingleton(SessionGuard.ClockKey, sessionClock));
    }
}

/// <summary>
/// Two web nodes of one county (one cluster, one database of their own), not in demo mode, with one administrator
/// and a county of one grid. The sessions' clock is shared and moved by the tests past the check interval; node B
/// believes forwarded headers from 127.0.0.1 (a proxy in front of it), node A from nobody.
/// </summary>
public sealed class SessionNodesFixture : IAsyncLifetime
{
    public const string Admin = "nodes-admin";
    public const string County = "990101";
    public static readonly string Password = TestSecrets.Of("nodes-" + Guid.NewGuid().ToString("N"));
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    public ShiftedClock Clock { get; } = new();

    public SessionNode A { get; private set; } = null!;

    public SessionNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = await TestEnvironment.FreshDatabase("commandcenter_sessions");
        await using (var db = NpgsqlDataSource.Create(postgres))
            Assert.True(await new AccountStore(db).Create(new NewAccount(Admin, "系统管理员", Role.Administrator, [], null), Authenticator.Hash(Password)));
        var cluster = "session-tests-" + Guid.NewGuid().ToString("N")[..8];
        A = new SessionNode(postgres, cluster, Clock, null);
        A.Start();
        B = new SessionNode(postgres, cluster, Clock, "127.0.0.1");
        B.Start();
        using var admin = A.Client(await Token(A, Admin));
        using var imported = await admin.PostAsync("/api/jurisdictions/import", new StringContent(CountyFile, Encoding.UTF8, "application/geo+json"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        // Both nodes know the tree before a test asks either.
        await Poll.Until(() => Task.FromResult(B.Services.GetRequiredService<CommandCenter.Jurisdictions.JurisdictionDirectory>().Tree),
            tree => tree is not null, "node B knows the tree");
    }

    /// <summary>A bearer token of <paramref name="username"/> (password <see cref="Password"/>) from the node's token endpoint.</summary>
    public static Task<string> Token(SessionNode node, string username, string? password = null) => node.SignIn(username, password ?? Password);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    private const string CountyFile = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"code":"990101","name":"新县","level":"county","parentCode":null},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}},
        {"type":"Feature","properties":{"code":"990101001","name":"城关镇","level":"township","parentCode":"990101"},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}},
        {"type":"Feature","properties":{"code":"990101001001","name":"东关社区","level":"village","parentCode":"990101001"},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}},
        {"type":"Feature","properties":{"code":"990101001001001","name":"东关社区第1网格","level":"grid","parentCode":"990101001001"},
         "geometry":{"type":"Polygon","coordinates":[[[104.00,36.00],[104.02,36.00],[104.02,36.01],[104.00,36.01],[104.00,36.00]]]}}]}
        """;
}

[CollectionDefinition(Name)]
public sealed class SessionNodesCollection : ICollectionFixture<SessionNodesFixture>
{
    public const string Name = "session nodes";
}

/// <summary>
/// The account lifecycle and sessions on two nodes (#20): a changed role, a disabled account, an ended session, a
/// deleted account and a new password lose their requests on the node where it happened at once and on the other
/// within the check interval (the sessions' clock is moved past it), and their hub connections on either node close
/// with the reason; each change is audited. Forwarded headers count only from a configured proxy.
/// </summary>
[Collection(SessionNodesCollection.Name)]
public sealed class SessionTests(SessionNodesFixture nodes)
{
    private SessionNode A => nodes.A;

    private SessionNode B => nodes.B;

    [Fact]
    public async Task A_changed_role_ends_the_accounts_requests_and_hub_connections_on_both_nodes()
    {
        var username = await NewAccount(Role.DutyOfficer);
        var token = await SessionNodesFixture.Token(A, username);
        using var onA = A.Client(token);
        using var onB = B.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/jurisdictions")).StatusCode);
        await using var hub = await Connect(B, token);
        await hub.Connection.InvokeAsync<SubscribeResult>("Subscribe", SessionNodesFixture.County, 0L);

        using var admin = await Administrator(A);
        using (var changed = await admin.PatchAsJsonAsync($"/api/accounts/{username}", new { role = "townshipStation", jurisdictions = new[] { "990101001" } }))
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        // On the node that made the change at once; on the other at the latest once its last finding is older than the
        // check interval (sooner here: its hub sweep asks about the same session every second).
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/jurisdictions")).StatusCode);
        nodes.Clock.Shift += new AccessOptions().SessionCheckInterval;
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/jurisdictions")).StatusCode);
        // The hub connection on B closes within the sweep interval, told why.
        var notice = await hub.SignedOut.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(SignInRules.Reasons.AccountChanged, notice.Reason);
        await Poll.Until(() => Task.FromResult(hub.Connection.State), state => state == HubConnectionState.Disconnected, "the hub connection closes");

        // Signed in again, the account has its new role and scope.
        using var again = B.Client(await SessionNodesFixture.Token(B, username));
        var tree = (await again.GetFromJsonAsync<List<JurisdictionItem>>("/api/jurisdictions", Json.Options))!;
        Assert.Equal(["990101001", "990101001001", "990101001001001"], tree.Select(a => a.Code));
        var row = Assert.Single(await Audit(admin, $"action={AuditActions.UpdateAccount}&target={Caller.UserId(username)}"));
        Assert.Equal("role DutyOfficer→TownshipStation · jurisdictions 990101→990101001", row.Detail);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_loses_its_sessions_on_both_nodes_until_enabled()
    {
        var username = await NewAccount(Role.GridWorker, "990101001001001");
        var token = await SessionNodesFixture.Token(B, username);
        using var onA = A.Client(token);
        using var onB = B.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/api/jurisdictions")).StatusCode);
        await using var hub = await Connect(A, token);

        using var admin = await Administrator(B);
        using (var disabled = await admin.PostAsync($"/api/accounts/{username}/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            Assert.True((await disabled.Content.ReadFromJsonAsync<AccountView>(Json.Options))!.Disabled);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/jurisdictions")).StatusCode);
        nodes.Clock.Shift += new AccessOptions().SessionCheckInterval;
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/jurisdictions")).StatusCode);
        Assert.Equal(SignInRules.Reasons.AccountDisabled, (await hub.SignedOut.Task.WaitAsync(TimeSpan.FromSeconds(20))).Reason);

        // The sign-in of a disabled account fails like any other, and says no more.
        using (var anonymous = A.Client())
        {
            using var refused = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = SessionNodesFixture.Password });
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            using var unknown = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "nobody-at-all", password = SessionNodesFixture.Password });
            Assert.Equal(await Said(unknown), await Said(refused));
        }
        using (var enabled = await admin.PostAsync($"/api/accounts/{username}/enable", null))
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        // Enabling does not bring the old sessions back; a new sign-in works.
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/jurisdictions")).StatusCode);
        using var again = A.Client(await SessionNodesFixture.Token(A, username));
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/jurisdictions")).StatusCode);

        var actions = (await Audit(admin, $"target={Caller.UserId(username)}")).Select(r => (r.Action, r.Outcome)).ToList();
        Assert.Contains((AuditActions.DisableAccount, AuditLog.Outcomes.Succeeded), actions);
        Assert.Contains((AuditActions.EnableAccount, AuditLog.Outcomes.Succeeded), actions);
        Assert.Contains((AuditActions.IssueToken, AuditLog.Outcomes.Failed), actions);
    }

    [Fact]
    public async Task A_person_sees_and_ends_their_own_sessions_and_a_new_password_ends_the_others_but_not_this_one()
    {
        var username = await NewAccount(Role.VillageStation, "990101001001");
        var phone = await SessionNodesFixture.Token(A, username);
        var desk = await SessionNodesFixture.Token(B, username);
        var laptop = await SessionNodesFixture.Token(B, username);
        using var onPhone = A.Client(phone);
        using var onDesk = B.Client(desk);
        using var onLaptop = B.Client(laptop);

        var sessions = (await onDesk.GetFromJsonAsync<List<SignInView>>("/api/auth/sessions", Json.Options))!;
        Assert.Equal(3, sessions.Count);
        Assert.Single(sessions, s => s.Current);
        Assert.All(sessions, s => Assert.Equal(SessionKind.Token, s.Kind));
        var phoneSession = sessions.OrderBy(s => s.CreatedAt).First();

        // The phone was lost: ended from the desk, it is refused on its own node at the next check.
        using (var ended = await onDesk.DeleteAsync($"/api/auth/sessions/{phoneSession.Id}"))
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        nodes.Clock.Shift += new AccessOptions().SessionCheckInterval;
        Assert.Equal(HttpStatusCode.Unauthorized, (await onPhone.GetAsync("/api/auth/sessions")).StatusCode);
        using (var again = await onDesk.DeleteAsync($"/api/auth/sessions/{phoneSession.Id}"))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        // Someone else's session is not found either.
        using (var admin = await Administrator(A))
        {
            var adminSession = (await admin.GetFromJsonAsync<List<SignInView>>("/api/auth/sessions", Json.Options))!.First(s => s.Current);
            using var theirs = await onDesk.DeleteAsync($"/api/auth/sessions/{adminSession.Id}");
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }

        // A new password: refused when it breaks the rules or the current one is wrong; then the laptop is signed out, the desk goes on.
        await ProblemAssert.Is(await onDesk.PostAsJsonAsync("/api/auth/password", new { currentPassword = SessionNodesFixture.Password, password = "qwertyuiop" }),
            HttpStatusCode.BadRequest, "password");
        await ProblemAssert.Is(await onDesk.PostAsJsonAsync("/api/auth/password", new { currentPassword = SessionNodesFixture.Password, password = username + "-2026" }),
            HttpStatusCode.BadRequest, "password");
        await ProblemAssert.Is(await onDesk.PostAsJsonAsync("/api/auth/password", new { currentPassword = TestSecrets.Of("not-the-password"), password = TestSecrets.Of("a-long-new-secret-1") }),
            HttpStatusCode.BadRequest, "currentPassword");
        using (var changed = await onDesk.PostAsJsonAsync("/api/auth/password", new { currentPassword = SessionNodesFixture.Password, password = "a-long-new-secret-1" }))
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onDesk.GetAsync("/api/auth/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onLaptop.GetAsync("/api/auth/sessions")).StatusCode);
        Assert.Single((await onDesk.GetFromJsonAsync<List<SignInView>>("/api/auth/sessions", Json.Options))!);
        await SessionNodesFixture.Token(A, username, "a-long-new-secret-1");
    }

    [Fact]
    public async Task An_administrator_ends_an_accounts_sessions_and_deletes_it_and_its_hub_connection_is_told()
    {
        var username = await NewAccount(Role.DutyOfficer);
        var first = await SessionNodesFixture.Token(A, username);
        var second = await SessionNodesFixture.Token(A, username);
        using var admin = await Administrator(B);
        var listed = (await admin.GetFromJsonAsync<List<SignInView>>($"/api/accounts/{username}/sessions", Json.Options))!;
        Assert.Equal(2, listed.Count);
        Assert.All(listed, s => Assert.False(s.Current));

        using (var one = await admin.DeleteAsync($"/api/accounts/{username}/sessions/{listed[0].Id}"))
            Assert.Equal(HttpStatusCode.NoContent, one.StatusCode);
        Assert.Single((await admin.GetFromJsonAsync<List<SignInView>>($"/api/accounts/{username}/sessions", Json.Options))!);
        using (var all = await admin.DeleteAsync($"/api/accounts/{username}/sessions"))
            Assert.Equal(HttpStatusCode.NoContent, all.StatusCode);
        nodes.Clock.Shift += new AccessOptions().SessionCheckInterval;
        foreach (var token in new[] { first, second })
        {
            using var client = A.Client(token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jurisdictions")).StatusCode);
        }

        var third = await SessionNodesFixture.Token(A, username);
        await using var hub = await Connect(A, third);
        using (var deleted = await admin.DeleteAsync($"/api/accounts/{username}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(SignInRules.Reasons.Unknown, (await hub.SignedOut.Task.WaitAsync(TimeSpan.FromSeconds(20))).Reason);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/accounts/{username}")).StatusCode);
        var actions = (await Audit(admin, $"target={Caller.UserId(username)}")).Select(r => r.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == AuditActions.EndSession));
        Assert.Contains(AuditActions.DeleteAccount, actions);

        // Nobody disables, deletes or demotes their own account.
        await ProblemAssert.Is(await admin.PostAsync($"/api/accounts/{SessionNodesFixture.Admin}/disable", null), HttpStatusCode.Conflict, "username");
        await ProblemAssert.Is(await admin.DeleteAsync($"/api/accounts/{SessionNodesFixture.Admin}"), HttpStatusCode.Conflict, "username");
        await ProblemAssert.Is(await admin.PatchAsJsonAsync($"/api/accounts/{SessionNodesFixture.Admin}", new { role = "dutyOfficer" }),
            HttpStatusCode.Conflict, "role");
    }

    [Fact]
    public async Task Bad_account_changes_are_400s_naming_the_field_and_change_nothing()
    {
        var username = await NewAccount(Role.DutyOfficer);
        using var admin = await Administrator(A);
        await ProblemAssert.Is(await admin.PatchAsJsonAsync($"/api/accounts/{username}", new { role = "citizen" }), HttpStatusCode.BadRequest, "role");
        await ProblemAssert.Is(await admin.PatchAsJsonAsync($"/api/accounts/{username}", new { jurisdictions = new[] { "no-such-area" } }),
            HttpStatusCode.BadRequest, "jurisdictions[0]");
        await ProblemAssert.Is(await admin.PatchAsJsonAsync($"/api/accounts/{username}", new { }), HttpStatusCode.BadRequest, "body");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/accounts/nobody-at-all", new { displayName = "某人" })).StatusCode);
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/accounts", new
        {
            username = "common-pw", displayName = "某人", role = "dutyOfficer", jurisdictions = new[] { SessionNodesFixture.County }, password = "password123",
        }), HttpStatusCode.BadRequest, "password");
        var account = (await admin.GetFromJsonAsync<List<AccountView>>("/api/accounts", Json.Options))!.Single(a => a.Username == username);
        Assert.Equal(Role.DutyOfficer, account.Role);
        Assert.Equal([SessionNodesFixture.County], account.Jurisdictions);
        // The account's sessions go on: nothing changed.
        using var client = B.Client(await SessionNodesFixture.Token(B, username));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jurisdictions")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_the_configured_proxy_and_https_through_it_gets_hsts()
    {
        var username = await NewAccount(Role.DutyOfficer);
        foreach (var node in new[] { A, B })
        {
            using var client = node.Client();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
            {
                Content = JsonContent.Create(new { username, password = SessionNodesFixture.Password }),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Host = "commandcenter.example.org";
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(node == B, response.Headers.Contains("Strict-Transport-Security"));
        }
        using var admin = await Administrator(A);
        var rows = await Audit(admin, $"actor={Caller.UserId(username)}&action={AuditActions.IssueToken}");
        // Newest first: B's (through its proxy: the client's address), then A's (no proxy configured: the connection's).
        Assert.Equal(["203.0.113.9", "127.0.0.1"], rows.Select(r => r.ClientAddress));
    }

    private sealed class HubClient(HubConnection connection) : IAsyncDisposable
    {
        public HubConnection Connection { get; } = connection;

        public TaskCompletionSource<SignedOutNotice> SignedOut { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private static async Task<HubClient> Connect(SessionNode node, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, WallHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
        var client = new HubClient(connection);
        connection.On<SignedOutNotice>("signedOut", notice => client.SignedOut.TrySetResult(notice));
        await connection.StartAsync();
        return client;
    }

    private async Task<HttpClient> Administrator(SessionNode node) => node.Client(await SessionNodesFixture.Token(node, SessionNodesFixture.Admin));

    private async Task<string> NewAccount(Role role, string jurisdiction = SessionNodesFixture.County)
    {
        var username = "s-" + Guid.NewGuid().ToString("N")[..10];
        using var admin = await Administrator(A);
        using var created = await admin.PostAsJsonAsync("/api/accounts", new
        {
            username, displayName = "会话测试", role = Json.Word(role), jurisdictions = new[] { jurisdiction }, password = SessionNodesFixture.Password,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return username;
    }

    /// <summary>What a problem says (its status, title and detail; not its trace id).</summary>
    private static async Task<string> Said(HttpResponseMessage response)
    {
        var problem = (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!;
        return $"{problem.Status} {problem.Title} {problem.Detail}";
    }

    private static async Task<List<AuditEntry>> Audit(HttpClient admin, string query) =>
        (await admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?{query}", Json.Options))!;
}
