using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using CommandCenter.Web.Application;
using CommandCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Tests.Command;

/// <summary>
/// The shared view of a command session (领屏/跟随) on the real stack: a follower gets the leader's views and markup
/// in order and the last view when it joins late, nothing of another session's view; only the leader shares a view;
/// a station from outside the session's area sees what the session shares and nothing else of the area; audited; bad input.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CommandViewTests(WebFixture web)
{
    private JurisdictionTree Tree => web.Directory.Tree!;

    private IReadOnlyList<Jurisdiction> Townships => Tree.ChildrenOf(Tree.Root.Code);

    private static MapView View(int i) => new(36.5 + i * 0.001, 104.1 + i * 0.001, 12 + i % 4, ["incidents", "cameras"]);

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: Json.Options);
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        return await client.SendAsync(request);
    }

    private static async Task<T> Ok<T>(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var response = await Send(client, method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {text}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, Json.Options)!;
    }

    private async Task<SessionView> Open(HttpClient commander, string area, params string[] participants) =>
        await Ok<SessionView>(commander, HttpMethod.Post, "/api/command-sessions",
            new { title = "共享视图测试", area, level = "large", participants });

    private async Task<Guid> Incident(string area, string title)
    {
        var grid = Tree.All.First(j => j.Level == JurisdictionLevel.Grid && Tree.IsWithin(j.Code, area)).Code;
        var (lat, lng) = Tree.CenterOf(grid);
        using var report = await web.Http.SendAsync(Reports.Post(new
        {
            source = "gridWorker", category = "security", title, description = "共享视图测试", lat, lng, reporter = "李先生",
        }));
        return (await Reports.Created(report)).Id;
    }

    [Fact]
    public async Task A_follower_gets_the_leaders_views_and_markup_in_order_and_one_joining_late_gets_the_last_view_at_once()
    {
        var (township, other) = (Townships[0].Code, Townships[1].Code);
        using var commander = await web.ClientAs("commander");
        var session = await Open(commander, township, township, other);
        var elsewhere = await Open(commander, township, township);

        await using var follower = await web.ConnectWall("station-2");
        var views = new ConcurrentQueue<LedView>();
        var entries = new ConcurrentQueue<SessionLogEntry>();
        follower.Connection.On<LedView>("sessionView", views.Enqueue);
        follower.Connection.On<SessionLogEntry[]>("sessionEntries", page => { foreach (var e in page) entries.Enqueue(e); });
        Assert.Null((await follower.Connection.InvokeAsync<SessionJoined>("JoinSession", session.Id, 0L)).View);

        // Only the one who leads shares a view: not the commander before taking the lead, not a participant.
        await using var leaderWall = await web.ConnectWall("commander");
        var early = await Assert.ThrowsAsync<HubException>(() => leaderWall.Connection.InvokeAsync<long>("ShareView", session.Id, View(0)));
        Assert.Contains("领屏", early.Message);
        var led = await Ok<SessionView>(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/lead");
        Assert.Equal("user:commander", led.Leader);
        var versions = new List<long>();
        for (var i = 0; i < 20; i++)
            versions.Add(await leaderWall.Connection.InvokeAsync<long>("ShareView", session.Id, View(i)));
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        var cordon = await Ok<MarkupView>(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/markup",
            new { kind = "polygon", points = new[] { new[] { 36.5, 104.1 }, new[] { 36.51, 104.12 }, new[] { 36.49, 104.13 } }, label = "封控区" });
        versions.Add(await leaderWall.Connection.InvokeAsync<long>("ShareView", session.Id, View(20)));

        await Poll.Until(() => Task.FromResult(views.Count), n => n >= 21, "every view");
        Assert.Equal(versions, views.Select(v => v.Version));
        Assert.All(views, v => Assert.Equal((session.Id, "user:commander"), (v.Session, v.Leader)));
        Assert.Equal(View(20).Zoom, views.Last().View.Zoom);
        await Poll.Until(() => Task.FromResult(entries.Count), n => n >= 3, "the lead and the markup in the log");
        Assert.Equal([SessionLogKinds.Opened, SessionLogKinds.Led, SessionLogKinds.MarkupDrawn], entries.Select(e => e.Kind));
        Assert.Contains(cordon.Id.ToString(), entries.Last().Data);

        // A wall joining later is shown the last view at once, and the markup comes with the log.
        await using var late = await web.ConnectWall("station-1");
        var joined = await late.Connection.InvokeAsync<SessionJoined>("JoinSession", session.Id, 0L);
        Assert.Equal((versions[^1], View(20).Lat), (joined.View!.Version, joined.View.View.Lat));
        var shared = await Ok<SessionShared>(await web.ClientAs("station-2"), HttpMethod.Get, $"/api/command-sessions/{session.Id}/shared");
        Assert.Equal((cordon.Id, "封控区", 3), (Assert.Single(shared.Markup).Id, shared.Markup[0].Label, shared.Markup[0].Points.Count));
        Assert.Equal((versions[^1], "user:commander"), (shared.View!.Version, shared.Leader));

        // A wall of another session hears nothing of this one's views; the view is pushed to this session's followers only.
        await using var another = await web.ConnectWall("station-1");
        var otherViews = new ConcurrentQueue<LedView>();
        another.Connection.On<LedView>("sessionView", otherViews.Enqueue);
        await another.Connection.InvokeAsync<SessionJoined>("JoinSession", elsewhere.Id, 0L);
        var last = await leaderWall.Connection.InvokeAsync<long>("ShareView", session.Id, View(21));
        await Poll.Until(() => Task.FromResult(views.Count), n => n >= 22, "the view after");
        Assert.Equal(last, views.Last().Version);
        Assert.Empty(otherViews);

        // Another commander takes the lead over: the first one no longer shares; released, nobody does.
        using var duty = await web.ClientAs("duty");
        Assert.Equal("user:duty", (await Ok<SessionView>(duty, HttpMethod.Post, $"/api/command-sessions/{session.Id}/lead")).Leader);
        await Assert.ThrowsAsync<HubException>(() => leaderWall.Connection.InvokeAsync<long>("ShareView", session.Id, View(22)));
        Assert.Null((await Ok<SessionView>(commander, HttpMethod.Delete, $"/api/command-sessions/{session.Id}/lead")).Leader);
        await Poll.Until(() => Task.FromResult(entries.Count), n => n >= 5, "the take-over and the release");
        Assert.Equal([SessionLogKinds.Led, SessionLogKinds.Released], entries.Skip(3).Select(e => e.Kind));
        var audit = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?target={session.Id}&limit=50", Json.Options))!;
        Assert.Equal([AuditActions.OpenCommandSession, AuditActions.LeadCommandView, AuditActions.DrawMarkup, AuditActions.LeadCommandView,
            AuditActions.ReleaseCommandView], audit.OrderBy(a => a.Id).Select(a => a.Action));
    }

    [Fact]
    public async Task A_station_from_outside_the_area_sees_what_the_session_shares_and_nothing_else_of_the_area()
    {
        var (township, other) = (Townships[0].Code, Townships[1].Code);
        var about = await Incident(township, "河道堤防出现管涌");
        var notShared = await Incident(township, "未共享的事件");
        var camerasHere = web.Directory.CamerasIn(township);
        var (camera, hiddenCamera) = (camerasHere[0], camerasHere[1]);
        using var commander = await web.ClientAs("commander");
        var session = await Ok<SessionView>(commander, HttpMethod.Post, "/api/command-sessions",
            new { title = "防汛抢险", incident = about, area = township, level = "major", participants = new[] { township, other } });
        using var neighbour = await web.ClientAs("station-2");

        var before = await Ok<SessionShared>(neighbour, HttpMethod.Get, $"/api/command-sessions/{session.Id}/shared");
        Assert.Equal([about], before.Incidents.Select(i => i.Id));
        Assert.Equal("河道堤防出现管涌", before.Incidents[0].Title);
        Assert.Empty(before.Cameras);
        Assert.Equal((township, Townships[0].Name), (before.Area.Code, before.Area.Name));
        Assert.NotEmpty(before.Area.Rings);
        Assert.True(before.Area.Bounds[0] < before.Area.Bounds[2] && before.Area.Bounds[1] < before.Area.Bounds[3]);

        var shared = await Ok<SessionShared>(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/share",
            new { cameras = new[] { camera.Id, camera.Id } });
        Assert.Equal([camera.Id], shared.Cameras.Select(c => c.Id));
        var seen = await Ok<SessionShared>(neighbour, HttpMethod.Get, $"/api/command-sessions/{session.Id}/shared");
        Assert.Equal((camera.Id, camera.Name), (Assert.Single(seen.Cameras).Id, seen.Cameras[0].Name));
        // Sharing again what is shared already changes nothing (no entry).
        await Ok<SessionShared>(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/share", new { cameras = new[] { camera.Id } });
        var log = await Ok<SessionLogPage>(commander, HttpMethod.Get, $"/api/command-sessions/{session.Id}/log");
        Assert.Equal([SessionLogKinds.Opened, SessionLogKinds.Shared], log.Entries.Select(e => e.Kind));
        Assert.Single((await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?target={session.Id}&action={AuditActions.ShareWithSession}", Json.Options))!);

        // Through the session: the shared camera's frame; not the other camera, not the area's incidents, not its feed.
        using (var frame = await neighbour.GetAsync($"/api/command-sessions/{session.Id}/cameras/{camera.Id}/snapshot"))
            Assert.DoesNotContain("in a command session of yours", await frame.Content.ReadAsStringAsync());
        using (var hidden = await neighbour.GetAsync($"/api/command-sessions/{session.Id}/cameras/{hiddenCamera.Id}/snapshot"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Contains("in a command session of yours", await hidden.Content.ReadAsStringAsync());
        }
        using (var direct = await neighbour.GetAsync($"/api/cameras/{camera.Id}/snapshot"))
            Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        foreach (var incident in new[] { about, notShared })
        {
            using var details = await neighbour.GetAsync($"/api/incidents/{incident}");
            Assert.Equal(HttpStatusCode.NotFound, details.StatusCode);
        }
        await using var wall = await web.ConnectWall("station-2");
        await Assert.ThrowsAsync<HubException>(() => wall.Subscribe(township, 0));
        // Sharing is for those who command the area: not the neighbour (nor its cameras into this session's area).
        using (var refused = await Send(neighbour, HttpMethod.Post, $"/api/command-sessions/{session.Id}/share", new { incidents = new[] { notShared } }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // A township that does not take part sees none of it.
        using var stranger = await web.ClientAs("station-3");
        using (var none = await stranger.GetAsync($"/api/command-sessions/{session.Id}/shared"))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        using (var noFrame = await stranger.GetAsync($"/api/command-sessions/{session.Id}/cameras/{camera.Id}/snapshot"))
            Assert.Equal(HttpStatusCode.NotFound, noFrame.StatusCode);
    }

    [Fact]
    public async Task Bad_views_and_markup_are_refused_naming_the_field_and_a_closed_session_takes_none()
    {
        var township = Townships[0].Code;
        using var commander = await web.ClientAs("commander");
        var session = await Open(commander, township, township);
        await Ok<SessionView>(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/lead");
        await using var wall = await web.ConnectWall("commander");

        var bad = await Assert.ThrowsAsync<HubException>(() => wall.Connection.InvokeAsync<long>("ShareView", session.Id,
            new MapView(95, 104, 13, ["incidents", "<img src=x>"])));
        Assert.Contains("lat:", bad.Message);
        Assert.Contains("layers:", bad.Message);
        var unknownArea = await Assert.ThrowsAsync<HubException>(() => wall.Connection.InvokeAsync<long>("ShareView", session.Id,
            View(1) with { Highlight = "no-such-area" }));
        Assert.Contains("highlight:", unknownArea.Message);

        var path = $"/api/command-sessions/{session.Id}/markup";
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { kind = "circle", points = new[] { new[] { 36.5, 104.1 } }, label = "无半径" }, "radius"),
                     (new { kind = "line", points = new[] { new[] { 36.5, 104.1 } }, label = "一个点" }, "points"),
                     (new { kind = "line", points = new object[] { new[] { 36.5, 104.1 }, "x" }, label = "坏点" }, "points[1]"),
                     (new { kind = "star", points = new[] { new[] { 36.5, 104.1 } }, label = "未知" }, "kind"),
                     (new { kind = "line", points = new[] { new[] { 36.5, 104.1 }, new[] { 36.6, 104.2 } }, label = "" }, "label"),
                 })
        {
            using var response = await Send(commander, HttpMethod.Post, path, body);
            await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
        }
        using (var unknown = await Send(commander, HttpMethod.Delete, $"{path}/{Guid.NewGuid()}"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var markup = await Ok<MarkupView>(commander, HttpMethod.Post, path,
            new { kind = "line", points = new[] { new[] { 36.5, 104.1 }, new[] { 36.6, 104.2 } }, label = "疏散路线<script>" });
        Assert.Equal("疏散路线<script>", (await Ok<MarkupView>(commander, HttpMethod.Delete, $"{path}/{markup.Id}")).Label);
        Assert.Empty((await Ok<SessionShared>(commander, HttpMethod.Get, $"/api/command-sessions/{session.Id}/shared")).Markup);

        await Ok<SessionView>(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/close", new { summary = "结束" });
        await Assert.ThrowsAsync<HubException>(() => wall.Connection.InvokeAsync<long>("ShareView", session.Id, View(2)));
        using (var closed = await Send(commander, HttpMethod.Post, path, new { kind = "line", points = new[] { new[] { 36.5, 104.1 }, new[] { 36.6, 104.2 } }, label = "晚了" }))
            await ProblemAssert.Is(closed, HttpStatusCode.Conflict, "session");
        using (var lead = await Send(commander, HttpMethod.Post, $"/api/command-sessions/{session.Id}/lead"))
            await ProblemAssert.Is(lead, HttpStatusCode.Conflict, "session");
    }
}
