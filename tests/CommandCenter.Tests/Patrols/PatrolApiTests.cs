using System.Net;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Patrols;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using CommandCenter.Web.Application;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Patrols;

/// <summary>
/// Patrol duties over HTTP on the real stack: a grid worker's phone starts and stops a patrol (their duty status and a
/// session), checks in at a checkpoint and on a visit with a photo, each once per Idempotency-Key and audited; an
/// area's windows and check-ins are read within the jurisdiction, and bad input names its field.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PatrolApiTests(WebFixture web)
{
    private static HttpRequestMessage CheckIn(object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/patrols/checkins") { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return request;
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, Json.Options)!;
    }

    private async Task<MyPatrol> Post(HttpClient phone, string path)
    {
        using var response = await phone.PostAsync(path, null);
        return await Read<MyPatrol>(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_grid_worker_patrols_checks_in_at_a_checkpoint_and_on_a_visit_with_a_photo_each_once_and_audited()
    {
        using var phone = await web.ClientAs("worker-1");
        var mine = await Post(phone, "/api/patrols/stop"); // whatever an earlier test left
        Assert.Null(mine.PatrollingSince);
        Assert.Equal(3, mine.Checkpoints.Count);
        Assert.Equal(web.Directory.Tree!.Find(mine.GridCode)!.Name, mine.GridName);
        var store = web.Services.GetRequiredService<PatrolStore>();

        var started = await Post(phone, "/api/patrols/start");
        Assert.NotNull(started.PatrollingSince);
        var session = (await store.OpenSessionOf(started.WorkerId))!;
        Assert.Equal((started.GridCode, started.PatrollingSince), (session.GridCode, session.Started));
        // Starting again changes nothing.
        Assert.Equal(started.PatrollingSince, (await Post(phone, "/api/patrols/start")).PatrollingSince);
        Assert.Equal(session, await store.OpenSessionOf(started.WorkerId));

        // At a checkpoint (a few metres off): named; the same key again is the same check-in; another body with it is refused.
        var checkpoint = mine.Checkpoints[1];
        var at = new { kind = "checkpoint", lat = checkpoint.Lat + 0.0001, lng = checkpoint.Lng };
        var key = "checkpoint-" + Guid.NewGuid();
        using var first = await phone.SendAsync(CheckIn(at, key));
        var made = await Read<CheckInInfo>(first, HttpStatusCode.Created);
        Assert.Equal((CheckInKind.Checkpoint, checkpoint.Name, mine.WorkerId), (made.Kind, made.Checkpoint!.Name, made.WorkerId));
        using (var again = await phone.SendAsync(CheckIn(at, key)))
            Assert.Equal(made.Id, (await Read<CheckInInfo>(again, HttpStatusCode.OK)).Id);
        using (var reused = await phone.SendAsync(CheckIn(new { kind = "checkpoint", lat = checkpoint.Lat, lng = checkpoint.Lng }, key)))
            await ProblemAssert.Is(reused, HttpStatusCode.UnprocessableEntity, "Idempotency-Key");

        // Outside the grid, a visit without its note, an unknown kind: refused, naming the field.
        var elsewhere = web.Directory.Tree.CenterOf(web.Directory.Tree.ChildrenOf(web.CountyCode)[5].Code);
        using (var outside = await phone.SendAsync(CheckIn(new { kind = "checkpoint", lat = elsewhere.Latitude, lng = elsewhere.Longitude })))
            await ProblemAssert.Is(outside, HttpStatusCode.Forbidden, "lat");
        var (lat, lng) = web.Directory.Tree.CenterOf(mine.GridCode);
        using (var noNote = await phone.SendAsync(CheckIn(new { kind = "keyPerson", lat, lng })))
            await ProblemAssert.Is(noNote, HttpStatusCode.BadRequest, "note");
        using (var badKind = await phone.SendAsync(CheckIn(new { kind = "sightseeing", lat, lng })))
            await ProblemAssert.Is(badKind, HttpStatusCode.BadRequest, "kind");

        // A visit (三查) with its note and a photo, which only its maker may add and only the area's people may see.
        using var visitResponse = await phone.SendAsync(CheckIn(new { kind = "rentalHousing", lat, lng, note = "<b>出租房</b>登记 3 户" }));
        var visit = await Read<CheckInInfo>(visitResponse, HttpStatusCode.Created);
        Assert.Null(visit.Checkpoint);
        var png = TestImages.JpegWithLocation();
        using var upload = await phone.PostAsync($"/api/patrols/checkins/{visit.Id}/photos", new ByteArrayContent(png));
        var photo = await Read<PatrolPhotoInfo>(upload, HttpStatusCode.Created);
        Assert.Equal("image/jpeg", photo.MediaType);
        using (var text = await phone.PostAsync($"/api/patrols/checkins/{visit.Id}/photos", new StringContent("not a photo")))
            await ProblemAssert.Is(text, HttpStatusCode.UnsupportedMediaType, "body");
        using (var fake = await phone.PostAsync($"/api/patrols/checkins/{visit.Id}/photos", new ByteArrayContent(TestImages.FakeJpeg())))
            await ProblemAssert.Is(fake, HttpStatusCode.UnsupportedMediaType, "body");
        using (var other = await web.ClientAs("worker-2"))
        using (var notTheirs = await other.PostAsync($"/api/patrols/checkins/{visit.Id}/photos", new ByteArrayContent(png)))
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        using (var bytes = await web.Http.GetAsync(photo.Url))
        {
            Assert.Equal(HttpStatusCode.OK, bytes.StatusCode);
            var served = await bytes.Content.ReadAsByteArrayAsync();
            Assert.Equal(new TestImages.Metadata(null, null, false), TestImages.MetadataOf(served));
            Assert.Equal(TestImages.SizeOf(png), TestImages.SizeOf(served));
            Assert.Equal("image/jpeg", bytes.Content.Headers.ContentType!.MediaType);
            Assert.Contains("sandbox", bytes.Headers.GetValues("Content-Security-Policy").Single());
        }
        Assert.Equal(png, await web.Http.GetByteArrayAsync(photo.Url + "?original=true"));
        using (var notForThePhone = await phone.GetAsync(photo.Url + "?original=true"))
            await ProblemAssert.Is(notForThePhone, HttpStatusCode.Forbidden, "original");
        using (var station = await web.ClientAs("station-2"))
        using (var hidden = await station.GetAsync(photo.Url))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        // The area's check-ins and the phone's own view show both, with the photo and the note as sent.
        var listed = (await web.Http.GetFromJsonAsync<List<CheckInInfo>>($"/api/patrols/checkins?jurisdiction={mine.GridCode}", Json.Options))!;
        Assert.Contains(listed, c => c.Id == made.Id);
        var listedVisit = listed.Single(c => c.Id == visit.Id);
        Assert.Equal(("<b>出租房</b>登记 3 户", photo.Id), (listedVisit.Note, listedVisit.Photos.Single().Id));
        var visits = (await web.Http.GetFromJsonAsync<List<CheckInInfo>>($"/api/patrols/checkins?jurisdiction={mine.GridCode}&kind=rentalHousing",
            Json.Options))!;
        Assert.All(visits, c => Assert.Equal(CheckInKind.RentalHousing, c.Kind));
        var during = (await phone.GetFromJsonAsync<MyPatrol>("/api/patrols/mine", Json.Options))!;
        Assert.Contains(during.CheckIns, c => c.Id == visit.Id);
        Assert.Equal(["morning", "noon", "evening"], during.Windows.Select(w => w.Name));
        Assert.Equal(3, during.Requirement.CheckpointsNeeded);

        var stopped = await Post(phone, "/api/patrols/stop");
        Assert.Null(stopped.PatrollingSince);
        Assert.Null(await store.OpenSessionOf(mine.WorkerId));

        foreach (var action in new[] { AuditActions.StartPatrol, AuditActions.CheckIn, AuditActions.AttachToCheckIn, AuditActions.StopPatrol })
        {
            var rows = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?actor=user:worker-1&action={action}&limit=50", Json.Options))!;
            Assert.True(rows.Count > 0, $"no {action} row");
        }
        var checkIns = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?actor=user:worker-1&action={AuditActions.CheckIn}&target={made.Id}",
            Json.Options))!;
        Assert.Single(checkIns); // the retry was not audited again
    }

    [Fact]
    public async Task The_status_buttons_start_and_end_the_patrol_too()
    {
        using var phone = await web.ClientAs("police-1");
        await Post(phone, "/api/patrols/stop");
        using (var patrol = await phone.PutAsJsonAsync("/api/workers/me/status", new { status = "onPatrol" }))
            Assert.Equal(HttpStatusCode.OK, patrol.StatusCode);
        Assert.NotNull((await phone.GetFromJsonAsync<MyPatrol>("/api/patrols/mine", Json.Options))!.PatrollingSince);
        using (var sos = await phone.PutAsJsonAsync("/api/workers/me/status", new { status = "sos" }))
            Assert.Equal(HttpStatusCode.OK, sos.StatusCode);
        Assert.NotNull((await phone.GetFromJsonAsync<MyPatrol>("/api/patrols/mine", Json.Options))!.PatrollingSince);
        using (var duty = await phone.PutAsJsonAsync("/api/workers/me/status", new { status = "onDuty" }))
            Assert.Equal(HttpStatusCode.OK, duty.StatusCode);
        Assert.Null((await phone.GetFromJsonAsync<MyPatrol>("/api/patrols/mine", Json.Options))!.PatrollingSince);
    }

    [Fact]
    public async Task Reading_an_areas_patrols_names_a_bad_field_and_stays_within_the_jurisdiction()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[0];
        using (var none = await web.Http.GetAsync("/api/patrols?date=2026-12-01"))
            await ProblemAssert.Is(none, HttpStatusCode.BadRequest, "jurisdiction");
        using (var date = await web.Http.GetAsync($"/api/patrols?jurisdiction={township.Code}&date=12/01/2026"))
            await ProblemAssert.Is(date, HttpStatusCode.BadRequest, "date");
        using (var outcome = await web.Http.GetAsync($"/api/patrols?jurisdiction={township.Code}&outcome=Missed"))
            await ProblemAssert.Is(outcome, HttpStatusCode.BadRequest, "outcome");
        using (var kind = await web.Http.GetAsync($"/api/patrols/checkins?jurisdiction={township.Code}&kind=visit"))
            await ProblemAssert.Is(kind, HttpStatusCode.BadRequest, "kind");
        using (var unknown = await web.Http.GetAsync("/api/patrols?jurisdiction=620402999999"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var station = await web.ClientAs("station-2");
        using (var neighbour = await station.GetAsync($"/api/patrols?jurisdiction={township.Code}"))
            Assert.Equal(HttpStatusCode.Forbidden, neighbour.StatusCode);
        using var dept = await web.ClientAs("dept");
        using (var department = await dept.GetAsync($"/api/patrols?jurisdiction={web.CountyCode}"))
            Assert.Equal(HttpStatusCode.Forbidden, department.StatusCode);
        using (var notAPhone = await web.Http.GetAsync("/api/patrols/mine"))
            Assert.Equal(HttpStatusCode.Forbidden, notAPhone.StatusCode);

        // A Sunday: the day's windows (by default those of working days) and its grids, none recorded yet far ahead.
        var calendar = new CommandCenter.Calendar.WorkingCalendar(CommandCenter.Calendar.CalendarYear.Shipped());
        var sunday = PatrolRules.ChinaDay(DateTimeOffset.UtcNow).AddDays(60);
        while (sunday.DayOfWeek != DayOfWeek.Sunday || calendar.IsWorkingDay(sunday))
            sunday = sunday.AddDays(1);
        var day = (await web.Http.GetFromJsonAsync<PatrolDay>($"/api/patrols?jurisdiction={township.Code}&date={sunday:yyyy-MM-dd}", Json.Options))!;
        Assert.False(day.WorkingDay);
        Assert.Equal(web.Directory.Tree.All.Count(j => j.Level == Geography.JurisdictionLevel.Grid && web.Directory.Tree.IsWithin(j.Code, township.Code)),
            day.Grids.Count);
        Assert.All(day.Grids, g => Assert.All(g.Windows, w => Assert.Equal(PatrolWindowState.Upcoming, w.State)));
        Assert.Equal(day.Grids.Count * 3, day.Counts.NotRecorded);
    }
}
