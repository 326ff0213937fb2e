using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Access;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Web;

/// <summary>Signing in, lockout, token expiry, the intake key, and the audit rows of all of it, on the real PostgreSQL.</summary>
[Collection(WebCollection.Name)]
public sealed class SignInTests(WebFixture web)
{
    [Fact]
    public async Task Unknown_users_wrong_passwords_and_locked_accounts_get_the_same_answer_and_the_account_locks_after_five_failures()
    {
        var username = await NewAccount(Role.GridWorker);
        using var anonymous = new HttpClient { BaseAddress = web.BaseAddress };

        var unknown = await Problem(await anonymous.PostAsJsonAsync("/api/auth/token",
            new { username = "nobody-" + Guid.NewGuid().ToString("N")[..8], password = TestSecrets.Of("whatever-password") }));
        var failures = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < LockoutPolicy.Default.MaxFailures; i++)
            failures.Add(await Problem(await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = TestSecrets.Of("wrong-password") })));
        // The right password no longer helps: the account is locked, and the answer does not say so.
        var locked = await Problem(await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = Password }));

        Assert.All(failures.Append(unknown).Append(locked), f => Assert.Equal((HttpStatusCode.Unauthorized, unknown.Detail), f));
        var account = await web.Services.GetRequiredService<AccountStore>().Find(username);
        Assert.True(account!.LockedUntil > DateTimeOffset.UtcNow.AddMinutes(14), $"locked until {account.LockedUntil}");

        var rows = await Audit($"actor={Caller.UserId(username)}&action={AuditActions.IssueToken}");
        Assert.Equal(
            [AuditLog.Outcomes.LockedOut, AuditLog.Outcomes.LockedOut, .. Enumerable.Repeat(AuditLog.Outcomes.Failed, LockoutPolicy.Default.MaxFailures - 1)],
            rows.Select(r => r.Outcome));
        Assert.All(rows, r => Assert.Equal("127.0.0.1", r.ClientAddress));

        // An administrator gives the account a new password, which lifts the lock.
        using var reset = await web.Admin.PostAsJsonAsync($"/api/accounts/{username}/password", new { password = TestSecrets.Of("a-brand-new-password") });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var after = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "a-brand-new-password" });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await ProblemAssert.Is(await web.Admin.PostAsJsonAsync($"/api/accounts/{username}/password", new { password = "short" }),
            HttpStatusCode.BadRequest, "password");
        Assert.Equal(HttpStatusCode.NotFound,
            (await web.Admin.PostAsJsonAsync("/api/accounts/nobody-here/password", new { password = "a-brand-new-password" })).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_client_address()
    {
        // From 127.0.0.2, a client address of its own: the other tests sign in from 127.0.0.1.
        using var other = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream,
                    System.Net.Sockets.ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = web.BaseAddress };
        var limit = int.Parse(web.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["CommandCenter:Access:SignInsPerMinute"]!);
        for (var i = 0; i < limit; i++)
        {
            using var attempt = await other.PostAsync("/api/auth/token", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, attempt.StatusCode);
        }

        using var refused = await other.PostAsJsonAsync("/api/auth/token", new { username = "duty", password = WebFixture.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null);
        using var elsewhere = await new HttpClient { BaseAddress = web.BaseAddress }
            .PostAsJsonAsync("/api/auth/token", new { username = "duty", password = WebFixture.Password });
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_successful_sign_in_resets_the_failure_count()
    {
        var username = await NewAccount(Role.GridWorker);
        using var anonymous = new HttpClient { BaseAddress = web.BaseAddress };
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < LockoutPolicy.Default.MaxFailures - 1; i++)
                Assert.Equal(HttpStatusCode.Unauthorized,
                    (await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "wrong-password" })).StatusCode);
            using var ok = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = Password });
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var succeeded = await Audit($"actor={Caller.UserId(username)}&action={AuditActions.IssueToken}");
        Assert.Equal(2, succeeded.Count(r => r.Outcome == AuditLog.Outcomes.Succeeded && r.Role == nameof(Role.GridWorker)));
    }

    [Fact]
    public async Task A_token_stops_working_when_it_expires_and_the_hub_refuses_it()
    {
        var token = await web.NewToken("station-2");
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[1].Code;
        using var client = new HttpClient { BaseAddress = web.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/feeds/{township}/snapshot")).StatusCode);

        try
        {
            web.AuthClock.Shift = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1);
            using var expired = await client.GetAsync($"/api/feeds/{township}/snapshot");
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Equal("application/problem+json", expired.Content.Headers.ContentType!.MediaType);

            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(web.BaseAddress, "hubs/wall"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            await using (connection)
            {
                var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => connection.StartAsync());
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }
        }
        finally
        {
            web.AuthClock.Shift = TimeSpan.Zero;
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/feeds/{township}/snapshot")).StatusCode);
    }

    [Fact]
    public async Task Bad_sign_in_bodies_are_400s_naming_the_field()
    {
        using var anonymous = new HttpClient { BaseAddress = web.BaseAddress };
        await ProblemAssert.Is(await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "duty" }), HttpStatusCode.BadRequest, "password");
        await ProblemAssert.Is(await anonymous.PostAsJsonAsync("/api/auth/token", new { password = "x" }), HttpStatusCode.BadRequest, "username");
        await ProblemAssert.Is(await anonymous.PostAsync("/api/auth/token", new StringContent("{", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "$");
    }

    [Fact]
    public async Task An_integration_reports_only_as_its_own_sources_and_a_wrong_key_is_401()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 2);
        using var save = await web.Admin.PostAsJsonAsync("/api/integrations",
            new { name = "hotline-test", jurisdiction = web.CountyCode, sources = new[] { "hotline12345" }, positions = false });
        var key = TestSecrets.Of((await save.Content.ReadFromJsonAsync<CommandCenter.Web.Application.IntegrationKey>(Json.Options))!.ApiKey);
        using var hotline = new HttpClient { BaseAddress = web.BaseAddress };
        hotline.DefaultRequestHeaders.Add(IntegrationKeys.Header, key);

        var asHotline = Reports.Post(new { source = "hotline12345", category = "service", title = "12345工单", lat, lng });
        asHotline.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        var created = await Reports.Created(await hotline.SendAsync(asHotline));
        var asPolice = Reports.Post(new { source = "police", category = "security", title = "冒充公安", lat, lng });
        asPolice.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        await ProblemAssert.Is(await hotline.SendAsync(asPolice), HttpStatusCode.Forbidden, "source");
        using var positions = await hotline.PostAsJsonAsync("/api/intake/positions", new[] { new { workerId = "w-0001", lat, lng } });
        Assert.Equal(HttpStatusCode.Forbidden, positions.StatusCode);
        // An integration is not a person: no reading, no pages.
        Assert.Equal(HttpStatusCode.Forbidden, (await hotline.GetAsync($"/api/incidents/{created.Id}")).StatusCode);

        using var forged = new HttpClient { BaseAddress = web.BaseAddress };
        forged.DefaultRequestHeaders.Add(IntegrationKeys.Header, key + "x");
        var again = Reports.Post(new { source = "hotline12345", category = "service", title = "伪造", lat, lng });
        again.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.SendAsync(again)).StatusCode);

        var rows = await Audit($"actor={Caller.IntegrationId("hotline-test")}&action={AuditActions.ReportIncident}");
        Assert.Equal(created.Id.ToString(), Assert.Single(rows).Target);
        Assert.Equal(nameof(Role.Integration), rows[0].Role);
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_their_caller()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 4);
        var key = Reports.NewKey();
        using var worker = await web.ClientAs("chief-1");
        var chiefGrid = web.Directory.Worker(Assert.Single(DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)),
            a => a.Username == "chief-1").WorkerId!)!.GridCode;
        var (chiefLat, chiefLng) = web.Directory.Tree!.CenterOf(chiefGrid);

        var duty = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "值班员上报"), key)));
        var chief = await Reports.Created(await worker.SendAsync(Reports.Post(Reports.Body(chiefLat, chiefLng, "网格长上报"), key)));
        Assert.NotEqual(duty.Id, chief.Id);
        Assert.Equal("网格长上报", chief.Incident.Title);
    }

    [Fact]
    public async Task Pages_send_strangers_to_the_sign_in_page_and_carry_the_security_headers()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = web.BaseAddress };
        using var wall = await anonymous.GetAsync("/wall");
        Assert.Equal(HttpStatusCode.Redirect, wall.StatusCode);
        Assert.StartsWith("/signin?ReturnUrl=%2Fwall", wall.Headers.Location!.PathAndQuery);

        using var signIn = await anonymous.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var csp = string.Join(";", signIn.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(signIn.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("__RequestVerificationToken", await signIn.Content.ReadAsStringAsync());

        using var api = await anonymous.GetAsync("/api/jurisdictions");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", Assert.Single(api.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_audit_log_refuses_changes_even_from_sql()
    {
        var db = web.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using var update = db.CreateCommand("UPDATE cc_audit SET outcome = 'tampered'");
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("append-only", refused.MessageText);
        await using var delete = db.CreateCommand("DELETE FROM cc_audit");
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => delete.ExecuteNonQueryAsync());
        Assert.NotEmpty(await Audit("limit=1"));
    }

    [Fact]
    public async Task The_create_admin_command_makes_an_administrator_who_can_sign_in_once_per_name()
    {
        var username = "root-" + Guid.NewGuid().ToString("N")[..8];
        var configuration = TestEnvironment.Configuration();
        var input = Console.In;
        try
        {
            Console.SetIn(new StringReader(Password + "\n"));
            Assert.Equal(0, await AdminCommand.TryRun([AdminCommand.Verb, username], configuration));
            Console.SetIn(new StringReader(Password + "\n"));
            Assert.Equal(1, await AdminCommand.TryRun([AdminCommand.Verb, username], configuration));
            Console.SetIn(new StringReader("short\n"));
            Assert.Equal(2, await AdminCommand.TryRun([AdminCommand.Verb, "another-" + username], configuration));
            Assert.Null(await AdminCommand.TryRun([], configuration));
        }
        finally
        {
            Console.SetIn(input);
        }

        using var admin = new HttpClient { BaseAddress = web.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await web.SignIn(username, Password));
        using var audit = await admin.GetAsync($"/api/audit?target={Caller.UserId(username)}&action={AuditActions.CreateAccount}");
        var rows = (await audit.Content.ReadFromJsonAsync<List<AuditEntry>>(Json.Options))!;
        Assert.Equal("command:" + AdminCommand.Verb, Assert.Single(rows).Actor);
    }

    private static readonly string Password = TestSecrets.Of("a-long-test-password");

    private async Task<string> NewAccount(Role role)
    {
        var username = "t-" + Guid.NewGuid().ToString("N")[..12];
        var grid = Reports.InsideGrid(web, 0).GridCode;
        using var response = await web.Admin.PostAsJsonAsync("/api/accounts",
            new { username, displayName = "测试账户", role = Json.Word(role), jurisdictions = new[] { grid }, password = Password });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return username;
    }

    private async Task<List<AuditEntry>> Audit(string query) =>
        (await web.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?" + query, Json.Options))!;

    private static async Task<(HttpStatusCode Status, string? Detail)> Problem(HttpResponseMessage response)
    {
        using (response)
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, problem.RootElement.GetProperty("detail").GetString());
        }
    }
}
