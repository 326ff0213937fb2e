using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Api;

namespace CommandCenter.Tests.Web;

/// <summary>The closed loop over HTTP on the real PostgreSQL, as the users who do each step.</summary>
[Collection(WebCollection.Name)]
public sealed class WorkflowApiTests(WebFixture web)
{
    private string WorkerId(string username) =>
        DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode))
            .Single(a => a.Username == username).WorkerId!;

    private string GridOf(string username) => web.Directory.Worker(WorkerId(username))!.GridCode;

    private async Task<CommandCenter.Web.Application.IncidentCreated> ReportIn(string grid, string category = "dispute",
        string title = "邻里因噪音发生争执", double offsetMeters = 0, HttpClient? client = null)
    {
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        using var request = Reports.Post(new
        {
            source = "hotline12345", category, title, description = "楼上夜间噪音", lat = lat + offsetMeters / 111_320, lng, reporter = "王女士 13812345678",
        });
        request.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        return await Reports.Created(await (client ?? web.IntakeClient()).SendAsync(request));
    }

    private static HttpRequestMessage ActionRequest(Guid id, string action, object? body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/{action}")
        {
            Content = body is null ? null : JsonContent.Create(body, options: Json.Options),
        };
        request.Headers.Add("Idempotency-Key", key ?? Reports.NewKey());
        return request;
    }

    private async Task<IncidentDetails> Do(string username, Guid id, string action, object? body = null, string? key = null)
    {
        using var client = await web.ClientAs(username);
        using var response = await client.SendAsync(ActionRequest(id, action, body, key));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{username} {action}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<IncidentDetails>(text, Json.Options)!;
    }

    private async Task<HttpResponseMessage> Try(string? username, Guid id, string action, object? body = null)
    {
        using var client = await web.ClientAs(username);
        return await client.SendAsync(ActionRequest(id, action, body));
    }

    private async Task<HttpResponseMessage> Rate(Guid id, string token, string rating, string? note = null)
    {
        using var anonymous = new HttpClient { BaseAddress = web.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/rate") { Content = JsonContent.Create(new { token, rating, note }) };
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        return await anonymous.SendAsync(request);
    }

    [Fact]
    public async Task One_incident_goes_round_the_whole_loop_as_the_right_users_with_its_timeline_feeds_and_audit()
    {
        var grid = GridOf("worker-1");
        var created = await ReportIn(grid);
        var id = created.Id;
        var token = created.RatingLink.Split("?t=")[1];
        Assert.Equal($"/rate/{id:N}?t={token}", created.RatingLink);

        var key = Reports.NewKey();
        var verified = await Do("duty", id, "verify", key: key);
        Assert.Equal(IncidentStatus.Verified, verified.Status);
        Assert.Equal(IncidentStatus.Verified, (await Do("duty", id, "verify", key: key)).Status); // a retry answers the same

        using (var again = await Try("duty", id, "verify"))
        {
            await ProblemAssert.Is(again, HttpStatusCode.Conflict, "action");
            using var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
            Assert.Equal("verified", problem.RootElement.GetProperty("incidentStatus").GetString());
            Assert.Equal(["escalate", "take", "ticket"], problem.RootElement.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()!).Order());
        }
        using (var reused = await (await web.ClientAs("duty")).SendAsync(ActionRequest(id, "ticket", new { }, key)))
            await ProblemAssert.Is(reused, HttpStatusCode.UnprocessableEntity, "Idempotency-Key");

        var ticketed = await Do("station-1", id, "ticket", new { handlingClass = "easy" });
        Assert.Equal(("easy", DeadlineStep.Ticket), (ticketed.HandlingClass, ticketed.Deadline!.Step));
        var dispatched = await Do("duty", id, "dispatch", new { targetKind = "worker", target = WorkerId("worker-1") });
        Assert.Equal((AssigneeKind.Worker, WorkerId("worker-1"), DeadlineStep.Accept),
            (dispatched.Assignee!.Kind, dispatched.Assignee.Id, dispatched.Deadline!.Step));

        // Only the assignee accepts: a department may handle cases, but not this one.
        using (var notYours = await Try("dept", id, "accept"))
            await ProblemAssert.Is(notYours, HttpStatusCode.Forbidden, "assignee");
        using (var noRole = await Try("worker-1", id, "assess", new { effective = true }))
            Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);

        Assert.Equal(IncidentStatus.Accepted, (await Do("worker-1", id, "accept")).Status);
        using (var noNote = await Try("worker-1", id, "handle", new { }))
            await ProblemAssert.Is(noNote, HttpStatusCode.BadRequest, "note");
        using var worker = await web.ClientAs("worker-1");
        using var upload = await worker.SendAsync(AttachmentsApiTests.Upload(id, TestImages.Png()));
        var photo = (await upload.Content.ReadFromJsonAsync<CommandCenter.Web.Application.AttachmentInfo>(Json.Options))!.Id;
        using (var foreign = await Try("worker-1", id, "handle", new { note = "调解", attachments = new[] { Guid.NewGuid() } }))
            await ProblemAssert.Is(foreign, HttpStatusCode.UnprocessableEntity, "attachments");
        Assert.Equal(IncidentStatus.Handled,
            (await Do("worker-1", id, "handle", new { note = "已上门调解,双方达成谅解", attachments = new[] { photo } })).Status);
        var fedBack = await Do("station-1", id, "feedback", new { note = "已调解,请您评价" });
        Assert.Equal((IncidentStatus.FedBack, "已调解,请您评价"), (fedBack.Status, fedBack.Feedback));

        using (var forged = await Rate(id, "AAAAAAAAAAAAAAAAAAAAAA", "satisfied"))
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        using (var reasonless = await Rate(id, token, "dissatisfied"))
            await ProblemAssert.Is(reasonless, HttpStatusCode.BadRequest, "note");
        using (var dissatisfied = await Rate(id, token, "dissatisfied", "晚上还是很吵"))
        {
            var reopened = (await dissatisfied.Content.ReadFromJsonAsync<IncidentDetails>(Json.Options))!;
            Assert.Equal((IncidentStatus.Accepted, 1, DeadlineStep.Handle), (reopened.Status, reopened.Reopens, reopened.Deadline!.Step));
            // Whoever holds the link is answered the case with its reporter masked.
            Assert.Equal("王女士 138****5678", reopened.Reporter);
        }
        using (var used = await Rate(id, token, "satisfied"))
            await ProblemAssert.Is(used, HttpStatusCode.Conflict, "token");
        await Do("worker-1", id, "handle", new { note = "加装隔音垫" });
        await Do("station-1", id, "feedback", new { note = "已加装隔音垫" });
        using (var satisfied = await Rate(id, token, "satisfied"))
            Assert.Equal(HttpStatusCode.OK, satisfied.StatusCode);
        var assessed = await Do("duty", id, "assess", new { effective = true });
        Assert.Equal((IncidentStatus.Assessed, new Assessment(true, true, true)), (assessed.Status, assessed.Assessment));

        var entries = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.TimelineEntry>>($"/api/incidents/{id}/timeline", Json.Options))!;
        // The dispatch to worker-1 alerted their phone (an alert's entry, not an event of the incident: sequence 0).
        var dispatchedAt = entries.FindIndex(e => e.Kind == "dispatched");
        Assert.Contains(entries.Skip(dispatchedAt + 1), e => e is { Kind: "alerted", Sequence: 0, Actor: "user:worker-1" });
        var timeline = entries.Where(e => e.Sequence > 0).ToList();
        Assert.Equal(
            ["reported", "verified", "ticketed", "dispatched", "accepted", "attached", "handled", "fedBack", "rated",
             "reopened", "handled", "fedBack", "rated", "assessed"],
            timeline.Select(e => e.Kind));
        Assert.Equal(
            [Caller.IntegrationId(WebFixture.IntakeName), "user:duty", "user:station-1", "user:duty",
             "user:worker-1", "user:worker-1", "user:worker-1", "user:station-1", $"citizen:{id:N}", "system"],
            timeline.Take(10).Select(e => e.Actor));
        Assert.Equal(photo, timeline[6].Data.GetProperty("attachments")[0].GetGuid());
        Assert.Equal("晚上还是很吵", timeline[8].Data.GetProperty("note").GetString());

        // The grid's feed and every ancestor's carry each change, in order, ending assessed.
        foreach (var code in created.Incident.Path)
        {
            var page = (await web.Http.GetFromJsonAsync<FeedPage>(
                $"/api/feeds/{code}?after={Math.Max(0, await web.Head(code) - WebFixture.MaxReplay)}&limit=1000", Json.Options))!;
            var mine = page.Entries.Where(e => e.Incident.Id == id).ToList();
            Assert.Equal(timeline.Count, mine.Count);
            Assert.Equal(FeedKinds.IncidentReported, mine[0].Kind);
            Assert.Equal(IncidentStatus.Assessed, mine[^1].Incident.Status);
        }

        var audit = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?target={id}&limit=100", Json.Options))!;
        foreach (var (actor, action) in new[] { ("user:duty", "incident.verify"), ("user:station-1", "incident.ticket"), ("user:duty", "incident.dispatch"),
                     ("user:worker-1", "incident.accept"), ("user:worker-1", "incident.handle"), ("user:station-1", "incident.feedback"),
                     ($"citizen:{id:N}", "incident.rate"), ("user:duty", "incident.assess") })
            Assert.Contains(audit, row => row.Actor == actor && row.Action == action);
        Assert.Contains(audit, row => row.Action == "incident.verify" && row.Outcome == AuditLog.Outcomes.Replayed);
    }

    [Fact]
    public async Task An_expired_rating_link_is_refused_with_410_and_its_page_says_so_and_a_used_one_with_409()
    {
        var (created, _) = await Reports.ResolvedOnTheSpot(web, "worker-3", "路灯不亮", "已更换灯泡");
        var (id, token) = (created.Id, created.RatingLink.Split("?t=")[1]);
        using var citizen = new HttpClient { BaseAddress = web.BaseAddress };

        web.RatingClock.Shift = TimeSpan.FromDays(30);
        try
        {
            using (var expired = await Rate(id, token, "satisfied"))
                await ProblemAssert.Is(expired, HttpStatusCode.Gone, "token");
            using var page = await citizen.GetAsync(created.RatingLink);
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            Assert.Contains("链接已过期", await page.Content.ReadAsStringAsync());
        }
        finally
        {
            web.RatingClock.Shift = TimeSpan.Zero;
        }

        using (var rated = await Rate(id, token, "neutral"))
            Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        using (var again = await Rate(id, token, "satisfied"))
            await ProblemAssert.Is(again, HttpStatusCode.Conflict, "token");
        using var used = await citizen.GetAsync(created.RatingLink);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Contains("您已评价", await used.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_grid_worker_closes_a_report_on_the_spot_and_it_leaves_the_open_count()
    {
        var grid = GridOf("worker-2");
        using var worker = await web.ClientAs("worker-2");
        var before = (await web.Http.GetFromJsonAsync<FeedSnapshot>($"/api/feeds/{grid}/snapshot", Json.Options))!.Counters;
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        var created = await Reports.Created(await worker.SendAsync(Reports.Post(
            new { source = "gridWorker", category = "sanitation", title = "垃圾清运不及时", lat, lng })));

        var resolved = await Do("worker-2", created.Id, "resolve", new { note = "已联系环卫清运完毕" });

        Assert.Equal((IncidentStatus.FedBack, "已联系环卫清运完毕"), (resolved.Status, resolved.Feedback));
        var after = (await web.Http.GetFromJsonAsync<FeedSnapshot>($"/api/feeds/{grid}/snapshot", Json.Options))!.Counters;
        Assert.Equal((before.Open, before.ClosedToday + 1, before.ReportedToday + 1), (after.Open, after.ClosedToday, after.ReportedToday));
    }

    [Fact]
    public async Task A_duplicate_is_proposed_merged_and_its_reporter_gets_the_cases_feedback()
    {
        var grid = GridOf("worker-3");
        var title = "路灯损坏存在治安隐患 " + Guid.NewGuid().ToString("N")[..6];
        var first = await ReportIn(grid, "security", title);
        var second = await ReportIn(grid, "security", title, offsetMeters: 120);
        var far = await ReportIn(grid, "security", title, offsetMeters: 400);

        var proposals = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.DuplicateProposal>>(
            $"/api/incidents/{second.Id}/duplicates", Json.Options))!;
        Assert.Contains(proposals, p => p.Incident.Id == first.Id && p.Meters is > 100 and < 140);
        Assert.DoesNotContain(proposals, p => p.Incident.Id == far.Id);

        using (var self = await Try("duty", second.Id, "merge", new { into = second.Id }))
            await ProblemAssert.Is(self, HttpStatusCode.UnprocessableEntity, "into");
        var merged = await Do("duty", second.Id, "merge", new { into = first.Id });
        Assert.Equal((IncidentStatus.Merged, first.Id), (merged.Status, merged.MergedInto));
        Assert.Contains(second.Id, (await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{first.Id}", Json.Options))!.Duplicates);

        using (var notGrid = await Try("duty", first.Id, "resolve", new { note = "已更换灯泡" }))
            Assert.Equal(HttpStatusCode.Forbidden, notGrid.StatusCode); // closing on the spot is for grid people
        await Do("duty", first.Id, "verify");
        await Do("duty", first.Id, "ticket");
        await Do("duty", first.Id, "dispatch", new { targetKind = "worker", target = WorkerId("worker-3") });
        await Do("worker-3", first.Id, "accept");
        await Do("worker-3", first.Id, "handle", new { note = "已更换灯泡" });
        await Do("duty", first.Id, "feedback", new { note = "路灯已修复" });

        var duplicate = (await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{second.Id}", Json.Options))!;
        Assert.Equal((IncidentStatus.Merged, "路灯已修复"), (duplicate.Status, duplicate.Feedback));
    }

    [Fact]
    public async Task A_village_escalates_by_hand_and_the_grid_chief_can_no_longer_dispatch()
    {
        var chiefGrid = GridOf("chief-1");
        var created = await ReportIn(chiefGrid);
        var path = created.Incident.Path;

        var escalated = await Do("chief-1", created.Id, "escalate", new { note = "涉及多户,网格无法处理" });
        Assert.Equal((IncidentStatus.Ticketed, path[1]), (escalated.Status, escalated.Level));

        using (var chief = await Try("chief-1", created.Id, "dispatch", new { targetKind = "jurisdiction", target = chiefGrid }))
            await ProblemAssert.Is(chief, HttpStatusCode.Forbidden, "level");
        var toDepartment = await Do("duty", created.Id, "dispatch", new { targetKind = "department", target = "dept" });
        Assert.Equal((AssigneeKind.Department, path[^1]), (toDepartment.Assignee!.Kind, toDepartment.Level));
        Assert.Equal(IncidentStatus.Accepted, (await Do("dept", created.Id, "accept")).Status);

        var mine = (await (await web.ClientAs("dept")).GetFromJsonAsync<List<IncidentDetails>>("/api/incidents/mine", Json.Options))!;
        Assert.Contains(mine, i => i.Id == created.Id);
        var listed = (await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={path[1]}&status=accepted", Json.Options))!;
        Assert.Contains(listed, i => i.Id == created.Id);
        Assert.All(listed, i => Assert.Equal(IncidentStatus.Accepted, i.Status));
        using var badFilter = await web.Http.GetAsync($"/api/incidents?jurisdiction={path[1]}&status=lost");
        await ProblemAssert.Is(badFilter, HttpStatusCode.BadRequest, "status");
    }
    [Fact]
    public async Task A_case_rated_dissatisfied_is_among_the_periods_notable_cases_listed_exported_and_reported()
    {
        var title = $"重点案件测试 {Guid.NewGuid():N}";
        var rated = await Reports.RatedDissatisfied(web, "worker-2", title);
        var (id, grid) = (rated.Id, rated.GridCode);
        var today = ChinaTime.Day(DateTimeOffset.UtcNow);
        var period = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        var township = rated.Path[1];

        async Task<List<IncidentDetails>> Notable(string kind) =>
            (await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={township}&notable={kind}&{period}&limit=500", Json.Options))!;
        Assert.Contains(await Notable("dissatisfied"), i => i.Id == id);
        Assert.Contains(await Notable("reopened"), i => i.Id == id);
        Assert.DoesNotContain(await Notable("supervised"), i => i.Id == id);
        var before = $"from={today.AddDays(-30):yyyy-MM-dd}&to={today.AddDays(-2):yyyy-MM-dd}";
        Assert.DoesNotContain((await web.Http.GetFromJsonAsync<List<IncidentDetails>>(
            $"/api/incidents?jurisdiction={township}&notable=dissatisfied&{before}", Json.Options))!, i => i.Id == id);

        using var export = await web.Http.GetAsync($"/api/incidents/export.xlsx?jurisdiction={township}&notable=dissatisfied&{period}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(CommandCenter.Web.Application.ReportExport.ContentType, export.Content.Headers.ContentType!.MediaType);
        using (var book = new MemoryStream(await export.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(["事件", "筛选条件"], MiniExcelLibs.MiniExcel.GetSheetNames(book));
            var rows = MiniExcelLibs.MiniExcel.Query(book, useHeaderRow: true, sheetName: "事件").Cast<IDictionary<string, object>>().ToList();
            var row = Assert.Single(rows, r => (string)r["标题"] == title);
            Assert.DoesNotContain("重点类型", row.Keys);
            Assert.Equal(("市政设施", "网格员上报", IncidentNames.Of(IncidentStatus.Accepted), "不满意", web.Directory.Tree!.NameOf(grid)),
                ((string)row["类别"], (string)row["来源"], (string)row["状态"], (string)row["评价"], (string)row["网格"]));
            Assert.IsType<DateTime>(row["上报时间"]);
            Assert.Equal(1, Convert.ToInt32(row["重新办理次数"]));
            var conditions = MiniExcelLibs.MiniExcel.Query(book, useHeaderRow: true, sheetName: "筛选条件").Cast<IDictionary<string, object>>()
                .ToDictionary(r => (string)r["项目"], r => r["内容"]?.ToString());
            Assert.Equal(web.Directory.Tree.NameOf(township), conditions["辖区"]);
            Assert.StartsWith("不满意(", conditions["重点"]);
            Assert.Equal(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), conditions["条数"]);
        }

        using var report = await web.Http.GetAsync($"/api/reports/{township}/daily.xlsx?date={today:yyyy-MM-dd}");
        using (var book = new MemoryStream(await report.Content.ReadAsByteArrayAsync()))
        {
            var cases = MiniExcelLibs.MiniExcel.Query(book, useHeaderRow: true, sheetName: "重点案件").Cast<IDictionary<string, object>>()
                .Where(r => (string)r["标题"] == title).Select(r => (string)r["重点类型"]).Order().ToList();
            Assert.Equal(["不满意", "重新办理"], cases);
        }
    }

    [Theory]
    [InlineData("notable=dissatisfied&to=2026-12-07", "from")]
    [InlineData("notable=dissatisfied&from=2026-12-07", "to")]
    [InlineData("notable=lost&from=2026-12-01&to=2026-12-07", "notable")]
    [InlineData("from=2026-12-01&to=2026-12-07", "notable")]
    [InlineData("notable=reopened&from=2026-12-07&to=2026-12-01", "to")]
    [InlineData("notable=reopened&from=2026-12-32&to=2026-12-01", "from")]
    public async Task A_notable_list_without_its_period_or_with_a_wrong_word_is_a_400_naming_the_field(string query, string field)
    {
        foreach (var path in new[] { "/api/incidents", "/api/incidents/export.xlsx" })
        {
            using var response = await web.Http.GetAsync($"{path}?jurisdiction={web.CountyCode}&{query}");
            await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
        }
    }
}
