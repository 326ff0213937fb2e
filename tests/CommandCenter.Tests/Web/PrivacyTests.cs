using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;

namespace CommandCenter.Tests.Web;

/// <summary>
/// A citizen's contact and the reads of personal data (#20): the reporter's phone and name are masked in lists, the
/// timeline and for those who do not handle the case, and as given on the case page to its handlers, each such read
/// audited; reading a person's track and a camera's picture is audited too, once a window, and the audit log lists
/// just the reads when asked.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PrivacyTests(WebFixture web)
{
    [Fact]
    public async Task The_reporters_contact_is_masked_everywhere_but_on_the_case_page_of_its_handlers_who_are_audited()
    {
        var (lat, lng, grid) = Reports.InsideGrid(web, 3);
        var marker = "隐私测试-" + Guid.NewGuid().ToString("N")[..6];
        var body = new { source = "hotline12345", category = "safety", title = marker, description = "门口有人员聚集", lat, lng, reporter = "王女士 13812341234" };
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(body)));

        var asHandler = (await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options))!;
        Assert.Equal("王女士 13812341234", asHandler.Reporter);
        var asAdmin = (await web.Admin.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options))!;
        Assert.Equal("王女士 138****1234", asAdmin.Reporter);

        var listed = (await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={grid}&limit=200", Json.Options))!;
        Assert.Equal("王女士 138****1234", Assert.Single(listed, i => i.Id == created.Id).Reporter);
        var timeline = JsonNode.Parse(await web.Http.GetStringAsync($"/api/incidents/{created.Id}/timeline"))!.AsArray();
        var reported = timeline.Single(e => e!["kind"]!.GetValue<string>() == IncidentEventKinds.Reported)!;
        Assert.Equal("王女士 138****1234", reported["data"]!["report"]!["reporter"]!.GetValue<string>());
        Assert.DoesNotContain("13812341234", timeline.ToJsonString());

        // The handler's read is audited once a window (the console reads the case again and again); the administrator's not at all.
        await web.Http.GetAsync($"/api/incidents/{created.Id}");
        var rows = await Audit($"action={AuditActions.ReadContact}&target={created.Id}");
        Assert.Equal(Caller.UserId("duty"), Assert.Single(rows).Actor);
        Assert.Equal(marker, rows[0].Detail);
    }

    [Fact]
    public async Task Reading_a_persons_track_and_a_cameras_picture_is_audited_and_the_log_lists_the_reads_alone()
    {
        using var station = await web.ClientAs("station-1");
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[0].Code;
        var worker = web.Directory.WorkersIn(township).First();
        var to = DateTimeOffset.UtcNow;
        var track = $"/api/workers/{worker.Id}/track?from={Uri.EscapeDataString(to.AddHours(-2).ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        Assert.Equal(HttpStatusCode.OK, (await station.GetAsync(track)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await station.GetAsync(track)).StatusCode);
        var camera = web.Directory.CamerasIn(township).First();
        await station.GetAsync($"/api/cameras/{camera.Id}/snapshot");

        var tracks = await Audit($"actor={Caller.UserId("station-1")}&action={AuditActions.ReadTrack}&target=worker:{worker.Id}");
        Assert.StartsWith(worker.Name, Assert.Single(tracks).Detail);
        Assert.Equal("127.0.0.1", tracks[0].ClientAddress);
        var snapshot = Assert.Single(await Audit($"actor={Caller.UserId("station-1")}&action={AuditActions.ReadSnapshot}&target=camera:{camera.Id}"));
        Assert.Equal(camera.Name, snapshot.Detail);

        var reads = await Audit("reads=true&limit=500");
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.Contains(r.Action, AuditActions.Reads));
        Assert.Contains(reads, r => r.Id == tracks[0].Id);
        await ProblemAssert.Is(await web.Admin.GetAsync("/api/audit?reads=perhaps"), HttpStatusCode.BadRequest, "reads");
    }

    private async Task<List<AuditEntry>> Audit(string query) =>
        (await web.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?{query}", Json.Options))!;
}
