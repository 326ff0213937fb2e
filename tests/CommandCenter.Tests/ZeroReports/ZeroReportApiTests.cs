using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using CommandCenter.Web.Application;
using CommandCenter.ZeroReports;
using Microsoft.AspNetCore.SignalR.Client;
using MiniExcelLibs;

namespace CommandCenter.Tests.ZeroReports;

/// <summary>
/// The daily zero-report on the real stack, each test on days of its own (the zero-report clock moved there, never
/// slept through): a whole day (a period configured → reports on time, late and on behalf → who has not, at every
/// level → the deadline passes → the sweep reminds each missing unit once and the walls above hear of it → a late
/// report → the export as CSV and Excel read back), a period ended early, and bad input named field by field.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ZeroReportApiTests(WebFixture web) : IDisposable
{
    public void Dispose() => web.ZeroReportClock.Shift = TimeSpan.Zero;

    private JurisdictionTree Tree => web.Directory.Tree!;

    private IReadOnlyList<Jurisdiction> Townships => Tree.ChildrenOf(Tree.Root.Code);

    /// <summary>
    /// A day of the test's own, far from the others' and from today, so no other test's period runs on it; in the past,
    /// so that what the test writes on the zero-report clock (its audit rows too) is never dated after the real time.
    /// </summary>
    private static DateOnly DayOf(int test) => ChinaTime.Day(DateTimeOffset.UtcNow).AddDays(-500 - 7 * test);

    /// <summary>Moves the zero-report clock to the time of day (CST) on the day.</summary>
    private void ClockAt(DateOnly day, int hour, int minute = 0) =>
        web.ZeroReportClock.Shift = ChinaTime.At(day, new TimeOnly(hour, minute)) - DateTimeOffset.UtcNow;

    private static HttpRequestMessage PostJson(string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json.Options) };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<T> Send<T>(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
            return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json.Options)!;
        }
    }

    private static async Task Refused(HttpClient client, HttpRequestMessage request, HttpStatusCode status, string field)
    {
        using (request)
        using (var response = await client.SendAsync(request))
            await ProblemAssert.Is(response, status, field);
    }

    private Task<SensitivePeriodView> Configure(HttpClient duty, DateOnly from, DateOnly to, string[] levels, string key) =>
        Send<SensitivePeriodView>(duty, PostJson("/api/sensitive-periods",
            new { name = "重要节日敏感时期", from = $"{from:yyyy-MM-dd}", to = $"{to:yyyy-MM-dd}", levels, deadline = "10:00" }, key));

    private static HttpRequestMessage Report(string unit, DateOnly day, bool nothing, string? note = null, Guid[]? incidents = null, string? key = null) =>
        PostJson("/api/zero-reports", new { jurisdiction = unit, date = $"{day:yyyy-MM-dd}", nothing, note, incidents = incidents ?? [] }, key ?? Reports.NewKey());

    private async Task<Guid> Incident(string township, string title)
    {
        var grid = Tree.All.First(j => j.Level == JurisdictionLevel.Grid && Tree.IsWithin(j.Code, township)).Code;
        var (lat, lng) = Tree.CenterOf(grid);
        using var report = await web.Http.SendAsync(Reports.Post(new { source = "gridWorker", category = "dispute", title, lat, lng }));
        return (await Reports.Created(report)).Id;
    }

    private async Task<List<AuditEntry>> Audit(string actor, string action) =>
        (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?actor=user:{actor}&action={action}&limit=500", Json.Options))!;

    [Fact]
    public async Task A_whole_day_shows_who_has_not_reported_at_every_level_reminds_each_missing_unit_once_and_exports_the_period()
    {
        var day = DayOf(0);
        var (township, other) = (Townships[0], Townships[1]);
        var villages = Tree.ChildrenOf(township.Code);
        using var duty = await web.ClientAs("duty");
        using var station = await web.ClientAs("station-1");
        using var village = await web.ClientAs("village-1");
        using var neighbour = await web.ClientAs("station-2");
        var dispute = await Incident(township.Code, "村民宅基地边界纠纷");

        ClockAt(day, 8);
        var key = Reports.NewKey();
        var period = await Configure(duty, day, day.AddDays(1), ["township", "village"], key);
        Assert.Equal((day, day.AddDays(1), "10:00", false), (period.From, period.LastDay, period.Deadline, period.WorkingDaysOnly));
        Assert.Equal(period.Id, (await Configure(duty, day, day.AddDays(1), ["township", "village"], key)).Id);
        Assert.Contains((await station.GetFromJsonAsync<List<SensitivePeriodView>>("/api/sensitive-periods", Json.Options))!, p => p.Id == period.Id);

        // The walls: the neighbouring township's (missing), the first township's, the county's, and the first village's (which reports).
        await using var neighbourWall = await web.ConnectWall("station-2");
        await using var townshipWall = await web.ConnectWall("station-1");
        await using var countyWall = await web.ConnectWall("duty");
        await using var villageWall = await web.ConnectWall("village-1");
        var due = new ConcurrentQueue<(string Wall, ZeroReportDue Due)>();
        var missing = new ConcurrentQueue<(string Wall, ZeroReportsMissing Missing)>();
        foreach (var (name, wall, code) in new[] { ("neighbour", neighbourWall, other.Code), ("township", townshipWall, township.Code),
                     ("county", countyWall, Tree.Root.Code), ("village", villageWall, villages[0].Code) })
        {
            wall.Connection.On<ZeroReportDue>("zeroReportDue", d => due.Enqueue((name, d)));
            wall.Connection.On<ZeroReportsMissing>("zeroReportsMissing", m => missing.Enqueue((name, m)));
            await wall.Subscribe(code, await web.Head(code));
        }

        // 08:00: the village reports nothing (零报告); the same key again is the same report; another report of the day is a conflict.
        var reportKey = Reports.NewKey();
        var zero = await Send<UnitReport>(village, Report(villages[0].Code, day, nothing: true, key: reportKey));
        Assert.Equal((ZeroReportState.OnTime, true, false, villages[0].Name), (zero.State, zero.Nothing, zero.OnBehalf, zero.ReportedByName));
        Assert.Equal(zero.Report, (await Send<UnitReport>(village, Report(villages[0].Code, day, nothing: true, key: reportKey))).Report);
        await Refused(station, Report(villages[0].Code, day, nothing: true), HttpStatusCode.Conflict, "date");

        // The township reports an incident it knows of, and for its second village (代报) at 09:59.
        var something = await Send<UnitReport>(station, Report(township.Code, day, nothing: false, note: "宅基地纠纷1起,正在调解", incidents: [dispute]));
        Assert.Equal((ZeroReportState.OnTime, false, "宅基地纠纷1起,正在调解"), (something.State, something.Nothing, something.Note));
        Assert.Equal([new LinkedIncident(dispute, "村民宅基地边界纠纷")], something.Incidents);
        ClockAt(day, 9, 59);
        var forVillage = await Send<UnitReport>(station, Report(villages[1].Code, day, nothing: true));
        Assert.Equal((ZeroReportState.OnTime, true, $"{township.Name}综治中心"), (forVillage.State, forVillage.OnBehalf, forVillage.ReportedByName));
        Assert.Empty(due);
        Assert.Empty(missing);

        // After the deadline each missing unit is reminded once: the neighbour township's wall hears its own; the walls above hear who is missing.
        ClockAt(day, 10, 30);
        await Poll.Until(() => Task.FromResult(due.Count(d => d.Wall == "neighbour")), n => n == 1, "the neighbouring township reminded on its wall");
        var heard = due.Single(d => d.Wall == "neighbour").Due;
        Assert.Equal((other.Code, other.Name, day, ChinaTime.At(day, new TimeOnly(10, 0))), (heard.Jurisdiction, heard.Name, heard.Day, heard.Deadline));
        var stillMissing = villages.Skip(2).Select(v => v.Code).ToList();
        IEnumerable<MissingUnit> HeardBy(string wall) => missing.Where(m => m.Wall == wall).SelectMany(m => m.Missing.Units);
        await Poll.Until(() => Task.FromResult(HeardBy("township").Count()), n => n == stillMissing.Count, "the township's wall hears of its villages missing");
        Assert.Equal(stillMissing, HeardBy("township").Select(u => u.Code).Order(StringComparer.Ordinal));
        Assert.All(HeardBy("township"), u => Assert.Equal((JurisdictionLevel.Village, township.Name), (u.Level, u.ParentName)));
        var dueInCounty = Townships.Count + Tree.All.Count(j => j.Level == JurisdictionLevel.Village);
        await Poll.Until(() => Task.FromResult(HeardBy("county").Count()), n => n == dueInCounty - 3, "the county's wall hears of every missing unit");
        await Task.Delay(WebFixture.ZeroReportSweepInterval * 3);
        Assert.Equal(1, due.Count(d => d.Wall == "neighbour"));
        Assert.Equal(dueInCounty - 3, HeardBy("county").Count());
        Assert.DoesNotContain(due, d => d.Wall is "township" or "village" or "county"); // they reported; the county reports for nobody
        Assert.Empty(HeardBy("village"));
        Assert.DoesNotContain(HeardBy("neighbour"), u => Tree.IsWithin(u.Code, township.Code));

        // The third village's report comes late, after its reminder.
        var late = await Send<UnitReport>(station, Report(villages[2].Code, day, nothing: true));
        Assert.Equal(ZeroReportState.Late, late.State);
        Assert.NotNull(late.RemindedAt);

        // Who has not reported, at every level: the township's station sees its own units, the county all of them.
        var ofTownship = (await station.GetFromJsonAsync<ZeroReportDayView>($"/api/zero-reports?jurisdiction={township.Code}&date={day:yyyy-MM-dd}", Json.Options))!;
        Assert.Equal([township.Code, .. villages.Select(v => v.Code)], ofTownship.Units.Select(u => u.Code));
        Assert.Equal([ZeroReportState.OnTime, ZeroReportState.OnTime, ZeroReportState.OnTime, ZeroReportState.Late,
            .. villages.Skip(3).Select(_ => ZeroReportState.Overdue)], ofTownship.Units.Select(u => u.State));
        Assert.Equal(new ZeroReportCounts(villages.Count + 1, 3, 1, 0, villages.Count - 3), ofTownship.Counts);
        Assert.Equal(new ZeroReportCounts(villages.Count, 2, 1, 0, villages.Count - 3),
            Assert.Single(ofTownship.Levels, l => l.Level == JurisdictionLevel.Village).Counts);
        var villagesOfTownship = Assert.Single(ofTownship.Parents, p => p.Code == township.Code);
        Assert.Equal(villages.Skip(3).Select(v => v.Name), villagesOfTownship.Missing.Select(m => m.Name));
        Assert.All(ofTownship.Units.Skip(3), u => Assert.NotNull(u.RemindedAt));
        Assert.All(ofTownship.Units.Take(3), u => Assert.Null(u.RemindedAt));
        Assert.Equal(period.Id, Assert.Single(ofTownship.Periods).Id);

        var ofCounty = (await duty.GetFromJsonAsync<ZeroReportDayView>($"/api/zero-reports?jurisdiction={Tree.Root.Code}&date={day:yyyy-MM-dd}", Json.Options))!;
        Assert.Equal((dueInCounty, 4), (ofCounty.Counts.Due, ofCounty.Counts.Reported));
        var townshipsRow = Assert.Single(ofCounty.Parents, p => p.Code == Tree.Root.Code);
        Assert.Equal(new ZeroReportCounts(Townships.Count, 1, 0, 0, Townships.Count - 1), townshipsRow.Counts);
        Assert.Equal(Townships.Count + 1, ofCounty.Parents.Count);
        using (var notTheirs = await neighbour.GetAsync($"/api/zero-reports?jurisdiction={township.Code}&date={day:yyyy-MM-dd}"))
            Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);

        // The neighbour reports after being reminded: late; its reminder stays on record.
        var afterReminder = await Send<UnitReport>(neighbour, Report(other.Code, day, nothing: true));
        Assert.Equal(ZeroReportState.Late, afterReminder.State);
        Assert.NotNull(afterReminder.RemindedAt);

        // The export of the period: a row per unit and day, Chinese headers, names.
        using var csv = await duty.GetAsync($"/api/zero-reports/export?jurisdiction={Tree.Root.Code}&from={day:yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var quoted = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ZeroReportExport.Headers.Select(h => $"\"{h}\"")), quoted[0]);
        // Every field is quoted; none of these holds a comma or a quote, so without the quotes the fields read plainly.
        var lines = quoted.Select(l => l.Replace("\"", "")).ToArray();
        Assert.Equal(2 * dueInCounty, lines.Length - 1);
        Assert.Contains($"{day:yyyy-MM-dd},{township.Name},{township.Name},乡镇(街道),10:00,按时报送,", lines[1]);
        Assert.Contains(",宅基地纠纷1起,正在调解,村民宅基地边界纠纷,", lines[1]);
        Assert.Contains(lines, l => l.StartsWith($"{day:yyyy-MM-dd},{township.Name},{villages[1].Name},村(社区),10:00,按时报送,") && l.Contains($",{township.Name}综治中心,是,是,"));
        Assert.Contains(lines, l => l.StartsWith($"{day:yyyy-MM-dd},{township.Name},{villages[2].Name},村(社区),10:00,迟报,"));
        Assert.Contains(lines, l => l.StartsWith($"{day:yyyy-MM-dd},{township.Name},{villages[3].Name},村(社区),10:00,未报,,,,,,,{day:yyyy-MM-dd} 10:"));
        Assert.Contains(lines, l => l.StartsWith($"{day.AddDays(1):yyyy-MM-dd},{township.Name},{villages[0].Name},村(社区),10:00,待报,"));
        Assert.DoesNotContain(lines, l => l.Contains(township.Code));

        using var xlsx = await duty.GetAsync($"/api/zero-reports/export?jurisdiction={township.Code}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(villages.Count + 1, rows.Count);
        Assert.Equal(ZeroReportExport.Headers, rows[0].Keys);
        Assert.Equal((township.Name, "按时报送", "否", "村民宅基地边界纠纷"), ((string)rows[0]["单位"], (string)rows[0]["状态"], (string)rows[0]["零报告"], (string)rows[0]["关联事件"]));
        Assert.Equal((villages[2].Name, "迟报"), ((string)rows[3]["单位"], (string)rows[3]["状态"]));
        Assert.All(rows.Skip(4), r => Assert.Equal("未报", (string)r["状态"]));

        Assert.Single(await Audit("duty", AuditActions.ConfigureSensitivePeriod), a => a.Target == period.Id.ToString());
        Assert.Single(await Audit("village-1", AuditActions.SubmitZeroReport), a => a.Target == zero.Report.ToString());
        Assert.Single(await Audit("station-1", AuditActions.SubmitZeroReport), a => a.Target == forVillage.Report.ToString() && a.Detail!.Contains("on behalf"));
        Assert.Single(await Audit("station-1", AuditActions.SubmitZeroReport), a => a.Target == late.Report.ToString() && a.Detail!.Contains("late"));
    }

    [Fact]
    public async Task A_period_ended_early_asks_for_nothing_after_the_day_it_was_ended_on_and_one_for_townships_not_for_villages()
    {
        var day = DayOf(1);
        var township = Townships[2];
        using var duty = await web.ClientAs("duty");
        using var station = await web.ClientAs("station-3");
        ClockAt(day, 9);
        var period = await Configure(duty, day, day.AddDays(5), ["township"], Reports.NewKey());
        await Refused(station, Report(Tree.ChildrenOf(township.Code)[0].Code, day, nothing: true), HttpStatusCode.BadRequest, "jurisdiction");

        var ended = await Send<SensitivePeriodView>(duty, PostJson($"/api/sensitive-periods/{period.Id}/end", new { }));
        Assert.Equal((day, day, true), (ended.EndedOn, ended.LastDay, ended.EndedByName!.EndsWith("值班员")));
        var again = await Send<SensitivePeriodView>(duty, PostJson($"/api/sensitive-periods/{period.Id}/end", new { }));
        Assert.Equal((ended.EndedOn, ended.LastDay), (again.EndedOn, again.LastDay));
        Assert.Equal(ZeroReportState.OnTime, (await Send<UnitReport>(station, Report(township.Code, day, nothing: true))).State);
        ClockAt(day.AddDays(1), 9);
        await Refused(station, Report(township.Code, day.AddDays(1), nothing: true), HttpStatusCode.BadRequest, "date");
        var next = (await station.GetFromJsonAsync<ZeroReportDayView>($"/api/zero-reports?jurisdiction={township.Code}", Json.Options))!;
        Assert.Equal((day.AddDays(1), 0), (next.Date, next.Units.Count));
        Assert.Single(await Audit("duty", AuditActions.EndSensitivePeriod), a => a.Target == period.Id.ToString());
        using (var unknown = await duty.SendAsync(PostJson($"/api/sensitive-periods/{Guid.NewGuid()}/end", new { })))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field()
    {
        var day = DayOf(2);
        var (township, other) = (Townships[3], Townships[4]);
        using var duty = await web.ClientAs("duty");
        using var station = await web.ClientAs("station-4");
        using var commander = await web.ClientAs("commander");
        ClockAt(day, 9);
        object Period(object? from = null, object? to = null, object? levels = null, object? deadline = null, object? name = null) => new
        {
            name = name ?? "春节敏感时期", from = from ?? $"{day:yyyy-MM-dd}", to = to ?? $"{day:yyyy-MM-dd}", levels = levels ?? new[] { "township" },
            deadline = deadline ?? "10:00",
        };
        await Refused(duty, PostJson("/api/sensitive-periods", Period(name: "")), HttpStatusCode.BadRequest, "Idempotency-Key");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(name: ""), Reports.NewKey()), HttpStatusCode.BadRequest, "name");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(from: "2026/10/01"), Reports.NewKey()), HttpStatusCode.BadRequest, "from");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(from: $"{day.AddDays(-1):yyyy-MM-dd}"), Reports.NewKey()), HttpStatusCode.BadRequest, "from");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(to: $"{day.AddDays(-1):yyyy-MM-dd}"), Reports.NewKey()), HttpStatusCode.BadRequest, "to");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(to: $"{day.AddDays(92):yyyy-MM-dd}"), Reports.NewKey()), HttpStatusCode.BadRequest, "to");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(levels: new[] { "grid" }), Reports.NewKey()), HttpStatusCode.BadRequest, "levels[0]");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(levels: new[] { "street" }), Reports.NewKey()), HttpStatusCode.BadRequest, "levels[0]");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(levels: Array.Empty<string>()), Reports.NewKey()), HttpStatusCode.BadRequest, "levels");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(deadline: "25:00"), Reports.NewKey()), HttpStatusCode.BadRequest, "deadline");
        await Refused(duty, PostJson("/api/sensitive-periods", Period(deadline: "00:00"), Reports.NewKey()), HttpStatusCode.BadRequest, "deadline");
        using (var forbidden = await station.SendAsync(PostJson("/api/sensitive-periods", Period(), Reports.NewKey())))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        // Before any period of the day: no report asked for.
        await Refused(station, Report(township.Code, day, nothing: true), HttpStatusCode.BadRequest, "date");
        await Send<SensitivePeriodView>(commander, PostJson("/api/sensitive-periods", Period(to: $"{day.AddDays(1):yyyy-MM-dd}", levels: new[] { "township", "village" }),
            Reports.NewKey()));
        var ownIncident = await Incident(township.Code, "出租屋消防隐患");
        var elsewhere = await Incident(other.Code, "邻村道路塌陷");
        await Refused(station, PostJson("/api/zero-reports", new { jurisdiction = township.Code, date = $"{day:yyyy-MM-dd}", nothing = true }),
            HttpStatusCode.BadRequest, "Idempotency-Key");
        await Refused(station, Report(township.Code, day.AddDays(1), nothing: true), HttpStatusCode.BadRequest, "date");
        await Refused(station, PostJson("/api/zero-reports", new { jurisdiction = township.Code, date = "明天", nothing = true }, Reports.NewKey()),
            HttpStatusCode.BadRequest, "date");
        await Refused(station, PostJson("/api/zero-reports", new { jurisdiction = township.Code, date = $"{day:yyyy-MM-dd}" }, Reports.NewKey()),
            HttpStatusCode.BadRequest, "nothing");
        await Refused(station, Report(township.Code, day, nothing: true, incidents: [ownIncident]), HttpStatusCode.BadRequest, "incidents");
        await Refused(station, Report(township.Code, day, nothing: false), HttpStatusCode.BadRequest, "note");
        await Refused(station, Report(township.Code, day, nothing: false, incidents: [elsewhere]), HttpStatusCode.BadRequest, "incidents[0]");
        await Refused(station, Report(township.Code, day, nothing: false, incidents: [ownIncident, Guid.NewGuid()]), HttpStatusCode.BadRequest, "incidents[1]");
        await Refused(station, Report(other.Code, day, nothing: true), HttpStatusCode.Forbidden, "jurisdiction");
        await Refused(station, Report(Tree.ChildrenOf(other.Code)[0].Code, day, nothing: true), HttpStatusCode.Forbidden, "jurisdiction");
        var grid = Tree.ChildrenOf(Tree.ChildrenOf(township.Code)[0].Code)[0].Code;
        await Refused(station, Report(grid, day, nothing: true), HttpStatusCode.Forbidden, "jurisdiction");
        using (var county = await duty.SendAsync(Report(township.Code, day, nothing: true)))
            Assert.Equal(HttpStatusCode.Forbidden, county.StatusCode);

        // A key used for one report cannot make another.
        var key = Reports.NewKey();
        await Send<UnitReport>(station, Report(township.Code, day, nothing: false, incidents: [ownIncident], key: key));
        await Refused(station, Report(Tree.ChildrenOf(township.Code)[0].Code, day, nothing: true, key: key), HttpStatusCode.UnprocessableEntity, "Idempotency-Key");

        using (var noArea = await duty.GetAsync("/api/zero-reports"))
            await ProblemAssert.Is(noArea, HttpStatusCode.BadRequest, "jurisdiction");
        using (var badDay = await duty.GetAsync($"/api/zero-reports?jurisdiction={township.Code}&date=20261001"))
            await ProblemAssert.Is(badDay, HttpStatusCode.BadRequest, "date");
        foreach (var (query, field) in new[] { ("&from=2026-10-01&to=2026-10-02&format=pdf", "format"), ("&to=2026-10-02", "from"),
                     ("&from=2026-10-02&to=2026-10-01", "to"), ("&from=2026-01-01&to=2026-12-31", "to"), ("&from=2026-10-01", "to") })
        {
            using var export = await duty.GetAsync($"/api/zero-reports/export?jurisdiction={township.Code}{query}");
            await ProblemAssert.Is(export, HttpStatusCode.BadRequest, field);
        }
    }
}
