using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Alerts;
using CommandCenter.Demo;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using CommandCenter.Workers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>
/// Grid alerts (警务+网格) on the real stack: a report alerts exactly the patrol officers whose accounts cover its grid
/// (counted in SQL under a burst of reports), a dispatch alerts the person, 签收 is audited and on the timeline, a
/// person's categories filter, an officer takes a case from its alert (接警), a person dispatched to from elsewhere is
/// nudged on their own grid's feed, and the sweep sends up what was not signed in time (the alerts' clock moved on).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AlertApiTests(WebFixture web) : IDisposable
{
    public void Dispose() => web.AlertClock.Shift = TimeSpan.Zero;

    private NewAccount Demo(string username) =>
        DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == username);

    private async Task<Guid> Report(string grid, string category, string title)
    {
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        using var request = Reports.Post(new { source = "hotline12345", category, title, description = "警网联动测试", lat, lng, reporter = "王女士" });
        request.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        using var intake = web.IntakeClient();
        return (await Reports.Created(await intake.SendAsync(request))).Id;
    }

    private async Task<List<AlertView>> Mine(HttpClient phone) =>
        (await phone.GetFromJsonAsync<List<AlertView>>("/api/alerts/mine", Json.Options))!;

    private static async Task<List<(Guid Incident, string Username)>> AlertRows(IReadOnlyCollection<Guid> incidents)
    {
        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand("SELECT incident_id, username FROM cc_alert WHERE incident_id = ANY($1) AND kind = 'inGrid'");
        cmd.Parameters.AddWithValue(incidents.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(Guid, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetGuid(0), reader.GetString(1)));
        return rows;
    }

    [Fact]
    public async Task A_burst_of_reports_alerts_exactly_the_officers_covering_each_grid_once()
    {
        var tree = web.Directory.Tree!;
        var accounts = await web.Services.GetRequiredService<AccountStore>().List();
        var officers = accounts.Where(a => a.Role == Role.PatrolPolice).ToList();
        Assert.NotEmpty(officers);
        // Every grid an officer covers, and as many grids nobody covers, 4 reports each, all at once.
        var covered = officers.SelectMany(o => o.Jurisdictions).Distinct().ToList();
        var uncovered = tree.All.Where(j => j.Level == Geography.JurisdictionLevel.Grid && !covered.Contains(j.Code)).Take(covered.Count).Select(j => j.Code);
        var grids = covered.Concat(uncovered).SelectMany(g => Enumerable.Repeat(g, 4)).ToList();
        var incidents = await Task.WhenAll(grids.Select((grid, i) => Report(grid, "dispute", $"警网联动压测 {i}")));

        var expected = incidents.Zip(grids)
            .SelectMany(p => officers.Where(o => o.Jurisdictions.Any(code => tree.IsWithin(p.Second, code))).Select(o => (p.First, o.Username)))
            .OrderBy(r => r.First).ThenBy(r => r.Username, StringComparer.Ordinal).ToList();
        var rows = (await AlertRows(incidents)).OrderBy(r => r.Incident).ThenBy(r => r.Username, StringComparer.Ordinal).ToList();

        Assert.True(expected.Count >= covered.Count * 4, "each covered grid's reports alert its officers");
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task The_officer_signs_an_alert_it_is_audited_and_on_the_timeline_and_nobody_else_may_sign_it()
    {
        var police = Demo("police-1");
        var grid = police.Jurisdictions[0];
        var incident = await Report(grid, "sanitation", "路面污水外溢");
        using var phone = await web.ClientAs("police-1");

        var alert = (await Mine(phone)).Single(a => a.Incident == incident);
        Assert.Equal((AlertKind.InGrid, AlertState.Open, grid, web.Directory.Tree!.Find(grid)!.Name, "路面污水外溢"),
            (alert.Kind, alert.State, alert.GridCode, alert.GridName, alert.Title));
        Assert.NotNull((await Mine(phone)).Single(a => a.Id == alert.Id).DeliveredAt);

        using (var other = await web.ClientAs("police-2"))
        using (var refused = await other.PostAsync($"/api/alerts/{alert.Id}/acknowledge", null))
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using (var duty = await web.Http.PostAsync($"/api/alerts/{alert.Id}/acknowledge", null))
            Assert.Equal(HttpStatusCode.Forbidden, duty.StatusCode);

        using var signed = await phone.PostAsync($"/api/alerts/{alert.Id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var view = (await signed.Content.ReadFromJsonAsync<AlertView>(Json.Options))!;
        Assert.Equal(AlertState.Acknowledged, view.State);
        using (var again = await phone.PostAsync($"/api/alerts/{alert.Id}/acknowledge", null))
            Assert.Equal(view.AcknowledgedAt, (await again.Content.ReadFromJsonAsync<AlertView>(Json.Options))!.AcknowledgedAt);

        var audit = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?target={alert.Id}&action={AuditActions.AcknowledgeAlert}&limit=10", Json.Options))!;
        Assert.Equal("user:police-1", Assert.Single(audit).Actor);
        var timeline = (await web.Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/incidents/{incident}/timeline", Json.Options))!;
        Assert.Equal(["reported", "alerted", "alertAcknowledged"],
            timeline.Where(e => e.Kind == "reported" || e.Actor == "user:police-1").Select(e => e.Kind).ToArray());
        var listed = (await web.Http.GetFromJsonAsync<List<AlertView>>($"/api/alerts?jurisdiction={grid}&state=acknowledged", Json.Options))!;
        Assert.Contains(listed, a => a.Id == alert.Id && a.Name == police.DisplayName);
    }

    private static async Task<HttpResponseMessage> Act(HttpClient client, Guid incident, string action, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{incident}/{action}")
        {
            Content = JsonContent.Create(body ?? new { }, options: Json.Options),
        };
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        return await client.SendAsync(request);
    }

    /// <summary>Verifies, tickets and dispatches the case to the person, as the duty officer.</summary>
    private async Task DispatchTo(Guid incident, string workerId)
    {
        foreach (var (action, body) in new (string, object)[]
                 {
                     ("verify", new { }), ("ticket", new { handlingClass = "easy" }), ("dispatch", new { targetKind = "worker", target = workerId }),
                 })
        {
            using var response = await Act(web.Http, incident, action, body);
            Assert.True(response.IsSuccessStatusCode, $"{action}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task An_officer_takes_a_new_case_of_his_grid_from_its_alert_which_it_signs_and_nobody_takes_it_after_him()
    {
        var police = Demo("police-1");
        var grid = police.Jurisdictions[0];
        // The grid's own worker, with an account of their own: the one who comes second.
        var second = "take-" + Guid.NewGuid().ToString("N")[..8];
        var gridWorker = web.Directory.WorkersIn(grid).First(w => w.Id != police.WorkerId);
        using (var created = await web.Admin.PostAsJsonAsync("/api/accounts", new
               {
                   username = second, displayName = gridWorker.Name, role = "gridWorker", jurisdictions = new[] { grid }, workerId = gridWorker.Id,
                   password = WebFixture.Password,
               }))
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var incident = await Report(grid, "security", "商铺门前有人打架");
        using var phone = await web.ClientAs("police-1");
        var alert = (await Mine(phone)).Single(a => a.Incident == incident);

        using (var duty = await Act(web.Http, incident, "take"))
            Assert.Equal(HttpStatusCode.Forbidden, duty.StatusCode);
        using var taken = await Act(phone, incident, "take");
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var details = (await taken.Content.ReadFromJsonAsync<IncidentDetails>(Json.Options))!;
        Assert.Equal((IncidentStatus.Accepted, AssigneeKind.Worker, police.WorkerId, DeadlineStep.Handle),
            (details.Status, details.Assignee?.Kind, details.Assignee?.Id, details.Deadline?.Step));

        try
        {
            Assert.Equal(AlertState.Acknowledged, (await Mine(phone)).Single(a => a.Id == alert.Id).State);
            var me = (await phone.GetFromJsonAsync<WorkerView>($"/api/workers/{police.WorkerId}", Json.Options))!;
            Assert.Equal(DutyStatus.Busy, me.Status);
            Assert.Contains((await phone.GetFromJsonAsync<List<IncidentDetails>>("/api/incidents/mine", Json.Options))!, i => i.Id == incident);

            using (var other = await web.ClientAs(second))
            using (var late = await Act(other, incident, "take"))
                Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            var timeline = (await web.Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/incidents/{incident}/timeline", Json.Options))!;
            Assert.Equal(["reported", "alerted", "taken", "alertAcknowledged"],
                timeline.Where(e => e.Kind == "reported" || e.Actor == "user:police-1").Select(e => e.Kind).ToArray());
            var audit = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
                $"/api/audit?target={incident}&action={AuditActions.IncidentAction(IncidentAction.Take)}&limit=10", Json.Options))!;
            Assert.Equal("user:police-1", Assert.Single(audit).Actor);
        }
        finally
        {
            using var handled = await Act(phone, incident, "handle", new { note = "已到场劝离" });
            Assert.Equal(HttpStatusCode.OK, handled.StatusCode);
        }
    }

    [Fact]
    public async Task A_case_dispatched_to_someone_else_is_not_taken()
    {
        var worker = Demo("worker-1");
        var officer = Demo("police-2");
        var incident = await Report(officer.Jurisdictions[0], "sanitation", "广告牌松动");
        await DispatchTo(incident, worker.WorkerId!);

        using var phone = await web.ClientAs("police-2");
        using var refused = await Act(phone, incident, "take");

        await ProblemAssert.Is(refused, HttpStatusCode.Forbidden, "assignee");
        var details = (await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{incident}", Json.Options))!;
        Assert.Equal((IncidentStatus.Dispatched, worker.WorkerId), (details.Status, details.Assignee?.Id));
    }

    [Fact]
    public async Task A_person_dispatched_to_from_another_grid_is_nudged_on_their_own_grids_feed()
    {
        var worker = Demo("worker-1");
        var home = worker.Jurisdictions[0];
        var tree = web.Directory.Tree!;
        var elsewhere = tree.All.First(j => j.Level == Geography.JurisdictionLevel.Grid && j.Code != home).Code;
        var nudges = new ConcurrentBag<AlertNudge>();
        await using var wall = await web.ConnectWall("duty");
        wall.Connection.On<AlertNudge>("alertNudge", nudges.Add);
        await wall.Subscribe(home, await web.Head(home));

        var incident = await Report(elsewhere, "sanitation", "井盖缺失");
        await DispatchTo(incident, worker.WorkerId!);

        await Poll.Until(() => Task.FromResult(nudges.ToList()), heard => heard.Contains(new AlertNudge(home, worker.WorkerId!)),
            "the person's grid hears of the alert");
        using var phone = await web.ClientAs("worker-1");
        Assert.Contains(await Mine(phone), a => a.Incident == incident && a.Kind == AlertKind.Dispatched);
    }

    [Fact]
    public async Task A_dispatch_alerts_the_person_it_went_to()
    {
        var worker = Demo("worker-1");
        var incident = await Report(worker.Jurisdictions[0], "sanitation", "垃圾清运不及时");
        await DispatchTo(incident, worker.WorkerId!);

        using var phone = await web.ClientAs("worker-1");
        var alert = (await Mine(phone)).Single(a => a.Incident == incident);
        Assert.Equal((AlertKind.Dispatched, AlertState.Open), (alert.Kind, alert.State));
    }

    [Fact]
    public async Task An_officer_alerted_of_some_categories_only_is_not_alerted_of_the_others()
    {
        var police = Demo("police-2");
        using var phone = await web.ClientAs("police-2");
        using (var bad = await phone.PutAsJsonAsync("/api/alerts/categories", new { categories = new[] { "" } }, Json.Options))
            await ProblemAssert.Is(bad, HttpStatusCode.BadRequest, "categories[0]");
        using (var set = await phone.PutAsJsonAsync("/api/alerts/categories", new { categories = new[] { "security" } }, Json.Options))
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        try
        {
            var skipped = await Report(police.Jurisdictions[0], "sanitation", "私搭乱建影响市容");
            var alerted = await Report(police.Jurisdictions[0], "security", "出租屋人员登记不全");

            var mine = await Mine(phone);
            Assert.DoesNotContain(mine, a => a.Incident == skipped);
            Assert.Contains(mine, a => a.Incident == alerted);
            Assert.Equal(["security"], (await phone.GetFromJsonAsync<AlertCategoriesRequest>("/api/alerts/categories", Json.Options))!.Categories);
        }
        finally
        {
            using var reset = await phone.PutAsJsonAsync("/api/alerts/categories", new { categories = (string[]?)null }, Json.Options);
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }
    }

    [Fact]
    public async Task A_safety_alert_not_signed_in_three_minutes_goes_to_the_township_and_county_walls_once_and_the_others_wait()
    {
        var police = Demo("police-1");
        var tree = web.Directory.Tree!;
        var grid = police.Jurisdictions[0];
        var township = tree.PathToRoot(grid).Single(code => tree.Find(code)!.Level == Geography.JurisdictionLevel.Township);
        var heard = new ConcurrentBag<AlertsEscalated>();
        await using var wall = await web.ConnectWall("duty");
        wall.Connection.On<AlertsEscalated>("alertsEscalated", heard.Add);
        await wall.Subscribe(township, await web.Head(township));
        await wall.Subscribe(web.CountyCode, await web.Head(web.CountyCode));

        var safety = await Report(grid, "security", "夜间有可疑人员徘徊");
        var other = await Report(grid, "service", "独居老人需要上门帮扶");
        using var phone = await web.ClientAs("police-1");
        var alerts = (await Mine(phone)).Where(a => a.Incident == safety || a.Incident == other).ToDictionary(a => a.Incident);
        Assert.Equal(2, alerts.Count);

        web.AlertClock.Shift = TimeSpan.FromMinutes(4);
        // Where the sweep's activations are says more than a timeout when it is not sent up (it failed so twice in CI).
        var sweeps = (await web.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Where(a => a.GrainType.Contains(nameof(AlertSweepGrain), StringComparison.Ordinal)).ToList();
        var escalated = await Poll.Until(() => web.Http.GetFromJsonAsync<List<AlertView>>($"/api/alerts?jurisdiction={township}&state=escalated&limit=500", Json.Options)!,
            list => list!.Any(a => a.Id == alerts[safety].Id),
            $"the safety alert is sent up (alert sweep activations when the clock moved: {string.Join(", ", sweeps.Select(a => $"{a.GrainId} on {a.SiloAddress}"))})");
        Assert.DoesNotContain(escalated!, a => a.Id == alerts[other].Id);
        await Poll.Until(() => Task.FromResult(heard.Where(h => h.Alerts.Any(a => a.Id == alerts[safety].Id)).Select(h => h.Jurisdiction).Order().ToList()),
            areas => areas.SequenceEqual(new[] { web.CountyCode, township }.Order()), "the township's and the county's walls hear of it");
        await Task.Delay(WebFixture.AlertSweepInterval * 3);
        Assert.Equal(2, heard.Count(h => h.Alerts.Any(a => a.Id == alerts[safety].Id)));

        // Signed late, it is still signed; the timeline has it sent up, then signed.
        using var signed = await phone.PostAsync($"/api/alerts/{alerts[safety].Id}/acknowledge", null);
        Assert.Equal(AlertState.Acknowledged, (await signed.Content.ReadFromJsonAsync<AlertView>(Json.Options))!.State);
        var timeline = (await web.Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/incidents/{safety}/timeline", Json.Options))!;
        var mine = timeline.Where(e => e.Actor == "user:police-1").Select(e => e.Kind).ToArray();
        Assert.Equal(["alerted", "alertEscalated", "alertAcknowledged"], mine);

        using var badState = await web.Http.GetAsync($"/api/alerts?jurisdiction={township}&state=late");
        await ProblemAssert.Is(badState, HttpStatusCode.BadRequest, "state");
    }
}
