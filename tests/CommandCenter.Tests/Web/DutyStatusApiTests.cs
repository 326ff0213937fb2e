using System.Net;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Workers;

namespace CommandCenter.Tests.Web;

/// <summary>
/// People on the move over HTTP on the real stack: duty status from the phone and from the loop (audited), and the
/// position rules (late, duplicate and impossible positions dropped, lost contact, the geofence) with device times.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class DutyStatusApiTests(WebFixture web)
{
    private string WorkerId(string username) =>
        DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == username).WorkerId!;

    private async Task<WorkerView> View(string id) =>
        (await web.Http.GetFromJsonAsync<WorkerView>($"/api/workers/{id}", Json.Options))!;

    private static HttpRequestMessage SetStatus(object body) =>
        new(HttpMethod.Put, "/api/workers/me/status") { Content = JsonContent.Create(body, options: Json.Options) };

    private static HttpRequestMessage Action(Guid id, string action, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/{action}") { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        return request;
    }

    private async Task Do(string username, Guid id, string action, object body)
    {
        using var client = await web.ClientAs(username);
        using var response = await client.SendAsync(Action(id, action, body));
        Assert.True(response.IsSuccessStatusCode, $"{username} {action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task Positions(HttpClient phone, string id, params (double Lat, double Lng, DateTimeOffset At)[] positions)
    {
        foreach (var p in positions)
        {
            using var response = await phone.PostAsJsonAsync("/api/workers/positions", new[] { new { workerId = id, lat = p.Lat, lng = p.Lng, at = p.At } }, Json.Options);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_person_sets_their_own_status_the_loop_makes_them_busy_and_handling_frees_them()
    {
        var id = WorkerId("worker-2");
        using var phone = await web.ClientAs("worker-2");
        using (var patrol = await phone.SendAsync(SetStatus(new { status = "onPatrol" })))
        {
            Assert.Equal(HttpStatusCode.OK, patrol.StatusCode);
            Assert.Equal(DutyStatus.OnPatrol, (await patrol.Content.ReadFromJsonAsync<WorkerView>(Json.Options))!.Status);
        }
        using (var unknown = await phone.SendAsync(SetStatus(new { status = "asleep" })))
            await ProblemAssert.Is(unknown, HttpStatusCode.BadRequest, "status");
        using (var busy = await phone.SendAsync(SetStatus(new { status = "busy" })))
            await ProblemAssert.Is(busy, HttpStatusCode.Conflict, "status");
        using (var duty = await web.Http.SendAsync(SetStatus(new { status = "onDuty" })))
            Assert.Equal(HttpStatusCode.Forbidden, duty.StatusCode);

        var grid = web.Directory.Worker(id)!.GridCode;
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        using var report = Reports.Post(new { source = "hotline12345", category = "dispute", title = "邻里纠纷", description = "楼道占用", lat, lng, reporter = "李先生" });
        report.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        var incident = (await Reports.Created(await web.IntakeClient().SendAsync(report))).Id;
        await Do("duty", incident, "verify", new { });
        await Do("station-1", incident, "ticket", new { handlingClass = "easy" });
        await Do("duty", incident, "dispatch", new { targetKind = "worker", target = id });
        await Do("worker-2", incident, "accept", new { });
        var accepted = await View(id);
        Assert.Equal((DutyStatus.Busy, 1), (accepted.Status, accepted.OpenCases));
        using (var offDuty = await phone.SendAsync(SetStatus(new { status = "offDuty" })))
            await ProblemAssert.Is(offDuty, HttpStatusCode.Conflict, "status");

        await Do("worker-2", incident, "handle", new { note = "已调解" });
        var handled = await View(id);
        Assert.Equal((DutyStatus.OnPatrol, 0), (handled.Status, handled.OpenCases));

        var rows = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?actor=user:worker-2&action={AuditActions.SetDutyStatus}&limit=50", Json.Options))!;
        Assert.Contains(rows, r => r.Target == id && r.Detail!.EndsWith("→ onPatrol") && r.Outcome == AuditLog.Outcomes.Succeeded);
        Assert.DoesNotContain(rows, r => r.Detail!.EndsWith("→ busy") || r.Detail!.EndsWith("→ offDuty"));
    }

    [Fact]
    public async Task Late_duplicate_and_impossible_positions_are_dropped_and_an_old_one_is_lost_contact()
    {
        var id = WorkerId("worker-3");
        using var phone = await web.ClientAs("worker-3");
        using (await phone.SendAsync(SetStatus(new { status = "onDuty" }))) { }
        var (lat, lng) = web.Directory.Tree!.CenterOf(web.Directory.Worker(id)!.GridCode);
        var now = DateTimeOffset.UtcNow;

        await Positions(phone, id, (lat, lng, now.AddMinutes(-7)));
        var old = await View(id);
        Assert.True(old.LostContact, "a position 7 minutes old while on duty is lost contact");

        await Positions(phone, id, (lat + 0.001, lng, now.AddSeconds(-20)), (lat + 0.002, lng, now.AddSeconds(-30)), (lat + 0.5, lng, now.AddSeconds(-10)));
        var fresh = await View(id);
        Assert.False(fresh.LostContact);
        Assert.Equal((lat + 0.001, now.AddSeconds(-20)), (fresh.Position!.Latitude, fresh.Position.At));

        await Positions(phone, id, (lat + 0.001, lng, now));
        Assert.Equal(now, (await View(id)).Position!.At);

        var snapshot = (await web.Http.GetFromJsonAsync<FeedSnapshot>($"/api/feeds/{web.Directory.Worker(id)!.GridCode}/snapshot", Json.Options))!;
        Assert.Equal(300, snapshot.LostContactAfterSeconds);
        // Walls were told of the last move; standing still reaches them again only after UnmovedResendAfter (1 min).
        Assert.Contains(snapshot.Positions, p => p.WorkerId == id && p.Status == DutyStatus.OnDuty && p.At == now.AddSeconds(-20));

        using var future = await phone.PostAsJsonAsync("/api/workers/positions",
            new[] { new { workerId = id, lat, lng, at = now.AddMinutes(10) } }, Json.Options);
        await ProblemAssert.Is(future, HttpStatusCode.BadRequest, "[0].at");
    }

    [Fact]
    public async Task Staying_far_outside_the_grid_is_noted_and_so_is_coming_back()
    {
        var id = WorkerId("police-1");
        using var phone = await web.ClientAs("police-1");
        var grid = web.Directory.Tree!.Find(web.Directory.Worker(id)!.GridCode)!;
        var (lat, lng) = web.Directory.Tree.CenterOf(grid.Code);
        var away = grid.Geometry.EnvelopeInternal.MaxX + 0.03;
        var t = DateTimeOffset.UtcNow.AddMinutes(-30);

        await Positions(phone, id, (lat, lng, t), (lat, away, t.AddMinutes(5)), (lat + 0.001, away, t.AddMinutes(6)));
        var briefly = await View(id);
        Assert.False(briefly.OutsideGrid, "one minute outside is not yet noted");
        await Positions(phone, id, (lat + 0.002, away, t.AddMinutes(8)));
        var outside = await View(id);
        Assert.True(outside.OutsideGrid);
        Assert.Equal(new GridNote(GridNoteKind.LeftGrid, t.AddMinutes(8)), outside.Notes![^1]);

        await Positions(phone, id, (lat, lng, t.AddMinutes(15)));
        var back = await View(id);
        Assert.False(back.OutsideGrid);
        Assert.Equal(new GridNote(GridNoteKind.BackInGrid, t.AddMinutes(15)), back.Notes![^1]);
    }
}
