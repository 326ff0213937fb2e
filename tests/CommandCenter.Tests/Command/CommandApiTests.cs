using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace CommandCenter.Tests.Command;

/// <summary>
/// Remote emergency command on the real stack: a whole session (open → 领屏 and markup → instructions → delivered → 签收 → 回执 → close)
/// with its gapless log and its audit rows, retries with the same key, who follows a session and what a participant
/// from another township sees, a broadcast to the county with its deadlines on the command clock, and bad input.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CommandApiTests(WebFixture web) : IDisposable
{
    public void Dispose() => web.CommandClock.Shift = TimeSpan.Zero;

    private JurisdictionTree Tree => web.Directory.Tree!;

    private IReadOnlyList<Jurisdiction> Townships => Tree.ChildrenOf(Tree.Root.Code);

    /// <summary>The demo's first village (the account village-1), in the first township (station-1).</summary>
    private string Village => Tree.ChildrenOf(Townships[0].Code)[0].Code;

    private static HttpRequestMessage PostJson(string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json.Options) };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<T> Ok<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json.Options)!;
    }

    private async Task<T> Send<T>(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
            return await Ok<T>(response);
    }

    private async Task<Guid> Incident(string area)
    {
        var grid = Tree.All.First(j => j.Level == JurisdictionLevel.Grid && Tree.IsWithin(j.Code, area)).Code;
        var (lat, lng) = Tree.CenterOf(grid);
        using var report = await web.Http.SendAsync(Reports.Post(new
        {
            source = "gridWorker", category = "security", title = "集市人群聚集发生冲突", description = "应急指挥测试", lat, lng, reporter = "王女士",
        }));
        return (await Reports.Created(report)).Id;
    }

    private static async Task<long> Count(string sql, params object[] values)
    {
        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand(sql);
        foreach (var value in values)
            cmd.Parameters.Add(new() { Value = value });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<List<AuditEntry>> Audit(string actor, string action) =>
        (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?actor=user:{actor}&action={action}&limit=500", Json.Options))!;

    [Fact]
    public async Task A_whole_session_is_logged_without_a_gap_audited_and_each_station_sees_its_own_part()
    {
        var (township, other) = (Townships[0].Code, Townships[1].Code);
        var incident = await Incident(township);
        using var commander = await web.ClientAs("commander");
        using var station = await web.ClientAs("station-1");
        using var village = await web.ClientAs("village-1");
        using var neighbour = await web.ClientAs("station-2");
        using var stranger = await web.ClientAs("station-3");
        var key = Reports.NewKey();
        var open = new { title = "集市冲突应急处置", incident, area = township, level = "large", participants = new[] { township, Village, other } };

        var session = await Send<SessionView>(commander, PostJson("/api/command-sessions", open, key));
        Assert.Equal(("集市冲突应急处置", township, Townships[0].Name, CommandLevel.Large, true, 1L),
            (session.Title, session.Area, session.AreaName, session.Level, session.Open, session.Head));
        Assert.Equal([incident], session.Incidents);
        Assert.Equal([Townships[0].Name, Tree.NameOf(Village), Townships[1].Name], session.Participants.Select(p => p.Name));
        Assert.Equal(session.Id, (await Send<SessionView>(commander, PostJson("/api/command-sessions", open, key))).Id);
        Assert.Equal(1, await Count("SELECT count(*) FROM cc_command_log WHERE session_id = $1", session.Id));

        // The neighbouring township takes part from outside the area; a township that does not take part never learns of it.
        Assert.Equal(session.Id, (await neighbour.GetFromJsonAsync<SessionBoard>($"/api/command-sessions/{session.Id}", Json.Options))!.Session.Id);
        Assert.Contains((await neighbour.GetFromJsonAsync<List<SessionView>>("/api/command-sessions?open=true", Json.Options))!, s => s.Id == session.Id);
        using (var hidden = await stranger.GetAsync($"/api/command-sessions/{session.Id}"))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.DoesNotContain((await stranger.GetFromJsonAsync<List<SessionView>>("/api/command-sessions", Json.Options))!, s => s.Id == session.Id);

        // The commander leads the shared view (领屏) and draws a cordon on it.
        var led = await Send<SessionView>(commander, PostJson($"/api/command-sessions/{session.Id}/lead", new { }));
        Assert.Equal(("user:commander", 2L), (led.Leader, led.Head));
        var cordon = await Send<MarkupView>(commander, PostJson($"/api/command-sessions/{session.Id}/markup",
            new { kind = "circle", points = new[] { new[] { 36.55, 104.17 } }, radius = 300, label = "警戒区" }, Reports.NewKey()));
        Assert.Equal((MarkupKind.Circle, 300.0, "警戒区"), (cordon.Kind, cordon.Radius, cordon.Label));

        // An instruction without recipients goes to the participants; the same key again is the same instruction.
        var order = new { text = "立即组织力量疏散集市人群，划定警戒区", ackWithin = 5, reportWithin = 30 };
        var orderKey = Reports.NewKey();
        var issued = await Send<InstructionView>(commander, PostJson($"/api/command-sessions/{session.Id}/instructions", order, orderKey));
        Assert.Equal([township, Village, other], issued.Recipients.Select(r => r.Code));
        Assert.All(issued.Recipients, r => Assert.Equal(RecipientState.Issued, r.State));
        Assert.Equal(issued.Id, (await Send<InstructionView>(commander, PostJson($"/api/command-sessions/{session.Id}/instructions", order, orderKey))).Id);
        Assert.Equal(3, await Count("SELECT count(*) FROM cc_instruction_recipient WHERE instruction_id = $1", issued.Id));

        // The township station's client receives it (delivered), signs; the village reports back done (which signs for it).
        var mine = (await station.GetFromJsonAsync<List<InstructionView>>("/api/instructions/mine", Json.Options))!.Single(i => i.Id == issued.Id);
        Assert.Equal(RecipientState.Delivered, Assert.Single(mine.Recipients).State);
        var signed = await Send<InstructionView>(station, PostJson($"/api/instructions/{issued.Id}/sign", new { }));
        var own = Assert.Single(signed.Recipients);
        Assert.Equal((township, RecipientState.Signed, false, $"{Townships[0].Name}综治中心"), (own.Code, own.State, own.SignMissed, own.SignedByName));
        Assert.Equal(own.SignedAt, Assert.Single((await Send<InstructionView>(station, PostJson($"/api/instructions/{issued.Id}/sign", new { }))).Recipients).SignedAt);
        var reportKey = Reports.NewKey();
        var report = new { text = "已疏散群众约300人，警戒区已设立", lat = 36.55, lng = 104.17, done = true };
        var reported = await Send<InstructionReportView>(village, PostJson($"/api/instructions/{issued.Id}/report", report, reportKey));
        Assert.Equal((Village, true, "已疏散群众约300人，警戒区已设立"), (reported.Recipient, reported.Done, reported.Text));
        Assert.Equal(reported.Id, (await Send<InstructionReportView>(village, PostJson($"/api/instructions/{issued.Id}/report", report, reportKey))).Id);
        Assert.Equal(1, await Count("SELECT count(*) FROM cc_instruction_report WHERE instruction_id = $1", issued.Id));

        // The commander's board has every recipient; the neighbour sees only its own.
        var board = (await commander.GetFromJsonAsync<SessionBoard>($"/api/command-sessions/{session.Id}", Json.Options))!;
        var onBoard = Assert.Single(board.Instructions);
        Assert.Equal([RecipientState.Signed, RecipientState.Done, RecipientState.Issued], onBoard.Recipients.Select(r => r.State));
        Assert.Equal(new InstructionTally(3, 2, 2, 1, 1, 0, 0), onBoard.Tally);
        Assert.NotNull(onBoard.Recipients[1].SecondsToReport);
        var theirs = (await neighbour.GetFromJsonAsync<SessionBoard>($"/api/command-sessions/{session.Id}", Json.Options))!;
        Assert.Equal([other], Assert.Single(theirs.Instructions).Recipients.Select(r => r.Code));
        using (var notTheirs = await neighbour.SendAsync(PostJson($"/api/instructions/{issued.Id}/sign", new { recipient = township })))
            await ProblemAssert.Is(notTheirs, HttpStatusCode.BadRequest, "recipient");
        using (var notAStation = await stranger.SendAsync(PostJson($"/api/instructions/{issued.Id}/sign", new { })))
            Assert.Equal(HttpStatusCode.NotFound, notAStation.StatusCode);

        // Closed with a summary; nothing more is issued in it; the log is every step, numbered without a gap.
        var closed = await Send<SessionView>(commander, PostJson($"/api/command-sessions/{session.Id}/close", new { summary = "人群已疏散，无人员伤亡" }));
        Assert.Equal((false, "人群已疏散，无人员伤亡"), (closed.Open, closed.Summary));
        using (var late = await commander.SendAsync(PostJson($"/api/command-sessions/{session.Id}/instructions", order, Reports.NewKey())))
            await ProblemAssert.Is(late, HttpStatusCode.Conflict, "session");
        var log = (await commander.GetFromJsonAsync<SessionLogPage>($"/api/command-sessions/{session.Id}/log", Json.Options))!;
        Assert.Equal([SessionLogKinds.Opened, SessionLogKinds.Led, SessionLogKinds.MarkupDrawn, SessionLogKinds.InstructionIssued,
            SessionLogKinds.InstructionSigned, SessionLogKinds.InstructionReported, SessionLogKinds.Closed], log.Entries.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), log.Entries.Select(e => e.Sequence));
        Assert.Equal(7, log.Head);
        Assert.Equal([6L, 7L], (await neighbour.GetFromJsonAsync<SessionLogPage>($"/api/command-sessions/{session.Id}/log?after=5", Json.Options))!
            .Entries.Select(e => e.Sequence));
        Assert.Null((await commander.GetFromJsonAsync<SessionShared>($"/api/command-sessions/{session.Id}/shared", Json.Options))!.Leader);

        // The log exported as CSV: every entry in order, by name, Chinese words; for those who follow the session only.
        using (var export = await neighbour.GetAsync($"/api/command-sessions/{session.Id}/log.csv"))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
            var bytes = await export.Content.ReadAsByteArrayAsync();
            Assert.Equal(System.Text.Encoding.UTF8.GetPreamble(), bytes[..3]);
            var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("\"序号\",\"时间\",\"事项\",\"操作人\",\"站点\",\"内容\"", lines[0]);
            Assert.Equal(8, lines.Length);
            Assert.StartsWith("\"1\",", lines[1]);
            Assert.Contains("\"开启指挥\"", lines[1]);
            Assert.Contains("\"领屏\"", lines[2]);
            Assert.Contains("\"警戒区\"", lines[3]);
            Assert.Contains($"\"{Tree.NameOf(Village)}\",\"已疏散群众约300人，警戒区已设立\"", lines[6]);
            Assert.Contains("\"人群已疏散，无人员伤亡\"", lines[7]);
        }
        using (var notTheirs = await stranger.GetAsync($"/api/command-sessions/{session.Id}/log.csv"))
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);

        Assert.Single(await Audit("commander", AuditActions.OpenCommandSession), a => a.Target == session.Id.ToString());
        Assert.Single(await Audit("commander", AuditActions.IssueInstruction), a => a.Target == issued.Id.ToString());
        Assert.Single(await Audit("station-1", AuditActions.SignInstruction), a => a.Target == issued.Id.ToString());
        Assert.Single(await Audit("village-1", AuditActions.ReportInstruction), a => a.Target == issued.Id.ToString());
        Assert.Single(await Audit("commander", AuditActions.CloseCommandSession), a => a.Target == session.Id.ToString());
        Assert.Single(await Audit("commander", AuditActions.LeadCommandView), a => a.Target == session.Id.ToString());
        Assert.Single(await Audit("commander", AuditActions.DrawMarkup), a => a.Target == session.Id.ToString() && a.Detail!.Contains("警戒区"));
    }

    [Fact]
    public async Task A_broadcast_to_the_county_reaches_every_station_and_a_signing_after_its_time_is_shown_as_missed()
    {
        using var duty = await web.ClientAs("duty");
        using var village = await web.ClientAs("village-1");
        var stations = Tree.All.Count(j => j.Level is JurisdictionLevel.Township or JurisdictionLevel.Village);

        var issued = await Send<InstructionView>(duty, PostJson("/api/instructions",
            new { text = "今日起进入敏感时期，各站点严格落实24小时值班", recipients = new[] { Tree.Root.Code }, broadcast = true, ackWithin = 10, reportWithin = 60 },
            Reports.NewKey()));
        Assert.Equal(stations, issued.Recipients.Count);
        Assert.Null(issued.Session);
        Assert.Equal(issued.IssuedAt.AddMinutes(10), issued.SignDue);

        web.CommandClock.Shift = TimeSpan.FromMinutes(11);
        var signed = await Send<InstructionView>(village, PostJson($"/api/instructions/{issued.Id}/sign", new { }));
        var own = Assert.Single(signed.Recipients);
        Assert.Equal((RecipientState.Signed, true, false), (own.State, own.SignMissed, own.ReportMissed));
        Assert.True(own.SecondsToSign >= 660, $"signed {own.SecondsToSign} s after it was issued");

        web.CommandClock.Shift = TimeSpan.FromMinutes(61);
        var late = (await duty.GetFromJsonAsync<List<InstructionView>>($"/api/instructions?recipient={Village}", Json.Options))!
            .Single(i => i.Id == issued.Id);
        Assert.True(Assert.Single(late.Recipients).ReportMissed);
        var unsigned = (await duty.GetFromJsonAsync<List<InstructionView>>("/api/instructions?state=issued&limit=200", Json.Options))!
            .Single(i => i.Id == issued.Id);
        Assert.Equal((stations, stations - 1), (unsigned.Tally.SignMissed, unsigned.Tally.Recipients - unsigned.Tally.Signed));
        Assert.Equal(stations, unsigned.Tally.ReportMissed);
    }

    [Fact]
    public async Task A_station_that_misses_a_deadline_is_reminded_once_on_its_wall_and_the_board_shows_it()
    {
        var township = Townships[2].Code;
        using var duty = await web.ClientAs("duty");
        using var station = await web.ClientAs("station-3");
        await using var wall = await web.ConnectWall("station-3");
        var notices = new ConcurrentQueue<InstructionNotice>();
        wall.Connection.On<InstructionNotice>("instructionIssued", notices.Enqueue);
        await wall.Subscribe(township, await web.Head(township));
        var issued = await Send<InstructionView>(duty, PostJson("/api/instructions",
            new { text = "核查辖区内重点场所", recipients = new[] { township }, ackWithin = 2, reportWithin = 10 }, Reports.NewKey()));
        int Heard(InstructionReminder? reminder) => notices.Count(n => n.Instruction == issued.Id && n.Reminder == reminder);
        async Task<RecipientView> OnBoard() => Assert.Single((await duty.GetFromJsonAsync<List<InstructionView>>(
            $"/api/instructions?recipient={township}", Json.Options))!.Single(i => i.Id == issued.Id).Recipients);
        await Poll.Until(() => Task.FromResult(Heard(null)), n => n == 1, "the new instruction on the station's wall");

        web.CommandClock.Shift = TimeSpan.FromMinutes(3);
        await Poll.Until(() => Task.FromResult(Heard(InstructionReminder.Sign)), n => n == 1, "the reminder to sign");
        var reminded = await OnBoard();
        Assert.Equal((true, false), (reminded.SignRemindedAt is not null, reminded.ReportRemindedAt is not null));
        Assert.True(reminded.SignMissed);
        await Task.Delay(WebFixture.CommandSweepInterval * 3);
        Assert.Equal(1, Heard(InstructionReminder.Sign));

        // Signed late; the report-back's time passes too, and is reminded once; a report ends the reminders.
        await Send<InstructionView>(station, PostJson($"/api/instructions/{issued.Id}/sign", new { }));
        web.CommandClock.Shift = TimeSpan.FromMinutes(11);
        await Poll.Until(() => Task.FromResult(Heard(InstructionReminder.Report)), n => n == 1, "the reminder to report back");
        Assert.NotNull((await OnBoard()).ReportRemindedAt);
        await Send<InstructionReportView>(station, PostJson($"/api/instructions/{issued.Id}/report", new { text = "已核查12处" }, Reports.NewKey()));
        await Task.Delay(WebFixture.CommandSweepInterval * 3);
        Assert.Equal((1, 1, 1), (Heard(null), Heard(InstructionReminder.Sign), Heard(InstructionReminder.Report)));
    }

    [Fact]
    public async Task The_issuer_reminds_a_station_of_what_it_has_not_done_yet_and_a_station_elsewhere_cannot()
    {
        var township = Townships[3].Code;
        using var duty = await web.ClientAs("duty");
        using var station = await web.ClientAs("station-4");
        using var elsewhere = await web.ClientAs("station-1");
        await using var wall = await web.ConnectWall("station-4");
        var notices = new ConcurrentQueue<InstructionNotice>();
        wall.Connection.On<InstructionNotice>("instructionIssued", notices.Enqueue);
        await wall.Subscribe(township, await web.Head(township));
        var issued = await Send<InstructionView>(duty, PostJson("/api/instructions", new { text = "上报今日值班人员名单", recipients = new[] { township } },
            Reports.NewKey()));
        int Heard(InstructionReminder? reminder) => notices.Count(n => n.Instruction == issued.Id && n.Reminder == reminder);
        var remind = $"/api/instructions/{issued.Id}/remind";

        var reminded = Assert.Single((await Send<InstructionView>(duty, PostJson(remind, new { recipient = township }))).Recipients);
        Assert.Equal((true, false), (reminded.SignRemindedAt is not null, reminded.ReportRemindedAt is not null));
        await Poll.Until(() => Task.FromResult(Heard(InstructionReminder.Sign)), n => n == 1, "the reminder to sign");
        await Send<InstructionView>(station, PostJson($"/api/instructions/{issued.Id}/sign", new { }));
        await Send<InstructionView>(duty, PostJson(remind, new { recipient = township }));
        await Poll.Until(() => Task.FromResult(Heard(InstructionReminder.Report)), n => n == 1, "the reminder to report back");
        await Send<InstructionReportView>(station, PostJson($"/api/instructions/{issued.Id}/report", new { text = "名单已上报", done = true }, Reports.NewKey()));

        using (var done = await duty.SendAsync(PostJson(remind, new { recipient = township })))
            await ProblemAssert.Is(done, HttpStatusCode.Conflict, "recipient");
        using (var notARecipient = await duty.SendAsync(PostJson(remind, new { recipient = Townships[0].Code })))
            await ProblemAssert.Is(notARecipient, HttpStatusCode.BadRequest, "recipient");
        using (var notTheirs = await elsewhere.SendAsync(PostJson(remind, new { recipient = township })))
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.Equal(2, (await Audit("duty", AuditActions.RemindInstruction)).Count(a => a.Target == issued.Id.ToString()));
    }

    [Fact]
    public async Task A_village_that_missed_its_time_is_sent_up_to_its_township_whose_wall_lists_it_until_the_village_reports_back()
    {
        var township = Townships[0].Code;
        using var commander = await web.ClientAs("commander");
        using var village = await web.ClientAs("village-1");
        using var station = await web.ClientAs("station-1");
        using var elsewhere = await web.ClientAs("station-2");
        await using var townshipWall = await web.ConnectWall("station-1");
        var heard = new ConcurrentQueue<InstructionEscalation>();
        townshipWall.Connection.On<InstructionEscalation>("instructionEscalated", heard.Enqueue);
        await townshipWall.Subscribe(township, await web.Head(township));
        var session = await Send<SessionView>(commander, PostJson("/api/command-sessions",
            new { title = "上级督办测试", area = township, level = "general", participants = new[] { township, Village } }, Reports.NewKey()));
        var issued = await Send<InstructionView>(commander, PostJson($"/api/command-sessions/{session.Id}/instructions",
            new { text = "排查辖区危房并上报", recipients = new[] { Village }, ackWithin = 2, reportWithin = 10 }, Reports.NewKey()));
        var escalate = $"/api/instructions/{issued.Id}/escalate";
        var listed = $"/api/instructions/escalated?jurisdiction={township}";

        // Not before it missed a deadline; not by a station elsewhere.
        using (var early = await commander.SendAsync(PostJson(escalate, new { recipient = Village })))
            await ProblemAssert.Is(early, HttpStatusCode.Conflict, "recipient");
        web.CommandClock.Shift = TimeSpan.FromMinutes(3);
        using (var notTheirs = await elsewhere.SendAsync(PostJson(escalate, new { recipient = Village })))
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);

        var sent = Assert.Single((await Send<InstructionView>(commander, PostJson(escalate, new { recipient = Village }))).Recipients);
        Assert.Equal((true, Townships[0].Name), (sent.EscalatedAt is not null, sent.EscalatedToName));
        Assert.Equal(sent.EscalatedAt, Assert.Single((await Send<InstructionView>(commander, PostJson(escalate, new { recipient = Village }))).Recipients).EscalatedAt);
        var message = (await Poll.Until(() => Task.FromResult(heard.ToArray()), h => h.Any(e => e.Instruction == issued.Id), "the township's wall hears of it"))
            .Single(e => e.Instruction == issued.Id);
        Assert.Equal((Village, Tree.NameOf(Village), township, InstructionReminder.Sign, "排查辖区危房并上报"),
            (message.Recipient, message.RecipientName, message.Superior, message.Missing, message.Text));
        var onWall = Assert.Single((await station.GetFromJsonAsync<List<InstructionView>>(listed, Json.Options))!, i => i.Id == issued.Id);
        Assert.Equal([Village], onWall.Recipients.Select(r => r.Code));
        using (var outside = await elsewhere.GetAsync(listed))
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);

        // Signing keeps it listed (it still owes the report-back); the report-back takes it off.
        await Send<InstructionView>(village, PostJson($"/api/instructions/{issued.Id}/sign", new { }));
        Assert.Contains((await station.GetFromJsonAsync<List<InstructionView>>(listed, Json.Options))!, i => i.Id == issued.Id);
        await Send<InstructionReportView>(village, PostJson($"/api/instructions/{issued.Id}/report", new { text = "已排查危房5处" }, Reports.NewKey()));
        Assert.DoesNotContain((await station.GetFromJsonAsync<List<InstructionView>>(listed, Json.Options))!, i => i.Id == issued.Id);

        var log = (await commander.GetFromJsonAsync<SessionLogPage>($"/api/command-sessions/{session.Id}/log", Json.Options))!;
        Assert.Single(log.Entries, e => e.Kind == SessionLogKinds.InstructionEscalated);
        Assert.Single(await Audit("commander", AuditActions.EscalateInstruction), a => a.Target == issued.Id.ToString());
    }

    [Fact]
    public async Task A_report_back_carries_photos_that_those_who_see_the_station_may_open_and_nobody_else()
    {
        var township = Townships[0].Code;
        using var commander = await web.ClientAs("commander");
        using var village = await web.ClientAs("village-1");
        using var neighbour = await web.ClientAs("station-2");
        var session = await Send<SessionView>(commander, PostJson("/api/command-sessions",
            new { title = "回执照片测试", area = township, level = "general", participants = new[] { township, Village, Townships[1].Code } }, Reports.NewKey()));
        var issued = await Send<InstructionView>(commander, PostJson($"/api/command-sessions/{session.Id}/instructions",
            new { text = "拍照回传警戒区设置情况", recipients = new[] { Village } }, Reports.NewKey()));
        var report = await Send<InstructionReportView>(village, PostJson($"/api/instructions/{issued.Id}/report",
            new { text = "警戒区已设置,见照片", done = true }, Reports.NewKey()));
        Assert.Empty(report.Photos);

        var png = TestImages.JpegWithLocation();
        var photosPath = $"/api/instructions/{issued.Id}/reports/{report.Id}/photos";
        HttpRequestMessage Upload(byte[] bytes) => new(HttpMethod.Post, photosPath) { Content = new ByteArrayContent(bytes) };
        using var uploaded = await village.SendAsync(Upload(png));
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var photo = (await uploaded.Content.ReadFromJsonAsync<InstructionPhotoInfo>(Json.Options))!;
        Assert.Equal("image/jpeg", photo.MediaType);
        using (var notAnImage = await village.SendAsync(Upload("<html>not a photo</html>"u8.ToArray())))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, notAnImage.StatusCode);
        using (var fake = await village.SendAsync(Upload(TestImages.FakeJpeg())))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, fake.StatusCode);
        using (var notTheirs = await neighbour.SendAsync(Upload(png)))
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);

        // The commander sees it on the board and in the instruction's report-backs and opens it; the neighbour, whose
        // own part of the instruction is none, sees neither.
        var board = (await commander.GetFromJsonAsync<SessionBoard>($"/api/command-sessions/{session.Id}", Json.Options))!;
        Assert.Equal([photo.Url], Assert.Single(board.Reports, r => r.Id == report.Id).Photos);
        var reports = (await commander.GetFromJsonAsync<List<InstructionReportView>>($"/api/instructions/{issued.Id}/reports", Json.Options))!;
        Assert.Equal("警戒区已设置,见照片", Assert.Single(reports).Text);
        Assert.Equal([photo.Url], reports[0].Photos);
        using (var opened = await commander.GetAsync(photo.Url))
        {
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
            Assert.Equal(new TestImages.Metadata(null, null, false), TestImages.MetadataOf(await opened.Content.ReadAsByteArrayAsync()));
            Assert.Equal("nosniff", opened.Headers.GetValues("X-Content-Type-Options").Single());
        }
        Assert.Equal(png, await commander.GetByteArrayAsync(photo.Url + "?original=true"));
        using (var notForTheVillage = await village.GetAsync(photo.Url + "?original=true"))
            Assert.Equal(HttpStatusCode.Forbidden, notForTheVillage.StatusCode);
        Assert.Empty((await neighbour.GetFromJsonAsync<SessionBoard>($"/api/command-sessions/{session.Id}", Json.Options))!.Reports);
        using (var hidden = await neighbour.GetAsync(photo.Url))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using (var noReports = await neighbour.GetAsync($"/api/instructions/{issued.Id}/reports"))
            Assert.Equal(HttpStatusCode.NotFound, noReports.StatusCode);
        Assert.Single(await Audit("village-1", AuditActions.AttachToInstructionReport), a => a.Target == issued.Id.ToString());
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_what_lies_outside_is_refused()
    {
        var township = Townships[0].Code;
        var grid = Tree.All.First(j => j.Level == JurisdictionLevel.Grid && Tree.IsWithin(j.Code, township)).Code;
        using var commander = await web.ClientAs("commander");
        using var station = await web.ClientAs("station-1");
        using var village = await web.ClientAs("village-1");
        async Task Refused(HttpClient client, string path, object body, HttpStatusCode status, string field, bool key = true)
        {
            using var response = await client.SendAsync(PostJson(path, body, key ? Reports.NewKey() : null));
            await ProblemAssert.Is(response, status, field);
        }
        var good = new { title = "演练", area = township, level = "general", participants = new[] { township } };

        await Refused(commander, "/api/command-sessions", good, HttpStatusCode.BadRequest, "Idempotency-Key", key: false);
        await Refused(commander, "/api/command-sessions", new { area = township, level = "general", participants = new[] { township } },
            HttpStatusCode.BadRequest, "title");
        await Refused(commander, "/api/command-sessions", good with { level = "huge" }, HttpStatusCode.BadRequest, "level");
        await Refused(commander, "/api/command-sessions", good with { area = "999999" }, HttpStatusCode.BadRequest, "area");
        await Refused(commander, "/api/command-sessions", good with { participants = new[] { township, grid } }, HttpStatusCode.BadRequest, "participants[1]");
        await Refused(station, "/api/command-sessions", good with { area = Townships[1].Code }, HttpStatusCode.Forbidden, "area");
        await Refused(station, "/api/command-sessions", good with { participants = new[] { Townships[1].Code } }, HttpStatusCode.Forbidden, "participants[0]");
        using (var role = await village.SendAsync(PostJson("/api/command-sessions", good with { area = Village, participants = new[] { Village } }, Reports.NewKey())))
            Assert.Equal(HttpStatusCode.Forbidden, role.StatusCode);
        Assert.Equal(0, await Count("SELECT count(*) FROM cc_command_session WHERE title = '演练'"));

        var order = new { text = "检查", recipients = new[] { township }, ackWithin = 10, reportWithin = 5 };
        await Refused(commander, "/api/instructions", order, HttpStatusCode.BadRequest, "reportWithin");
        await Refused(commander, "/api/instructions", order with { ackWithin = 0, reportWithin = 30 }, HttpStatusCode.BadRequest, "ackWithin");
        await Refused(commander, "/api/instructions", order with { recipients = new[] { grid }, reportWithin = 30 }, HttpStatusCode.BadRequest, "recipients[0]");
        await Refused(commander, "/api/instructions", new { text = "检查" }, HttpStatusCode.BadRequest, "recipients");
        await Refused(station, "/api/instructions", order with { recipients = new[] { Townships[1].Code }, reportWithin = 30 }, HttpStatusCode.Forbidden,
            "recipients[0]");
        Assert.Equal(0, await Count("SELECT count(*) FROM cc_instruction WHERE text = '检查'"));

        var issued = await Send<InstructionView>(station, PostJson("/api/instructions", order with { recipients = new[] { Village }, reportWithin = 30 },
            Reports.NewKey()));
        await Refused(village, $"/api/instructions/{issued.Id}/report", new { done = true }, HttpStatusCode.BadRequest, "text");
        await Refused(village, $"/api/instructions/{issued.Id}/report", new { text = "已检查", lat = 36.5 }, HttpStatusCode.BadRequest, "lng");
        await Refused(village, $"/api/instructions/{issued.Id}/report", new { text = "已检查" }, HttpStatusCode.BadRequest, "Idempotency-Key", key: false);
        Assert.Equal(0, await Count("SELECT count(*) FROM cc_instruction_report WHERE instruction_id = $1", issued.Id));
        using (var state = await station.GetAsync("/api/instructions?state=late"))
            await ProblemAssert.Is(state, HttpStatusCode.BadRequest, "state");
        using (var log = await commander.GetAsync($"/api/command-sessions/{Guid.NewGuid()}/log?max=0"))
            await ProblemAssert.Is(log, HttpStatusCode.BadRequest, "max");
        using (var outside = await station.GetAsync($"/api/instructions?recipient={Townships[1].Code}"))
            await ProblemAssert.Is(outside, HttpStatusCode.Forbidden, "recipient");
    }
}
