using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;

namespace CommandCenter.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class IncidentIntakeTests(WebFixture web)
{
    [Fact]
    public async Task A_report_is_stored_in_its_grid_and_can_be_read_back()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 7);

        using var response = await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Reports.Created(response);
        Assert.Equal(gridCode, created.GridCode);
        Assert.Equal(IncidentStatus.Reported, created.Status);
        Assert.Equal($"/api/incidents/{created.Id}", response.Headers.Location!.OriginalString);

        var stored = await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options);
        Assert.Equal("楼道堆放杂物堵塞消防通道", stored!.Title);
        Assert.Equal(IncidentSource.GridWorker, stored.Source);
        Assert.Equal(web.Directory.Tree!.PathToRoot(gridCode), stored.Path);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_incident_and_one_feed_entry()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 11);
        var key = Reports.NewKey();
        var before = await web.Head(gridCode);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng), key));
            return (response.StatusCode, (await Reports.Created(response)).Id);
        }));

        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var page = await web.Http.GetFromJsonAsync<FeedPage>($"/api/feeds/{gridCode}?after={before}", Json.Options);
        Assert.Single(page!.Entries, e => e.Incident.Id == answers[0].Id);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_report_is_refused_and_the_first_report_stands()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 12);
        var key = Reports.NewKey();
        var first = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "第一次"), key)));

        using var second = await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "另一件事"), key));

        await ProblemAssert.Is(second, HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        var stored = await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{first.Id}", Json.Options);
        Assert.Equal("第一次", stored!.Title);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "{\"source\":\"gridWorker\",", "$" },
        { "[1,2,3]", "$" },
        { """{"category":"safety","title":"t","lat":36.5,"lng":104.1}""", "source" },
        { """{"source":"carrierPigeon","category":"safety","title":"t","lat":36.5,"lng":104.1}""", "source" },
        { """{"source":"gridWorker","title":"t","lat":36.5,"lng":104.1}""", "category" },
        { """{"source":"gridWorker","category":"<script>window.__xss=4</script>","title":"t","lat":36.5,"lng":104.1}""", "category" },
        { """{"source":"gridWorker","category":"矛盾纠纷","title":"t","lat":36.5,"lng":104.1}""", "category" },
        { """{"source":"gridWorker","category":"dispute.nowhere","title":"t","lat":36.5,"lng":104.1}""", "category" },
        { """{"source":"gridWorker","category":"safety","lat":36.5,"lng":104.1}""", "title" },
        { """{"source":"gridWorker","category":"safety","title":"   ","lat":36.5,"lng":104.1}""", "title" },
        { """{"source":"gridWorker","category":"safety","title":42,"lat":36.5,"lng":104.1}""", "title" },
        { $$"""{"source":"gridWorker","category":"safety","title":"{{new string('长', 101)}}","lat":36.5,"lng":104.1}""", "title" },
        { $$"""{"source":"gridWorker","category":"safety","title":"t","description":"{{new string('x', 2001)}}","lat":36.5,"lng":104.1}""",
            "description" },
        { $$"""{"source":"gridWorker","category":"safety","title":"t","reporter":"{{new string('x', 65)}}","lat":36.5,"lng":104.1}""", "reporter" },
        { """{"source":"gridWorker","category":"safety","title":"t","lat":91,"lng":104.1}""", "lat" },
        { """{"source":"gridWorker","category":"safety","title":"t","lat":36.5,"lng":-180.5}""", "lng" },
        { """{"source":"gridWorker","category":"safety","title":"t","lat":"36.5","lng":104.1}""", "lat" },
        { """{"source":"gridWorker","category":"safety","title":"t","lat":36.5}""", "lng" },
        { $$"""{"source":"gridWorker","category":"safety","title":"t","lat":36.5,"lng":104.1,"pad":"{{new string('x', 70_000)}}"}""", "$" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_a_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        var key = Reports.NewKey();

        using var response = await web.Http.SendAsync(Reports.Raw(json, key));

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
        using var probe = await web.Http.GetAsync($"/api/incidents/{IncidentIds.FromIdempotencyKey("user:duty", key)}");
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
    }

    [Fact]
    public async Task A_missing_or_malformed_idempotency_key_is_a_400()
    {
        var (lat, lng, _) = Reports.InsideGrid(web);
        using var missing = await web.Http.SendAsync(Reports.Raw(JsonSerializer.Serialize(Reports.Body(lat, lng), Json.Options), key: null));
        await ProblemAssert.Is(missing, HttpStatusCode.BadRequest, "Idempotency-Key");

        using var tooLong = await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng), new string('k', 129)));
        await ProblemAssert.Is(tooLong, HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_naming_the_content_type()
    {
        using var response = await web.Http.SendAsync(Reports.Raw("source=gridWorker", Reports.NewKey(), "text/plain"));
        await ProblemAssert.Is(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task A_point_outside_every_grid_is_a_422()
    {
        using var response = await web.Http.SendAsync(Reports.Post(Reports.Body(39.9042, 116.4074)));
        await ProblemAssert.Is(response, HttpStatusCode.UnprocessableEntity, "lat");
    }

    [Fact]
    public async Task An_unknown_incident_is_a_404_problem()
    {
        using var response = await web.Http.GetAsync($"/api/incidents/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_timeline_starts_with_the_report_and_who_sent_it()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 30);
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "时间线"))));

        using var timeline = System.Text.Json.JsonDocument.Parse(await web.Http.GetStringAsync($"/api/incidents/{created.Id}/timeline"));
        var entry = Assert.Single(timeline.RootElement.EnumerateArray());
        Assert.Equal(1, entry.GetProperty("sequence").GetInt32());
        Assert.Equal("reported", entry.GetProperty("kind").GetString());
        Assert.Equal("user:duty", entry.GetProperty("actor").GetString());
        Assert.Equal("DutyOfficer", entry.GetProperty("actorRole").GetString());
        Assert.Equal("时间线", entry.GetProperty("data").GetProperty("report").GetProperty("title").GetString());
        Assert.Equal(created.Incident.ReportedAt, entry.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await web.Http.GetAsync($"/api/incidents/{Guid.NewGuid()}/timeline")).StatusCode);
    }
}
