using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Simulation;
using CommandCenter.Web.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Tests.Web;

/// <summary>
/// Every mapped endpoint (read from the endpoint data source, so a new one without a rule or a probe fails here) and
/// every hub method, for every demo role and two integrations, on a target inside the caller's jurisdiction, one
/// outside it, and the county above it, against the running app on the real PostgreSQL. The answer must be what
/// <see cref="AccessPolicy"/> decides, nothing from outside the scope may appear in any answer, and every change
/// that went through is in the audit log.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AccessMatrixTests(WebFixture web)
{
    /// <summary>Endpoints anyone may call: signing in, health probes for load balancers, the API description.</summary>
    private static readonly HashSet<string> Anonymous =
    [
        "POST /api/auth/token", "GET /signin", "POST /signin", "POST /signout", "GET /health/live", "GET /health/ready",
        "GET /openapi/{documentName}.json", "GET /scalar/{documentName?}", "GET /scalar/{**rest}",
        "GET /scalar/scalar.js", "GET /scalar/scalar.aspnetcore.js", "GET /scalar/favicon.svg",
        // The citizen's rating: no account, the link's token is checked instead (WorkflowApiTests).
        "POST /api/incidents/{id:guid}/rate",
        // The citizen's rating page: shows the case only for the link's token, else "链接无效" (WorkflowBrowserTests).
        "GET /rate/{Id:guid}", "POST /rate/{Id:guid}",
        // Janus' event handler: HTTP basic auth with the events secret instead of an account (ConferenceApiTests, VideoEventsTests).
        "POST /api/video/events",
    ];

    /// <summary>Endpoints of the framework itself, not of this product (Blazor's redirect helper for enhanced navigation).</summary>
    private static readonly HashSet<string> Framework = ["GET /_framework/opaque-redirect"];

    private enum Place { Inside, Outside, Above }

    /// <summary>Where a probe aims: a code for route and query parameters, a grid for stored data (incidents, people).</summary>
    private sealed record Target(Place Place, string Code, string Grid);

    private sealed record Subject(string Name, Caller? Caller, HttpClient Client);

    /// <param name="HidesExistence">Refuses out-of-scope targets with 404, as if they did not exist.</param>
    /// <param name="Expect">The decision, where it is not simply the policy's for the endpoint's rule.</param>
    /// <param name="Audited">The audit action a change through this endpoint writes.</param>
    /// <param name="AnyAnswer">The probe is not a complete request (the hub's socket endpoint, a page's form post without a
    /// form): allowed means "not refused", refused means "no success".</param>
    /// <param name="Workflow">A closed-loop action on a shared incident: once the policy lets the caller through, the
    /// case itself may still say no (409 for its status, 422 for a value, 403 naming the assignee or level).</param>
    private sealed record Probe(
        Func<Subject, Target, HttpRequestMessage> Request,
        bool HidesExistence = false,
        Func<Subject, Target, AccessDecision>? Expect = null,
        string? Audited = null,
        bool AnyAnswer = false,
        bool Workflow = false);

    private readonly string _marker = "matrix-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, Guid> _incidentByGrid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _otherByGrid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _attachmentByGrid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _checkInByGrid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _patrolPhotoByGrid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _ownCheckIn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _sessionByArea = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _markupByArea = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Subject, string Area), Guid> _toCloseBy = [];
    private readonly Dictionary<(string Subject, string Area), Guid> _periodToEndBy = [];
    private readonly Dictionary<string, Guid> _rollCallByArea = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Subject, string Area), Guid> _rollCallToEndBy = [];
    private readonly Dictionary<(string Subject, string Area), string> _accountToDeleteBy = [];
    private readonly Dictionary<(string Subject, string Area), Guid> _ownSessionBy = [];
    private readonly Dictionary<(string Subject, string Area), Guid> _targetSessionBy = [];
    private readonly byte[] _photo = TestImages.Png();

    private JurisdictionTree Tree => web.Directory.Tree!;

    [Fact]
    public async Task Every_endpoint_answers_every_role_as_the_policy_decides_and_nothing_leaks()
    {
        var endpoints = Endpoints().Where(e => !Framework.Contains(e.Key)).ToList();
        var probes = Probes();
        var unruled = endpoints.Where(e => e.Rule is null && !e.Anonymous && !e.Authorized).Select(e => e.Key).ToList();
        Assert.True(unruled.Count == 0, "Endpoints without an access rule: " + string.Join(", ", unruled));
        var unexpectedAnonymous = endpoints.Where(e => e.Anonymous && !Anonymous.Contains(e.Key)).Select(e => e.Key).ToList();
        Assert.True(unexpectedAnonymous.Count == 0, "Endpoints open to anyone that are not meant to be: " + string.Join(", ", unexpectedAnonymous));
        var unprobed = endpoints.Where(e => !e.Anonymous && !probes.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(unprobed.Count == 0, "Endpoints the matrix does not probe (add a probe): " + string.Join(", ", unprobed));

        var subjects = await Subjects();
        await web.Services.GetRequiredService<AccountStore>().Create(
            new NewAccount("matrix-target", "矩阵测试", Role.GridWorker, [FirstGrid(Tree.Root.Code)], null),
            Authenticator.Hash("matrix-password-1"));
        await PrepareAccounts(subjects);
        using (var camera = await web.Admin.PostAsync("/api/cameras/import",
                   new StringContent(CameraCsv(FirstGrid(Tree.Root.Code)), System.Text.Encoding.UTF8, "text/csv")))
            Assert.Equal(HttpStatusCode.OK, camera.StatusCode);
        foreach (var grid in subjects.SelectMany(TargetsOf).Select(t => t.Grid).Distinct())
        {
            await AddIncident(grid);
            _checkInByGrid[grid] = await AddCheckIn(grid, WorkerIn(grid));
            _patrolPhotoByGrid[grid] = (await web.Services.GetRequiredService<CommandCenter.Patrols.PatrolStore>()
                .SavePhoto(_checkInByGrid[grid], CommandCenter.Incidents.PhotoImage.Clean(_photo)!, "user:duty", DateTimeOffset.UtcNow)).Id;
        }
        foreach (var worker in subjects.Select(s => s.Caller?.WorkerId).OfType<string>())
            _ownCheckIn[worker] = await AddCheckIn(web.Directory.Worker(worker)!.GridCode, worker);
        using (var commander = await web.ClientAs("commander"))
        {
            foreach (var code in subjects.SelectMany(TargetsOf).Select(t => t.Code).Distinct())
            {
                _sessionByArea[code] = await OpenSession(commander, code);
                _markupByArea[code] = await DrawMarkup(commander, _sessionByArea[code]);
            }
            foreach (var subject in subjects)
            {
                foreach (var target in TargetsOf(subject))
                    _toCloseBy[(subject.Name, target.Code)] = await OpenSession(commander, target.Code);
            }
            // Today's zero-report of every station, due at 23:59 (so the sweep leaves the day be); a period to end for each who may.
            await ConfigurePeriod(commander, Today, "23:59");
            foreach (var subject in subjects.Where(s => RoleMay(s, AccessAction.ConfigureSensitivePeriods) == AccessDecision.Allowed))
            {
                foreach (var target in TargetsOf(subject))
                    _periodToEndBy[(subject.Name, target.Code)] = await ConfigurePeriod(commander, Today.AddDays(300), "10:00");
            }
            // A roll call of each target's station (its village, or the county's first township), and one to end for each who may.
            foreach (var code in subjects.SelectMany(TargetsOf).Select(t => t.Code).Distinct())
                _rollCallByArea[code] = await StartRollCall(commander, RollCallStation(code));
            foreach (var subject in subjects.Where(s => RoleMay(s, AccessAction.StartRollCalls) == AccessDecision.Allowed))
            {
                foreach (var target in TargetsOf(subject))
                    _rollCallToEndBy[(subject.Name, target.Code)] = await StartRollCall(commander, RollCallStation(target.Code));
            }
        }
        var failures = new List<string>();
        var audited = new List<(string Actor, string Action)>();
        var requests = 0;
        foreach (var subject in subjects)
        {
            foreach (var target in TargetsOf(subject))
            {
                // Each endpoint, then its probes with a query parameter that changes who may (keyed "METHOD /path?name=value").
                foreach (var (endpoint, key) in endpoints.Where(e => !e.Anonymous)
                             .SelectMany(e => probes.Keys.Where(k => k == e.Key || k.StartsWith(e.Key + "?", StringComparison.Ordinal)).Select(k => (e, k))))
                {
                    var probe = probes[key];
                    var expected = subject.Caller is null ? AccessDecision.Unauthenticated
                        : probe.Expect?.Invoke(subject, target) ?? Decide(subject.Caller, endpoint.Rule!, target);
                    using var request = probe.Request(subject, target);
                    using var response = await subject.Client.SendAsync(request);
                    requests++;
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    var ok = expected switch
                    {
                        AccessDecision.Allowed when probe.Workflow => status is >= 200 and < 300 or 409 or 422
                            || (status == 403 && (body.Contains("\"assignee\"") || body.Contains("\"level\""))),
                        AccessDecision.Allowed => probe.AnyAnswer ? status is not (401 or 403) : status is >= 200 and < 300,
                        AccessDecision.Unauthenticated => endpoint.IsPage
                            ? status == 302 && response.Headers.Location!.ToString().Contains("/signin")
                            : status == 401,
                        _ when probe.AnyAnswer => status >= 400,
                        AccessDecision.RoleForbidden => status == 403,
                        _ => status == (probe.HidesExistence ? 404 : 403),
                    };
                    if (!ok)
                        failures.Add($"{subject.Name} {key} {target.Place} {target.Code}: expected {expected}, got {status} {Clip(body)}");
                    if (expected != AccessDecision.Allowed && target.Place != Place.Inside && Leaks(body, target))
                        failures.Add($"{subject.Name} {key} {target.Place}: the refusal shows data of {target.Grid}: {Clip(body)}");
                    if (expected == AccessDecision.Allowed && endpoint.Key == "GET /api/jurisdictions")
                        failures.AddRange(OutsideScope(subject, body).Select(code => $"{subject.Name} lists {code}, outside its jurisdiction"));
                    if (expected == AccessDecision.Allowed && probe.Audited is { } action)
                        audited.Add((subject.Caller!.Id, action));
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} answers are wrong:\n" + string.Join("\n", failures));
        Assert.True(requests > 500, $"only {requests} requests were made");

        var missing = new List<string>();
        foreach (var (actor, action) in audited.Distinct())
        {
            var rows = await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?actor={Uri.EscapeDataString(actor)}&action={action}&limit=500",
                CommandCenter.Json.Options);
            if (rows!.Count == 0)
                missing.Add($"{actor} {action}");
        }
        Assert.True(missing.Count == 0, "Changes without an audit row: " + string.Join(", ", missing));
        Assert.Contains(audited, a => a.Action == AuditActions.ReportIncident);
        Assert.Contains(audited, a => a.Action == AuditActions.AttachToIncident);
        Assert.Contains(audited, a => a.Action == AuditActions.ReadPhotoOriginal);
        Assert.Contains(audited, a => a.Action == AuditActions.ImportJurisdictions);
        Assert.Contains(audited, a => a.Action == AuditActions.CreateAccount);
        Assert.Contains(audited, a => a.Action == AuditActions.SaveIntegration);
    }

    [Fact]
    public async Task Every_hub_method_is_allowed_inside_the_jurisdiction_and_refused_outside()
    {
        var methods = typeof(WallHub)
            .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => m.GetBaseDefinition().DeclaringType == typeof(WallHub)) // clients cannot call Hub's overridden lifecycle methods
            .Select(m => m.Name).Order().ToList();
        Assert.Equal(["JoinSession", "LeaveSession", "ShareView", "Subscribe", "Unsubscribe"], methods);

        var failures = new List<string>();
        var subjects = (await Subjects()).Where(s => s.Caller is { Role: not Role.Integration }).ToList();
        using (var commander = await web.ClientAs("commander"))
        {
            foreach (var code in subjects.SelectMany(TargetsOf).Select(t => t.Code).Distinct())
                _sessionByArea[code] = await OpenSession(commander, code);
        }
        foreach (var subject in subjects)
        {
            await using var wall = await web.ConnectWall(subject.Name);
            foreach (var target in TargetsOf(subject))
            {
                var follows = AccessPolicy.DecideSession(subject.Caller, target.Code, [], Tree) == AccessDecision.Allowed;
                try
                {
                    var joined = await wall.Connection.InvokeAsync<SessionJoined>("JoinSession", _sessionByArea[target.Code], 0L);
                    if (!follows)
                        failures.Add($"{subject.Name} joined the session of {target.Code} ({target.Place}), head {joined.Head}");
                }
                catch (HubException e)
                {
                    if (follows)
                        failures.Add($"{subject.Name} was refused the session of {target.Code} ({target.Place}): {e.Message}");
                }
                await wall.Connection.InvokeAsync("LeaveSession", _sessionByArea[target.Code]);

                // Those who command the area take the lead and share their view; nobody else shares one.
                var commands = Commands(subject, target.Code) == AccessDecision.Allowed;
                if (commands)
                {
                    using var lead = await subject.Client.SendAsync(PostJson($"/api/command-sessions/{_sessionByArea[target.Code]}/lead", new { }));
                    Assert.True(lead.IsSuccessStatusCode, await lead.Content.ReadAsStringAsync());
                }
                try
                {
                    var version = await wall.Connection.InvokeAsync<long>("ShareView", _sessionByArea[target.Code],
                        new CommandCenter.Command.MapView(36.5, 104.1, 13, ["incidents"]));
                    if (!commands)
                        failures.Add($"{subject.Name} shared a view of the session of {target.Code} ({target.Place}), version {version}");
                }
                catch (HubException e)
                {
                    if (commands)
                        failures.Add($"{subject.Name} leads the session of {target.Code} ({target.Place}) and was refused its view: {e.Message}");
                }

                var expected = AccessPolicy.Decide(subject.Caller, AccessAction.ReadFeeds, target.Code, Tree);
                try
                {
                    var result = await wall.Subscribe(target.Code, await web.Head(target.Code));
                    if (expected != AccessDecision.Allowed)
                        failures.Add($"{subject.Name} subscribed to {target.Code} ({target.Place}), head {result.Head}");
                }
                catch (HubException e)
                {
                    if (expected == AccessDecision.Allowed)
                        failures.Add($"{subject.Name} was refused {target.Code} ({target.Place}): {e.Message}");
                }
                await wall.Connection.InvokeAsync("Unsubscribe", target.Code);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_hub_refuses_connections_without_a_sign_in()
    {
        using var anonymous = new HttpClient { BaseAddress = web.BaseAddress };
        using var negotiate = await anonymous.PostAsync("/hubs/wall/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        using var badToken = await anonymous.PostAsync("/hubs/wall/negotiate?negotiateVersion=1&access_token=forged", null);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
    }

    private sealed record EndpointInfo(string Key, AccessRule? Rule, bool Anonymous, bool Authorized, bool IsPage);

    private List<EndpointInfo> Endpoints()
    {
        var sources = web.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var list = new List<EndpointInfo>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var isPage = !pattern.StartsWith("/api/") && !pattern.StartsWith("/hubs/") && pattern != CommandCenter.Web.Hosting.Telemetry.MetricsPath;
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                list.Add(new EndpointInfo($"{method} {pattern}", endpoint.Metadata.GetMetadata<AccessRule>(),
                    endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                    endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null, isPage));
            }
        }
        return list.DistinctBy(e => e.Key).ToList();
    }

    /// <summary>
    /// For each subject and target: an account to delete and a session of "matrix-sessions" to end (for those who manage
    /// access), and a session of the subject's own to end (for each person).
    /// </summary>
    private async Task PrepareAccounts(List<Subject> subjects)
    {
        var store = web.Services.GetRequiredService<AccountStore>();
        var guard = web.Services.GetRequiredService<SessionGuard>();
        await store.Create(new NewAccount("matrix-sessions", "矩阵测试", Role.GridWorker, [FirstGrid(Tree.Root.Code)], null),
            Authenticator.Hash("matrix-password-1"));
        var sessions = (await store.Find("matrix-sessions"))!;
        foreach (var subject in subjects)
        {
            foreach (var target in TargetsOf(subject))
            {
                if (RoleMay(subject, AccessAction.ManageAccess) == AccessDecision.Allowed)
                {
                    var doomed = "m-del-" + Guid.NewGuid().ToString("N")[..10];
                    Assert.True(await store.Create(new NewAccount(doomed, "矩阵测试", Role.GridWorker, [FirstGrid(Tree.Root.Code)], null),
                        Authenticator.Hash("matrix-password-1")));
                    _accountToDeleteBy[(subject.Name, target.Code)] = doomed;
                    _targetSessionBy[(subject.Name, target.Code)] = (await guard.Open(sessions, SessionKind.Token, null, null)).Id;
                }
                if (subject.Caller is { Role: not Role.Integration } && await store.Find(subject.Name) is { } own)
                    _ownSessionBy[(subject.Name, target.Code)] = (await guard.Open(own, SessionKind.Token, null, null)).Id;
            }
        }
    }

    private async Task<List<Subject>> Subjects()
    {
        var accounts = DemoAccounts.For(Tree, web.Directory.WorkersIn(Tree.Root.Code));
        var subjects = new List<Subject>
            { new("anonymous", null, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = web.BaseAddress }) };
        foreach (var account in accounts)
        {
            var caller = new Caller(Caller.UserId(account.Username), account.DisplayName, account.Role, account.Jurisdictions, account.WorkerId);
            subjects.Add(new Subject(account.Username, caller, await web.ClientAs(account.Username)));
        }

        subjects.Add(new Subject("integration-county", web.Intake.ToCaller(), web.IntakeClient()));

        var township = Tree.ChildrenOf(Tree.Root.Code)[1];
        using var save = await web.Admin.PostAsJsonAsync("/api/integrations",
            new { name = "matrix-township", jurisdiction = township.Code, sources = new[] { "hotline12345" }, positions = true });
        var key = TestSecrets.Of((await save.Content.ReadFromJsonAsync<CommandCenter.Web.Application.IntegrationKey>(CommandCenter.Json.Options))!.ApiKey);
        var client = new HttpClient { BaseAddress = web.BaseAddress };
        client.DefaultRequestHeaders.Add(IntegrationKeys.Header, key);
        subjects.Add(new Subject("integration-township", new Integration("matrix-township", township.Code, ["hotline12345"], true).ToCaller(), client));
        return subjects;
    }

    /// <summary>Inside: a grid of the caller's own area. Outside: a grid of another township. Above: the county, when the caller is below it.</summary>
    private IEnumerable<Target> TargetsOf(Subject subject)
    {
        var caller = subject.Caller;
        var roots = caller is null ? [Tree.Root] : AccessPolicy.ScopeRoots(caller, Tree);
        if (roots.Count == 0)
            roots = [Tree.Root];
        var inside = caller?.WorkerId is { } worker ? web.Directory.Worker(worker)!.GridCode : FirstGrid(roots[0].Code);
        yield return new Target(Place.Inside, inside, inside);
        var outside = Tree.All.FirstOrDefault(j => j.Level == JurisdictionLevel.Grid && (caller is null || !AccessPolicy.IsWithinScope(caller, j.Code, Tree)));
        if (outside is not null)
        {
            yield return new Target(Place.Outside, outside.Code, outside.Code);
            yield return new Target(Place.Above, Tree.Root.Code, outside.Code);
        }
    }

    private string FirstGrid(string code) =>
        Tree.All.First(j => j.Level == JurisdictionLevel.Grid && Tree.IsWithin(j.Code, code)).Code;

    /// <summary>
    /// A photo asked for as it was uploaded: what the endpoint's rule refuses stays refused; then only the roles with
    /// originals (<see cref="AccessPolicy.DecideOriginalPhoto"/>) go on, before the photo itself is looked at.
    /// </summary>
    private AccessDecision Original(Subject subject, AccessDecision usual) =>
        usual is AccessDecision.Unauthenticated or AccessDecision.RoleForbidden ? usual
        : AccessPolicy.DecideOriginalPhoto(subject.Caller, web.Services.GetRequiredService<IOptions<AttachmentOptions>>().Value.RolesWithOriginals)
            is var decision and not AccessDecision.Allowed ? decision : usual;

    private AccessDecision Decide(Caller caller, AccessRule rule, Target target) => rule.Target switch
    {
        AccessTarget.County => AccessPolicy.Decide(caller, rule.Action, null, Tree),
        AccessTarget.Parameter => AccessPolicy.Decide(caller, rule.Action, target.Code, Tree),
        AccessTarget.Anywhere => AccessPolicy.DecideRole(caller, rule.Action),
        _ => AccessPolicy.Decide(caller, rule.Action, target.Grid, Tree),
    };

    private Dictionary<string, Probe> Probes() =>
        new()
        {
            ["GET /"] = new((_, _) => Get("/"), Expect: (s, _) => Signed(s)),
            ["GET /wall"] = new((_, _) => Get("/wall"), Expect: (s, _) => RoleMay(s, AccessAction.ReadFeeds)),
            ["GET /wall/{Code}"] = new((_, t) => Get($"/wall/{t.Code}"), Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadFeeds, t.Code, Tree)),
            ["GET /audit"] = new((_, _) => Get("/audit"), Expect: (s, _) => AccessPolicy.Decide(s.Caller, AccessAction.ReadAudit, null, Tree)),
            ["GET /command"] = new((_, _) => Get("/command"), Expect: (s, _) => RoleMay(s, AccessAction.JoinCommandSessions)),
            ["GET /command/{Id:guid}"] = new((_, t) => Get($"/command/{_sessionByArea[t.Code]}"), HidesExistence: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            ["GET /console"] = new((_, t) => Get($"/console?jurisdiction={t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadIncidents, t.Code, Tree)),
            ["GET /console/{Id:guid}"] = new((_, t) => Get($"/console/{IncidentIn(t.Grid)}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadIncidents, t.Grid, Tree)),
            ["GET /m"] = new((_, _) => Get("/m"), Expect: (s, _) => RoleMay(s, AccessAction.HandleIncidents)),
            ["GET /videowall"] = new((_, _) => Get("/videowall"), Expect: (s, _) => RoleMay(s, AccessAction.ReadCameras)),
            ["GET /roll-calls"] = new((_, _) => Get("/roll-calls"), Expect: (s, _) => RoleMay(s, AccessAction.ReadRollCalls)),
            ["GET /categories"] = new((_, _) => Get("/categories"), Expect: (s, _) => Person(s, AccessAction.ReadCategories)),
            ["GET /admin"] = new((_, _) => Get("/admin"), Expect: (s, _) => Person(s, AccessAction.ImportJurisdictions)),
            ["GET /account"] = new((_, _) => Get("/account"), Expect: (s, _) => Person(s, AccessAction.ManageOwnAccount)),
            ["POST /admin"] = new((_, _) => Post("/admin"), Expect: (s, _) => Person(s, AccessAction.ImportJurisdictions), AnyAnswer: true),
            ["POST /account"] = new((_, _) => Post("/account"), Expect: (s, _) => Person(s, AccessAction.ManageOwnAccount), AnyAnswer: true),
            ["GET /reports"] = new((_, t) => Get($"/reports?jurisdiction={t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadStatistics, t.Code, Tree)),
            ["POST /reports"] = new((_, t) => Post($"/reports?jurisdiction={t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadStatistics, t.Code, Tree), AnyAnswer: true),
            ["POST /categories"] = new((_, _) => Post("/categories"), Expect: (s, _) => Person(s, AccessAction.ReadCategories), AnyAnswer: true),
            ["POST /roll-calls"] = new((_, _) => Post("/roll-calls"), Expect: (s, _) => RoleMay(s, AccessAction.ReadRollCalls), AnyAnswer: true),
            ["GET /zero-reports"] = new((_, t) => Get($"/zero-reports?jurisdiction={t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadZeroReports, t.Code, Tree)),
            // Pages take form posts too; without a form the answer may be anything but the page's data.
            ["POST /"] = new((_, _) => Post("/"), Expect: (s, _) => Signed(s), AnyAnswer: true),
            ["POST /wall"] = new((_, _) => Post("/wall"), Expect: (s, _) => RoleMay(s, AccessAction.ReadFeeds), AnyAnswer: true),
            ["POST /wall/{Code}"] = new((_, t) => Post($"/wall/{t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadFeeds, t.Code, Tree), AnyAnswer: true),
            ["POST /audit"] = new((_, _) => Post("/audit"),
                Expect: (s, _) => AccessPolicy.Decide(s.Caller, AccessAction.ReadAudit, null, Tree), AnyAnswer: true),
            ["POST /console"] = new((_, t) => Post($"/console?jurisdiction={t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadIncidents, t.Code, Tree), AnyAnswer: true),
            ["POST /console/{Id:guid}"] = new((_, t) => Post($"/console/{IncidentIn(t.Grid)}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadIncidents, t.Grid, Tree), AnyAnswer: true),
            ["POST /m"] = new((_, _) => Post("/m"), Expect: (s, _) => RoleMay(s, AccessAction.HandleIncidents), AnyAnswer: true),
            ["POST /videowall"] = new((_, _) => Post("/videowall"), Expect: (s, _) => RoleMay(s, AccessAction.ReadCameras), AnyAnswer: true),
            ["POST /zero-reports"] = new((_, t) => Post($"/zero-reports?jurisdiction={t.Code}"),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.ReadZeroReports, t.Code, Tree), AnyAnswer: true),
            ["POST /command"] = new((_, _) => Post("/command"), Expect: (s, _) => RoleMay(s, AccessAction.JoinCommandSessions), AnyAnswer: true),
            ["POST /command/{Id:guid}"] = new((_, t) => Post($"/command/{_sessionByArea[t.Code]}"),
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree), AnyAnswer: true),
            ["GET /hubs/wall/negotiate"] = new((_, _) => Get("/hubs/wall/negotiate"), Expect: (s, _) => Signed(s), AnyAnswer: true),
            ["GET /hubs/wall"] = new((_, _) => Get("/hubs/wall"), Expect: (s, _) => Signed(s), AnyAnswer: true),
            ["POST /hubs/wall"] = new((_, _) => new HttpRequestMessage(HttpMethod.Post, "/hubs/wall"), Expect: (s, _) => Signed(s), AnyAnswer: true),
            ["POST /hubs/wall/negotiate"] = new((_, _) => new HttpRequestMessage(HttpMethod.Post, "/hubs/wall/negotiate?negotiateVersion=1"),
                Expect: (s, _) => Signed(s)),
            ["GET /metrics"] = new((_, _) => Get("/metrics")),
            ["GET /api/jurisdictions"] = new((_, _) => Get("/api/jurisdictions"), Expect: (s, _) => RoleMay(s, AccessAction.ViewJurisdictions)),
            ["GET /api/jurisdictions/{code}"] = new((_, t) => Get($"/api/jurisdictions/{t.Code}")),
            ["GET /api/jurisdictions/{code}/geojson"] = new((_, t) => Get($"/api/jurisdictions/{t.Code}/geojson?levels=grid")),
            ["POST /api/jurisdictions/import"] = new((_, _) => Import(), Audited: AuditActions.ImportJurisdictions),
            ["GET /api/jurisdictions/{code}/neighbours"] = new((_, t) => Get($"/api/jurisdictions/{t.Code}/neighbours")),
            ["PATCH /api/jurisdictions/{code}"] = new((_, t) => new(HttpMethod.Patch, $"/api/jurisdictions/{t.Code}")
            {
                Content = JsonContent.Create(new { name = Tree.NameOf(t.Code) }, options: CommandCenter.Json.Options),
            }, Audited: AuditActions.EditJurisdiction),
            ["GET /api/feeds/{code}"] = new((_, t) => Get($"/api/feeds/{t.Code}?after=0&limit=1")),
            ["GET /api/feeds/{code}/snapshot"] = new((_, t) => Get($"/api/feeds/{t.Code}/snapshot")),
            ["POST /api/incidents"] = new((_, t) => Report("/api/incidents", t.Grid, "gridWorker"), Audited: AuditActions.ReportIncident),
            ["GET /api/incidents/{id:guid}"] = new((_, t) => Get($"/api/incidents/{IncidentIn(t.Grid)}"), HidesExistence: true),
            ["GET /api/incidents/{id:guid}/timeline"] = new((_, t) => Get($"/api/incidents/{IncidentIn(t.Grid)}/timeline"), HidesExistence: true),
            ["GET /api/incidents"] = new((_, t) => Get($"/api/incidents?jurisdiction={t.Code}")),
            ["GET /api/incidents/export.xlsx"] = new((_, t) => Get($"/api/incidents/export.xlsx?jurisdiction={t.Code}&notable=supervised&from=2026-11-01&to=2026-11-30")),
            ["GET /api/incidents/mine"] = new((_, _) => Get("/api/incidents/mine")),
            ["GET /api/incidents/{id:guid}/duplicates"] = new((_, t) => Get($"/api/incidents/{IncidentIn(t.Grid)}/duplicates"), HidesExistence: true),
            ["GET /api/incidents/{id:guid}/responders"] = new((_, t) => Get($"/api/incidents/{IncidentIn(t.Grid)}/responders"), HidesExistence: true),
            ["GET /api/incidents/{id:guid}/rating-link"] = new((_, t) => Get($"/api/incidents/{IncidentIn(t.Grid)}/rating-link"), HidesExistence: true),
            ["GET /api/departments"] = new((_, _) => Get("/api/departments")),
            ["GET /api/workflow"] = new((_, _) => Get("/api/workflow")),
            ["POST /api/incidents/{id:guid}/verify"] = Action("verify", new { }),
            ["POST /api/incidents/{id:guid}/reject"] = Action("reject", new { note = "矩阵测试" }),
            ["POST /api/incidents/{id:guid}/merge"] = Action("merge", null),
            ["POST /api/incidents/{id:guid}/resolve"] = Action("resolve", new { note = "矩阵测试" }),
            ["POST /api/incidents/{id:guid}/ticket"] = Action("ticket", new { }),
            ["POST /api/incidents/{id:guid}/dispatch"] = Action("dispatch", null),
            ["POST /api/incidents/{id:guid}/take"] = Action("take", new { }),
            ["POST /api/incidents/{id:guid}/accept"] = Action("accept", new { }),
            ["POST /api/incidents/{id:guid}/handle"] = Action("handle", new { note = "矩阵测试" }),
            ["POST /api/incidents/{id:guid}/feedback"] = Action("feedback", new { note = "矩阵测试" }),
            ["POST /api/incidents/{id:guid}/assess"] = Action("assess", new { effective = true }),
            ["POST /api/incidents/{id:guid}/escalate"] = Action("escalate", new { note = "矩阵测试" }),
            ["POST /api/incidents/{id:guid}/attachments"] = new((_, t) => AttachmentsApiTests.Upload(IncidentIn(t.Grid), _photo), HidesExistence: true,
                Audited: AuditActions.AttachToIncident),
            ["GET /api/incidents/{id:guid}/attachments"] = new((_, t) => Get($"/api/incidents/{IncidentIn(t.Grid)}/attachments"), HidesExistence: true),
            ["GET /api/attachments/{id:guid}"] = new((_, t) => Get($"/api/attachments/{_attachmentByGrid[t.Grid]}"), HidesExistence: true),
            ["GET /api/attachments/{id:guid}?original=true"] = new((_, t) => Get($"/api/attachments/{_attachmentByGrid[t.Grid]}?original=true"),
                HidesExistence: true, Audited: AuditActions.ReadPhotoOriginal,
                Expect: (s, t) => Original(s, AccessPolicy.Decide(s.Caller, AccessAction.ReadIncidents, t.Grid, Tree))),
            ["POST /api/intake/incidents"] = new((_, t) => Report("/api/intake/incidents", t.Grid, "hotline12345"), Audited: AuditActions.ReportIncident),
            ["POST /api/intake/positions"] = new((_, t) => Positions("/api/intake/positions", WorkerIn(t.Grid))),
            ["GET /api/workers"] = new((_, t) => Get($"/api/workers?jurisdiction={t.Code}")),
            ["GET /api/workers/{id}"] = new((_, t) => Get($"/api/workers/{WorkerIn(t.Grid)}"), HidesExistence: true),
            ["GET /api/workers/{id}/track"] = new((_, t) => Get($"/api/workers/{WorkerIn(t.Grid)}/track?from=2026-12-01T08:00:00%2B08:00&to=2026-12-01T20:00:00%2B08:00"),
                HidesExistence: true),
            ["POST /api/workers/positions"] = new(
                (s, t) => Positions("/api/workers/positions", t.Place == Place.Inside && s.Caller?.WorkerId is { } own ? own : WorkerIn(t.Grid)),
                Expect: (s, t) => !AccessPolicy.RoleMay(s.Caller!.Role, AccessAction.ReportOwnPosition) ? AccessDecision.RoleForbidden
                    : t.Place == Place.Inside ? AccessDecision.Allowed : AccessDecision.OutOfScope),
            ["PUT /api/workers/me/status"] = new((_, _) => new HttpRequestMessage(HttpMethod.Put, "/api/workers/me/status")
            {
                Content = JsonContent.Create(new { status = "onPatrol" }),
            }, Expect: (s, _) => RoleMay(s, AccessAction.SetOwnDutyStatus), Audited: AuditActions.SetDutyStatus),
            ["GET /api/alerts/mine"] = new((_, _) => Get("/api/alerts/mine")),
            // Nobody's alert: those who receive alerts hear "not found" (as for another's), the others are refused.
            ["POST /api/alerts/{id:guid}/acknowledge"] = new((_, _) => Post($"/api/alerts/{Guid.NewGuid()}/acknowledge"), HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.ReceiveAlerts) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            ["GET /api/alerts/categories"] = new((_, _) => Get("/api/alerts/categories")),
            ["PUT /api/alerts/categories"] = new((_, _) => new HttpRequestMessage(HttpMethod.Put, "/api/alerts/categories")
            {
                Content = JsonContent.Create(new { categories = (string[]?)null }),
            }, Audited: AuditActions.SetAlertCategories),
            ["GET /api/alerts"] = new((_, t) => Get($"/api/alerts?jurisdiction={t.Code}")),
            ["POST /api/command-sessions"] = new((_, t) => Keyed(PostJson("/api/command-sessions",
                new { title = $"{_marker} 权限矩阵", area = t.Code, level = "general", participants = Array.Empty<string>() })),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.CommandEmergencies, t.Code, Tree), Audited: AuditActions.OpenCommandSession),
            ["GET /api/command-sessions"] = new((_, _) => Get("/api/command-sessions")),
            // The commander's session of the target's area: those who may not follow it hear "not found".
            ["GET /api/command-sessions/{id:guid}"] = new((_, t) => Get($"/api/command-sessions/{_sessionByArea[t.Code]}"), HidesExistence: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            ["GET /api/command-sessions/{id:guid}/log.csv"] = new((_, t) => Get($"/api/command-sessions/{_sessionByArea[t.Code]}/log.csv"), HidesExistence: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            ["GET /api/command-sessions/{id:guid}/log"] = new((_, t) => Get($"/api/command-sessions/{_sessionByArea[t.Code]}/log"), HidesExistence: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            // A session of the target's area for each subject to close.
            ["POST /api/command-sessions/{id:guid}/close"] = new((s, t) => PostJson($"/api/command-sessions/{_toCloseBy[(s.Name, t.Code)]}/close", new { summary = "矩阵测试" }),
                HidesExistence: true, Expect: (s, t) => Commands(s, t.Code), Audited: AuditActions.CloseCommandSession),
            ["POST /api/command-sessions/{id:guid}/instructions"] = new((_, t) => Keyed(PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/instructions",
                new { text = "矩阵测试", recipients = new[] { StationOf(t.Code) ?? Tree.ChildrenOf(t.Code)[0].Code } })),
                HidesExistence: true, Expect: (s, t) => Commands(s, t.Code), Audited: AuditActions.IssueInstruction),
            // 领屏 and its markup on the commander's session of the target's area: for those who command it.
            ["POST /api/command-sessions/{id:guid}/lead"] = new((_, t) => PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/lead", new { }),
                HidesExistence: true, Expect: (s, t) => Commands(s, t.Code), Audited: AuditActions.LeadCommandView),
            ["DELETE /api/command-sessions/{id:guid}/lead"] = new((_, t) => new HttpRequestMessage(HttpMethod.Delete,
                $"/api/command-sessions/{_sessionByArea[t.Code]}/lead"), HidesExistence: true, Expect: (s, t) => Commands(s, t.Code),
                Audited: AuditActions.ReleaseCommandView),
            ["POST /api/command-sessions/{id:guid}/markup"] = new((_, t) => Keyed(PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/markup",
                new { kind = "line", points = LineIn(t.Grid), label = "矩阵测试" })),
                HidesExistence: true, Expect: (s, t) => Commands(s, t.Code), Audited: AuditActions.DrawMarkup),
            // The commander's markup of the session: the first who commands it takes it off, the next find it taken off already.
            ["DELETE /api/command-sessions/{id:guid}/markup/{markup:guid}"] = new((_, t) => new HttpRequestMessage(HttpMethod.Delete,
                $"/api/command-sessions/{_sessionByArea[t.Code]}/markup/{_markupByArea[t.Code]}"), HidesExistence: true, Expect: (s, t) => Commands(s, t.Code)),
            ["POST /api/command-sessions/{id:guid}/share"] = new((_, t) => PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/share",
                new { cameras = new[] { CameraIn(t.Grid) } }), HidesExistence: true, Expect: (s, t) => Commands(s, t.Code)),
            // The session's video conference: those who follow it join (a ticket) and see who is in it; those who command it give the floor and mute.
            ["POST /api/command-sessions/{id:guid}/conference/join"] = new((_, t) => PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/conference/join",
                new { }), HidesExistence: true, Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            ["GET /api/command-sessions/{id:guid}/conference"] = new((_, t) => Get($"/api/command-sessions/{_sessionByArea[t.Code]}/conference"),
                HidesExistence: true, Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            ["POST /api/command-sessions/{id:guid}/conference/floor"] = new((_, t) => PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/conference/floor",
                new { }), HidesExistence: true, Expect: (s, t) => Commands(s, t.Code)),
            // Nobody takes part in the matrix's sessions: muting is refused for the station once the policy lets the caller through.
            ["POST /api/command-sessions/{id:guid}/conference/mute"] = new((_, t) => PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/conference/mute",
                new { station = t.Code }), HidesExistence: true, AnyAnswer: true, Expect: (s, t) => Commands(s, t.Code)),
            ["POST /api/command-sessions/{id:guid}/conference/failures"] = new((_, t) =>
                    PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/conference/failures", new { reason = "矩阵测试" }), HidesExistence: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree), Audited: AuditActions.ConferenceFailure),
            // The media server's socket: without a WebSocket upgrade and a ticket it answers 400, for those whose role may join at all.
            ["GET /api/video/janus"] = new((_, _) => Get("/api/video/janus"), AnyAnswer: true),
            ["GET /api/command-sessions/{id:guid}/shared"] = new((_, t) => Get($"/api/command-sessions/{_sessionByArea[t.Code]}/shared"), HidesExistence: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            // Shared by the probe above once someone who commands the area has run it: a frame (or the camera's own failure) for its followers.
            ["GET /api/command-sessions/{id:guid}/cameras/{camera}/snapshot"] = new((_, t) =>
                    Get($"/api/command-sessions/{_sessionByArea[t.Code]}/cameras/{CameraIn(t.Grid)}/snapshot"), HidesExistence: true, AnyAnswer: true,
                Expect: (s, t) => AccessPolicy.DecideSession(s.Caller, t.Code, [], Tree)),
            // The video roll call: the county center starts one (on its own, or in a session it commands), reads it, ends it; a called station
            // hears it ring, reports it delivered and joins its room with its camera; those who may watch the roll call's area join to watch.
            ["POST /api/roll-calls"] = new((_, t) => Keyed(PostJson("/api/roll-calls", new { stations = new[] { RollCallStation(t.Code) } })),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.StartRollCalls, RollCallStation(t.Code), Tree), Audited: AuditActions.StartRollCall),
            ["POST /api/command-sessions/{id:guid}/roll-calls"] = new((_, t) => Keyed(PostJson($"/api/command-sessions/{_sessionByArea[t.Code]}/roll-calls",
                    new { stations = new[] { RollCallStation(t.Code) } })), HidesExistence: true,
                Expect: (s, t) => RoleMay(s, AccessAction.StartRollCalls) is not AccessDecision.Allowed ? AccessDecision.RoleForbidden : Commands(s, t.Code),
                Audited: AuditActions.StartRollCall),
            ["GET /api/roll-calls"] = new((_, t) => Get($"/api/roll-calls?jurisdiction={t.Code}")),
            ["GET /api/roll-calls/history"] = new((_, t) => Get($"/api/roll-calls/history?station={t.Code}")),
            ["GET /api/roll-calls/ringing"] = new((_, _) => Get("/api/roll-calls/ringing"), Expect: (s, _) => RoleMay(s, AccessAction.AnswerRollCalls)),
            ["GET /api/roll-calls/{id:guid}"] = new((_, t) => Get($"/api/roll-calls/{_rollCallByArea[t.Code]}"), HidesExistence: true,
                Expect: (s, t) => ReadsRollCall(s, t, _ => AccessDecision.Allowed)),
            ["GET /api/roll-calls/{id:guid}/report.csv"] = new((_, t) => Get($"/api/roll-calls/{_rollCallByArea[t.Code]}/report.csv"), HidesExistence: true,
                Expect: (s, t) => ReadsRollCall(s, t, _ => AccessDecision.Allowed)),
            ["POST /api/roll-calls/{id:guid}/delivered"] = new((_, t) => PostJson($"/api/roll-calls/{_rollCallByArea[t.Code]}/delivered", new { }),
                HidesExistence: true,
                Expect: (s, t) => RoleMay(s, AccessAction.AnswerRollCalls) is not AccessDecision.Allowed ? AccessDecision.RoleForbidden
                    : AccessPolicy.MayAnswerRollCall(s.Caller!, RollCallStation(t.Code)) ? AccessDecision.Allowed : AccessDecision.OutOfScope),
            ["POST /api/roll-calls/{id:guid}/join"] = new((_, t) => PostJson($"/api/roll-calls/{_rollCallByArea[t.Code]}/join", new { }), HidesExistence: true,
                Expect: (s, t) => ReadsRollCall(s, t, station => AccessPolicy.MayAnswerRollCall(s.Caller!, station) ? AccessDecision.Allowed
                    : AccessPolicy.Decide(s.Caller, AccessAction.StartRollCalls, station, Tree))),
            ["POST /api/roll-calls/{id:guid}/end"] = new((s, t) => Post($"/api/roll-calls/{(_rollCallToEndBy.TryGetValue((s.Name, t.Code), out var id) ? id
                    : _rollCallByArea[t.Code])}/end"), HidesExistence: true,
                Expect: (s, t) => RoleMay(s, AccessAction.StartRollCalls) is not AccessDecision.Allowed ? AccessDecision.RoleForbidden
                    : ReadsRollCall(s, t, station => AccessPolicy.Decide(s.Caller, AccessAction.StartRollCalls, station, Tree)),
                Audited: AuditActions.EndRollCall),
            ["POST /api/instructions"] = new((_, t) => Keyed(PostJson("/api/instructions", StationOf(t.Code) is { } station
                    ? new { text = $"{_marker} 权限矩阵", recipients = new[] { station }, broadcast = false }
                    : new { text = $"{_marker} 权限矩阵", recipients = new[] { t.Code }, broadcast = true })),
                Expect: (s, t) => AccessPolicy.Decide(s.Caller, AccessAction.CommandEmergencies, t.Code, Tree), Audited: AuditActions.IssueInstruction),
            ["GET /api/instructions"] = new((_, _) => Get("/api/instructions")),
            ["GET /api/instructions/mine"] = new((_, _) => Get("/api/instructions/mine")),
            // Nobody's instruction: stations hear "not found" (as for another station's), the others are refused.
            ["POST /api/instructions/{id:guid}/sign"] = new((_, _) => PostJson($"/api/instructions/{Guid.NewGuid()}/sign", new { }), HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.ReceiveInstructions) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            // Nobody's instruction: those who command hear "not found", the others are refused.
            ["POST /api/instructions/{id:guid}/remind"] = new((_, t) => PostJson($"/api/instructions/{Guid.NewGuid()}/remind", new { recipient = t.Code }),
                HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.CommandEmergencies) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            // Nobody's instruction: those who command hear "not found", the others are refused.
            ["POST /api/instructions/{id:guid}/escalate"] = new((_, t) => PostJson($"/api/instructions/{Guid.NewGuid()}/escalate", new { recipient = t.Code }),
                HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.CommandEmergencies) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            // Nobody's instruction or photo: those who follow sessions hear "not found", the others are refused.
            ["GET /api/instructions/{id:guid}/reports"] = new((_, _) => Get($"/api/instructions/{Guid.NewGuid()}/reports"), HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.JoinCommandSessions) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            ["GET /api/instruction-photos/{id:guid}"] = new((_, _) => Get($"/api/instruction-photos/{Guid.NewGuid()}"), HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.JoinCommandSessions) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            ["GET /api/instruction-photos/{id:guid}?original=true"] = new((_, _) => Get($"/api/instruction-photos/{Guid.NewGuid()}?original=true"),
                HidesExistence: true,
                Expect: (s, _) => Original(s, RoleMay(s, AccessAction.JoinCommandSessions) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden)),
            // Nobody's report-back: stations hear "not found", the others are refused.
            ["POST /api/instructions/{id:guid}/reports/{report:guid}/photos"] = new((_, _) => new HttpRequestMessage(HttpMethod.Post,
                    $"/api/instructions/{Guid.NewGuid()}/reports/{Guid.NewGuid()}/photos") { Content = new ByteArrayContent(_photo) }, HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.ReceiveInstructions) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            ["GET /api/instructions/escalated"] = new((_, t) => Get($"/api/instructions/escalated?jurisdiction={t.Code}")),
            ["POST /api/instructions/{id:guid}/report"] = new((_, _) => Keyed(PostJson($"/api/instructions/{Guid.NewGuid()}/report", new { text = "矩阵测试" })),
                HidesExistence: true,
                Expect: (s, _) => RoleMay(s, AccessAction.ReceiveInstructions) == AccessDecision.Allowed ? AccessDecision.OutOfScope : AccessDecision.RoleForbidden),
            ["POST /api/sensitive-periods"] = new((_, _) => Keyed(PostJson("/api/sensitive-periods", PeriodBody(Today.AddDays(300), "10:00"))),
                Audited: AuditActions.ConfigureSensitivePeriod),
            ["GET /api/sensitive-periods"] = new((_, _) => Get("/api/sensitive-periods")),
            ["POST /api/sensitive-periods/{id:guid}/end"] = new((s, t) =>
                PostJson($"/api/sensitive-periods/{(_periodToEndBy.TryGetValue((s.Name, t.Code), out var id) ? id : Guid.NewGuid())}/end", new { }),
                Audited: AuditActions.EndSensitivePeriod),
            // A station reports its own unit inside; elsewhere the target's village (or the county itself), which is not one it reports for.
            ["POST /api/zero-reports"] = new((s, t) => Keyed(PostJson("/api/zero-reports",
                    new { jurisdiction = ZeroReportUnit(s, t), date = $"{Today:yyyy-MM-dd}", nothing = true, note = "矩阵测试" })),
                Expect: (s, t) => RoleMay(s, AccessAction.SubmitZeroReports) is not AccessDecision.Allowed ? AccessDecision.RoleForbidden
                    : AccessPolicy.MayReportFor(s.Caller!, ZeroReportUnit(s, t), Tree) ? AccessDecision.Allowed : AccessDecision.OutOfScope,
                Audited: AuditActions.SubmitZeroReport),
            ["GET /api/zero-reports"] = new((_, t) => Get($"/api/zero-reports?jurisdiction={t.Code}")),
            ["GET /api/zero-reports/export"] = new((_, t) => Get($"/api/zero-reports/export?jurisdiction={t.Code}&from={Today:yyyy-MM-dd}&to={Today:yyyy-MM-dd}&format=xlsx")),
            ["GET /api/patrols"] = new((_, t) => Get($"/api/patrols?jurisdiction={t.Code}")),
            ["GET /api/patrols/mine"] = new((_, _) => Get("/api/patrols/mine")),
            ["POST /api/patrols/start"] = new((_, _) => Post("/api/patrols/start"), Audited: AuditActions.StartPatrol),
            ["POST /api/patrols/stop"] = new((_, _) => Post("/api/patrols/stop"), Audited: AuditActions.StopPatrol),
            // Inside: a point of the caller's own grid; elsewhere the target's, which is outside it (403 naming lat).
            ["POST /api/patrols/checkins"] = new((s, t) =>
            {
                var (lat, lng) = Tree.CenterOf(t.Place == Place.Inside && s.Caller?.WorkerId is { } own ? web.Directory.Worker(own)!.GridCode : t.Grid);
                var request = PostJson("/api/patrols/checkins", new { kind = "specialPlace", lat, lng, note = "矩阵测试" });
                request.Headers.Add("Idempotency-Key", "matrix-" + Guid.NewGuid().ToString("N"));
                return request;
            }, Audited: AuditActions.CheckIn),
            ["GET /api/patrols/checkins"] = new((_, t) => Get($"/api/patrols/checkins?jurisdiction={t.Code}")),
            // Inside: the caller's own check-in; elsewhere one of a person of the target grid, which is not the caller's.
            ["POST /api/patrols/checkins/{id:guid}/photos"] = new((s, t) => new HttpRequestMessage(HttpMethod.Post,
                $"/api/patrols/checkins/{(t.Place == Place.Inside && s.Caller?.WorkerId is { } own ? _ownCheckIn[own] : _checkInByGrid[t.Grid])}/photos")
            {
                Content = new ByteArrayContent(_photo),
            }, HidesExistence: true, Audited: AuditActions.AttachToCheckIn),
            ["GET /api/patrols/photos/{id:guid}"] = new((_, t) => Get($"/api/patrols/photos/{_patrolPhotoByGrid[t.Grid]}"), HidesExistence: true),
            ["GET /api/patrols/photos/{id:guid}?original=true"] = new((_, t) => Get($"/api/patrols/photos/{_patrolPhotoByGrid[t.Grid]}?original=true"),
                HidesExistence: true, Audited: AuditActions.ReadPhotoOriginal,
                Expect: (s, t) => Original(s, AccessPolicy.Decide(s.Caller, AccessAction.ReadPatrols, t.Grid, Tree))),
            ["GET /api/cameras"] = new((_, t) => Get($"/api/cameras?jurisdiction={t.Code}")),
            ["GET /api/cameras/counts"] = new((_, t) => Get($"/api/cameras/counts?jurisdiction={t.Code}")),
            ["GET /api/videowall/layout"] = new((_, _) => Get("/api/videowall/layout")),
            ["PUT /api/videowall/layout"] = new((_, _) => new HttpRequestMessage(HttpMethod.Put, "/api/videowall/layout")
            {
                Content = JsonContent.Create(new { tiles = 4, mode = "manual", cameras = Array.Empty<string>(), intervalSeconds = 2 }),
            }),
            // Demo cameras have no stream address, so even an allowed caller gets no picture (404 saying so); who may
            // capture where is tested with real streams in CameraSnapshotTests.
            ["GET /api/cameras/{id}/snapshot"] = new((_, t) => Get($"/api/cameras/{CameraIn(t.Grid)}/snapshot"), HidesExistence: true, AnyAnswer: true),
            ["POST /api/cameras/import"] = new((_, t) => new HttpRequestMessage(HttpMethod.Post, "/api/cameras/import")
            {
                Content = new StringContent(CameraCsv(t.Grid), System.Text.Encoding.UTF8, "text/csv"),
            }, Audited: AuditActions.ImportCameras),
            ["POST /api/workers/import"] = new((_, t) => new HttpRequestMessage(HttpMethod.Post, "/api/workers/import")
            {
                Content = new StringContent(PeopleCsv(t.Grid), System.Text.Encoding.UTF8, "text/csv"),
            }, Audited: AuditActions.ImportPeople),
            ["PUT /api/cameras/{id}"] = new((_, t) => new HttpRequestMessage(HttpMethod.Put, $"/api/cameras/{MatrixCamera}")
            {
                Content = JsonContent.Create(CameraEdit(t.Grid)),
            }, Audited: AuditActions.SaveCamera),
            ["GET /api/accounts"] = new((_, _) => Get("/api/accounts")),
            ["POST /api/accounts"] = new((_, _) => PostJson("/api/accounts", new
            {
                username = "m-" + Guid.NewGuid().ToString("N")[..12], displayName = "矩阵测试", role = "gridWorker",
                jurisdictions = new[] { FirstGrid(Tree.Root.Code) }, password = TestSecrets.Of("matrix-password-1"),
            }), Audited: AuditActions.CreateAccount),
            ["POST /api/accounts/{username}/password"] = new((_, _) => PostJson("/api/accounts/matrix-target/password", new { password = TestSecrets.Of("matrix-password-2") }),
                Audited: AuditActions.SetPassword),
            ["PATCH /api/accounts/{username}"] = new((_, _) => new HttpRequestMessage(HttpMethod.Patch, "/api/accounts/matrix-target")
            {
                Content = JsonContent.Create(new { displayName = "矩阵测试" }),
            }, Audited: AuditActions.UpdateAccount),
            ["POST /api/accounts/{username}/disable"] = new((_, _) => Post("/api/accounts/matrix-target/disable"), Audited: AuditActions.DisableAccount),
            ["POST /api/accounts/{username}/enable"] = new((_, _) => Post("/api/accounts/matrix-target/enable"), Audited: AuditActions.EnableAccount),
            ["DELETE /api/accounts/{username}"] = new((s, t) => new HttpRequestMessage(HttpMethod.Delete,
                $"/api/accounts/{_accountToDeleteBy.GetValueOrDefault((s.Name, t.Code), "matrix-target")}"), Audited: AuditActions.DeleteAccount),
            ["GET /api/accounts/{username}/sessions"] = new((_, _) => Get("/api/accounts/matrix-target/sessions")),
            ["DELETE /api/accounts/{username}/sessions"] = new((_, _) => new HttpRequestMessage(HttpMethod.Delete, "/api/accounts/matrix-target/sessions"),
                Audited: AuditActions.EndSession),
            ["DELETE /api/accounts/{username}/sessions/{id:guid}"] = new((s, t) => new HttpRequestMessage(HttpMethod.Delete,
                $"/api/accounts/matrix-sessions/sessions/{_targetSessionBy.GetValueOrDefault((s.Name, t.Code))}"), Audited: AuditActions.EndSession),
            ["GET /api/auth/sessions"] = new((_, _) => Get("/api/auth/sessions")),
            // Each person ends a session of their own opened for the probe (not the one the probe comes with).
            ["DELETE /api/auth/sessions/{id:guid}"] = new((s, t) => new HttpRequestMessage(HttpMethod.Delete,
                $"/api/auth/sessions/{_ownSessionBy.GetValueOrDefault((s.Name, t.Code))}"), Audited: AuditActions.EndSession),
            // A new password the rules refuse (400 before the current one is checked): the demo accounts keep theirs and no lock counts.
            ["POST /api/auth/password"] = new((_, _) => PostJson("/api/auth/password", new { currentPassword = "wrong-password-1", password = "short" }),
                AnyAnswer: true),
            ["GET /api/integrations"] = new((_, _) => Get("/api/integrations")),
            ["POST /api/integrations"] = new((_, _) => PostJson("/api/integrations", new
            {
                name = "matrix-probe", jurisdiction = Tree.Root.Code, sources = new[] { "miniProgram" }, positions = false,
            }), Audited: AuditActions.SaveIntegration),
            ["GET /api/audit"] = new((_, _) => Get("/api/audit?limit=5")),
            ["GET /api/calendar"] = new((_, _) => Get("/api/calendar")),
            ["PUT /api/calendar/{year:int}"] = new((_, _) => new HttpRequestMessage(HttpMethod.Put, "/api/calendar/2030")
            {
                Content = JsonContent.Create(
                    new { year = 2030, source = "矩阵测试", provisional = true, daysOff = Array.Empty<object>(), workingDays = Array.Empty<object>() }),
            }, Audited: AuditActions.SaveCalendarYear),
            ["GET /api/categories"] = new((_, _) => Get("/api/categories")),
            ["GET /api/stats/{code}"] = new((_, t) => Get($"/api/stats/{t.Code}?by=source")),
            ["GET /api/rankings/grids"] = new((_, t) => Get($"/api/rankings/grids?jurisdiction={t.Code}&quarter=2026Q4")),
            ["GET /api/rankings/workers"] = new((_, t) => Get($"/api/rankings/workers?jurisdiction={t.Code}&month=2026-12")),
            ["GET /api/rankings/four-no"] = new((_, t) => Get($"/api/rankings/four-no?jurisdiction={t.Code}&year=2026")),
            ["PUT /api/rankings/four-no/litigation"] = new((_, t) => new HttpRequestMessage(HttpMethod.Put, "/api/rankings/four-no/litigation")
            {
                Content = JsonContent.Create(new { village = Tree.Find(t.Grid)!.ParentCode, year = 2030, cases = 0, note = "矩阵测试" }),
            }, Audited: AuditActions.RecordLitigation),
            ["GET /api/reports/{code}/daily.xlsx"] = new((_, t) => Get($"/api/reports/{t.Code}/daily.xlsx?date=2026-12-01")),
            ["GET /api/reports/{code}/weekly.xlsx"] = new((_, t) => Get($"/api/reports/{t.Code}/weekly.xlsx?week=2026-W49")),
            ["GET /api/reports/{code}/monthly.xlsx"] = new((_, t) => Get($"/api/reports/{t.Code}/monthly.xlsx?month=2026-11")),
            ["GET /api/reports/{code}/quarterly.xlsx"] = new((_, t) => Get($"/api/reports/{t.Code}/quarterly.xlsx?quarter=2026Q3")),
            ["GET /api/reports/{code}/monthly-ready"] = new((_, t) => Get($"/api/reports/{t.Code}/monthly-ready?month=2026-11")),
            // Whether a stored report is there depends on the job; who may ask is what the matrix checks.
            ["GET /api/reports/{code}/stored/monthly.xlsx"] = new((_, t) => Get($"/api/reports/{t.Code}/stored/monthly.xlsx?month=2026-11"), AnyAnswer: true),
            ["PUT /api/categories/{code}"] = new((_, _) => new HttpRequestMessage(HttpMethod.Put, "/api/categories/matrix-probe")
            {
                Content = JsonContent.Create(new { name = "矩阵测试", order = 999, active = false, countsAs = Array.Empty<string>() }),
            }, Audited: AuditActions.SaveCategory),
        };

    /// <summary>A workflow action on the target grid's incident; merge names the grid's second incident, dispatch the grid itself.</summary>
    private Probe Action(string action, object? body) => new((_, t) =>
    {
        var request = PostJson($"/api/incidents/{IncidentIn(t.Grid)}/{action}", body ?? (action == "merge"
            ? new { into = _otherByGrid[t.Grid] }
            : new { targetKind = "jurisdiction", target = t.Grid }));
        request.Headers.Add("Idempotency-Key", "matrix-" + Guid.NewGuid().ToString("N"));
        return request;
    }, HidesExistence: true, Workflow: true);

    private const string MatrixCamera = "matrix-camera";

    /// <summary>A short line of markup from the grid's centre.</summary>
    private double[][] LineIn(string grid)
    {
        var (lat, lng) = Tree.CenterOf(grid);
        return [[lat, lng], [lat + 0.001, lng]];
    }

    private string CameraIn(string grid) => web.Directory.CamerasIn(grid)[0].Id;

    private string CameraCsv(string grid)
    {
        var (lat, lng) = Tree.CenterOf(grid);
        return $"id,name,lat,lng,streamUrl\n{MatrixCamera},矩阵测试,{lat},{lng},rtsp://127.0.0.1/matrix\n";
    }

    /// <summary>The grid's first person as they are, so that an allowed import changes nothing the other tests count.</summary>
    private string PeopleCsv(string grid)
    {
        var person = web.Directory.WorkersIn(grid)[0];
        return $"id,name,role,grid\n{person.Id},{person.Name},{Json.Word(person.Role)},{person.GridCode}\n";
    }

    private object CameraEdit(string grid)
    {
        var (lat, lng) = Tree.CenterOf(grid);
        return new { name = "矩阵测试", lat, lng, streamUrl = "rtsp://127.0.0.1/matrix" };
    }

    private static AccessDecision Signed(Subject subject) =>
        subject.Caller is { Role: not Role.Integration } ? AccessDecision.Allowed : AccessDecision.RoleForbidden;

    /// <summary>A page: for people only, whatever the role's row says.</summary>
    private static AccessDecision Person(Subject subject, AccessAction action) =>
        Signed(subject) is not AccessDecision.Allowed ? AccessDecision.RoleForbidden : RoleMay(subject, action);

    private static AccessDecision RoleMay(Subject subject, AccessAction action) =>
        subject.Caller is { } caller && AccessPolicy.RoleMay(caller.Role, action) ? AccessDecision.Allowed : AccessDecision.RoleForbidden;

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Keyed(HttpRequestMessage request)
    {
        request.Headers.Add("Idempotency-Key", "matrix-" + Guid.NewGuid().ToString("N"));
        return request;
    }

    /// <summary>The station a grid's instruction goes to (its village), or null for an area with stations below it.</summary>
    /// <summary>The station a probe's roll call calls: the target grid's village, or the county's first township.</summary>
    private string RollCallStation(string code) => StationOf(code) ?? Tree.ChildrenOf(code)[0].Code;

    private static async Task<Guid> StartRollCall(HttpClient commander, string station)
    {
        using var started = await commander.SendAsync(Keyed(PostJson("/api/roll-calls", new { stations = new[] { station } })));
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Whether the subject reads the roll call of the target's station and, past that, the decision <paramref name="then"/> makes.</summary>
    private AccessDecision ReadsRollCall(Subject s, Target t, Func<string, AccessDecision> then) =>
        AccessPolicy.Decide(s.Caller, AccessAction.ReadRollCalls, RollCallStation(t.Code), Tree) is var read && read != AccessDecision.Allowed ? read
        : then(RollCallStation(t.Code));

    private string? StationOf(string code) => Tree.Find(code)!.Level == JurisdictionLevel.Grid ? Tree.Find(code)!.ParentCode : null;

    /// <summary>Whether the subject commands a session of the area (it may follow it, and command there).</summary>
    private AccessDecision Commands(Subject subject, string area) =>
        RoleMay(subject, AccessAction.CommandEmergencies) is not AccessDecision.Allowed ? AccessDecision.RoleForbidden
        : AccessPolicy.DecideSession(subject.Caller, area, [], Tree) is not AccessDecision.Allowed ? AccessDecision.OutOfScope
        : AccessPolicy.Decide(subject.Caller, AccessAction.CommandEmergencies, area, Tree);

    /// <summary>Today on the zero-report clock (China Standard Time).</summary>
    private DateOnly Today => ChinaTime.Day(web.ZeroReportClock.GetUtcNow());

    private static object PeriodBody(DateOnly day, string deadline) =>
        new { name = "矩阵测试敏感时期", from = $"{day:yyyy-MM-dd}", to = $"{day:yyyy-MM-dd}", levels = new[] { "township", "village" }, deadline };

    private static async Task<Guid> ConfigurePeriod(HttpClient commander, DateOnly day, string deadline)
    {
        using var response = await commander.SendAsync(Keyed(PostJson("/api/sensitive-periods", PeriodBody(day, deadline))));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CommandCenter.Web.Application.SensitivePeriodView>(CommandCenter.Json.Options))!.Id;
    }

    /// <summary>The unit a zero-report probe reports for: inside, a station's own; elsewhere the target grid's village, or the county.</summary>
    private string ZeroReportUnit(Subject subject, Target target) =>
        target.Place == Place.Inside && subject.Caller is { Role: Role.TownshipStation or Role.VillageStation } station ? station.Jurisdictions[0]
        : StationOf(target.Code) ?? target.Code;

    private async Task<Guid> OpenSession(HttpClient commander, string area)
    {
        using var response = await commander.SendAsync(Keyed(PostJson("/api/command-sessions",
            new { title = $"{_marker} 会话", area, level = "general", participants = Array.Empty<string>() })));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CommandCenter.Web.Application.SessionView>(CommandCenter.Json.Options))!.Id;
    }

    private static async Task<Guid> DrawMarkup(HttpClient commander, Guid session)
    {
        using var response = await commander.SendAsync(Keyed(PostJson($"/api/command-sessions/{session}/markup",
            new { kind = "circle", points = new[] { new[] { 36.5, 104.1 } }, radius = 100, label = "矩阵测试" })));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CommandCenter.Web.Application.MarkupView>(CommandCenter.Json.Options))!.Id;
    }

    private static HttpRequestMessage Post(string path) => new(HttpMethod.Post, path) { Content = new StringContent("") };

    private static HttpRequestMessage PostJson(string path, object body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: CommandCenter.Json.Options) };

    private HttpRequestMessage Report(string path, string grid, string source)
    {
        var (lat, lng) = Tree.CenterOf(grid);
        var request = PostJson(path, new { source, category = "dispute", title = $"{_marker} 权限矩阵", lat, lng });
        request.Headers.Add("Idempotency-Key", "matrix-" + Guid.NewGuid().ToString("N"));
        return request;
    }

    private HttpRequestMessage Positions(string path, string workerId)
    {
        var worker = web.Directory.Worker(workerId)!;
        return PostJson(path, new[] { new { workerId, lat = worker.HomeLatitude, lng = worker.HomeLongitude } });
    }

    private HttpRequestMessage Import()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jurisdictions/import")
        {
            Content = new ByteArrayContent(_export ??= JurisdictionGeoJson.Write(Tree)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        return request;
    }

    private byte[]? _export;

    /// <summary>Two incidents in the grid (the first with a photo), reported by the duty officer, whose titles a refusal must never show.</summary>
    private async Task AddIncident(string grid)
    {
        var (lat, lng) = Tree.CenterOf(grid);
        using var request = Reports.Post(new { source = "gridWorker", category = "security", title = $"{_marker} 秘密事件 {grid}", lat, lng });
        var incident = (await Reports.Created(await web.Http.SendAsync(request))).Id;
        _incidentByGrid[grid] = incident;
        using var upload = await web.Http.SendAsync(AttachmentsApiTests.Upload(incident, _photo));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        _attachmentByGrid[grid] = (await upload.Content.ReadFromJsonAsync<CommandCenter.Web.Application.AttachmentInfo>(CommandCenter.Json.Options))!.Id;
        using var other = Reports.Post(new { source = "gridWorker", category = "security", title = $"{_marker} 秘密事件 {grid} 之二", lat, lng });
        _otherByGrid[grid] = (await Reports.Created(await web.Http.SendAsync(other))).Id;
    }

    private Guid IncidentIn(string grid) => _incidentByGrid[grid];

    /// <summary>A visit by the person in the grid, whose note a refusal must never show.</summary>
    private async Task<Guid> AddCheckIn(string grid, string worker)
    {
        var store = web.Services.GetRequiredService<CommandCenter.Patrols.PatrolStore>();
        var (lat, lng) = Tree.CenterOf(grid);
        var (checkIn, _) = await store.Add(new CommandCenter.Patrols.CheckIn(Guid.NewGuid(), worker, grid, CommandCenter.Patrols.CheckInKind.KeyPerson,
            DateTimeOffset.UtcNow, lat, lng, null, $"{_marker} 秘密事件 {grid}"), Guid.NewGuid().ToString());
        return checkIn.Id;
    }

    private string WorkerIn(string grid) => web.Directory.WorkersIn(grid)[0].Id;

    /// <summary>Whether a refusal shows anything of the target: its secret incident, the names of its people.</summary>
    private bool Leaks(string body, Target target) =>
        body.Contains($"秘密事件 {target.Grid}")
        || web.Directory.WorkersIn(target.Grid).Any(w => body.Contains(w.Name, StringComparison.Ordinal));

    private IEnumerable<string> OutsideScope(Subject subject, string body)
    {
        var items = System.Text.Json.JsonSerializer.Deserialize<List<CommandCenter.Web.Application.JurisdictionItem>>(body, CommandCenter.Json.Options)!;
        if (items.Count == 0)
            yield return "(nothing at all)";
        foreach (var item in items.Where(i => !AccessPolicy.IsWithinScope(subject.Caller!, i.Code, Tree)))
            yield return item.Code;
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
