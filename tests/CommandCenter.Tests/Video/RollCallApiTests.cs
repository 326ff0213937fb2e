using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Geography;
using CommandCenter.RollCalls;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using CommandCenter.Web.Video;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Video;

/// <summary>
/// The video roll call through the API with the real Janus (its rooms) and the media server's events posted as
/// Janus' event handler posts them: deliveries, first frames, the close by the sweep on the roll-call clock, the
/// outcomes and response times, the report and its export, a station's history, and who may do what.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class RollCallApiTests(WebFixture web) : IDisposable
{
    private JurisdictionTree Tree => web.Directory.Tree!;

    private IReadOnlyList<Jurisdiction> Townships => Tree.ChildrenOf(Tree.Root.Code);

    public void Dispose() => web.RollCallClock.Shift = TimeSpan.Zero;

    private static async Task<T> Ok<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json.Options)!;
    }

    private static async Task<string> Refused(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static HttpRequestMessage Start(object body, string path = "/api/roll-calls")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return request;
    }

    /// <summary>What Janus' event handler posts when the media server starts receiving a participant's video.</summary>
    private async Task FirstFrame(string room, string participant, DateTimeOffset at)
    {
        var secret = web.Services.GetRequiredService<Lazy<JanusSecrets>>().Value.EventsSecret;
        var events = $$$"""
            [{"type": 32, "timestamp": {{{at.ToUnixTimeMilliseconds() * 1000}}}, "session_id": 1, "handle_id": 2, "opaque_id": "cc|{{{room}}}|{{{participant}}}",
              "event": {"mid": "1", "media": "video", "receiving": true}}]
            """;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/video/events") { Content = new StringContent(events, Encoding.UTF8, "application/json") };
        post.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"janus:{secret}")));
        using var client = web.CreateClient();
        using var answer = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
    }

    private async Task<RingingRollCall> Deliver(string user, Guid id)
    {
        using var station = await web.ClientAs(user);
        var ringing = (await station.GetFromJsonAsync<List<RingingRollCall>>("/api/roll-calls/ringing", Json.Options))!;
        Assert.Contains(ringing, r => r.RollCall == id);
        using var delivered = await station.PostAsJsonAsync($"/api/roll-calls/{id}/delivered", new { }, Json.Options);
        return await Ok<RingingRollCall>(delivered);
    }

    [Fact]
    public async Task A_roll_call_records_on_time_late_not_answered_and_offline_with_the_media_servers_times_and_the_sweep_closes_it()
    {
        var village = Tree.ChildrenOf(Townships[3].Code)[0];
        using var duty = await web.ClientAs("duty");
        using var started = await duty.SendAsync(Start(new
        {
            stations = new[] { Townships[0].Code, Townships[1].Code, Townships[2].Code, village.Code },
            answerWithin = 10,
        }));
        var call = await Ok<RollCallView>(started);
        Assert.Equal((10, 4, 4, Tree.Root.Code), (call.AnswerWithin, call.Counts.Called, call.Counts.Pending, call.Area));
        var room = RollCall.RoomPrefix + call.Id.ToString("N");

        var first = await Deliver("station-1", call.Id);
        var second = await Deliver("station-2", call.Id);
        await Deliver("station-3", call.Id);
        Assert.Equal(first.DeliveredAt!.Value.AddSeconds(10), first.AnswerBy);
        await FirstFrame(room, Townships[0].Code, first.DeliveredAt!.Value.AddSeconds(3.2));
        await FirstFrame(room, Townships[0].Code, first.DeliveredAt!.Value.AddSeconds(5)); // the next layer: the first frame counts
        await FirstFrame(room, "u:duty", first.DeliveredAt!.Value.AddSeconds(2)); // not called
        await FirstFrame(room, Townships[1].Code, second.DeliveredAt!.Value.AddSeconds(25));

        var open = (await duty.GetFromJsonAsync<RollCallView>($"/api/roll-calls/{call.Id}", Json.Options))!;
        Assert.Equal([RollCallOutcome.OnTime, RollCallOutcome.Late, RollCallOutcome.Pending, RollCallOutcome.Pending], open.Stations.Select(s => s.Outcome));
        Assert.Equal([3.2, 25.0], open.Stations.Take(2).Select(s => s.ResponseSeconds!.Value));
        using (var one = await web.ClientAs("station-1"))
        {
            var ringing = (await one.GetFromJsonAsync<List<RingingRollCall>>("/api/roll-calls/ringing", Json.Options))!;
            Assert.DoesNotContain(ringing, r => r.RollCall == call.Id);
            var own = (await one.GetFromJsonAsync<RollCallView>($"/api/roll-calls/{call.Id}", Json.Options))!;
            Assert.Equal([Townships[0].Code], own.Stations.Select(s => s.Code));
        }

        web.RollCallClock.Shift = call.ClosesAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var closed = await Poll.Until(() => duty.GetFromJsonAsync<RollCallView>($"/api/roll-calls/{call.Id}", Json.Options)!, v => !v!.Open, "the sweep's close");
        Assert.Equal(call.ClosesAt, closed!.ClosedAt);
        Assert.Equal([RollCallOutcome.OnTime, RollCallOutcome.Late, RollCallOutcome.NotAnswered, RollCallOutcome.Offline], closed.Stations.Select(s => s.Outcome));
        Assert.Equal(new RollCallCounts(4, 1, 1, 1, 1, 0), closed.Counts);
        await FirstFrame(room, Townships[2].Code, DateTimeOffset.UtcNow);
        Assert.Equal(RollCallOutcome.NotAnswered, (await duty.GetFromJsonAsync<RollCallView>($"/api/roll-calls/{call.Id}", Json.Options))!.Stations[2].Outcome);

        using (var csv = await duty.GetAsync($"/api/roll-calls/{call.Id}/report.csv"))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, lines.Length);
            Assert.StartsWith("\"点名\"", lines[0]);
            Assert.Contains($"\"{Townships[0].Name}\"", lines[1]);
            Assert.Contains("\"3.2\",\"按时应答\"", lines[1]);
            Assert.Contains("\"迟到应答\"", lines[2]);
            Assert.Contains("\"未应答\"", lines[3]);
            Assert.Contains($"\"{village.Name}\"", lines[4]);
            Assert.Contains("\"离线\"", lines[4]);
        }
        var history = (await duty.GetFromJsonAsync<StationRollCallHistory>($"/api/roll-calls/history?station={Townships[0].Code}", Json.Options))!;
        Assert.Contains(history.RollCalls, r => r.RollCall == call.Id && r.Outcome == RollCallOutcome.OnTime && r.ResponseSeconds == 3.2);
        Assert.Equal(history.RollCalls.Count(r => r.Outcome != RollCallOutcome.Pending), history.Stats.Called);
        var listed = (await duty.GetFromJsonAsync<List<RollCallView>>($"/api/roll-calls?jurisdiction={village.Code}", Json.Options))!;
        Assert.Contains(listed, r => r.Id == call.Id);
    }

    [Fact]
    public async Task A_station_cannot_start_a_roll_call_nor_read_anothers_and_bad_stations_are_named()
    {
        using var station = await web.ClientAs("station-1");
        await Refused(await station.SendAsync(Start(new { stations = new[] { Townships[0].Code } })), HttpStatusCode.Forbidden);
        using var duty = await web.ClientAs("duty");
        var grid = Tree.ChildrenOf(Tree.ChildrenOf(Townships[0].Code)[0].Code)[0].Code;
        Assert.Contains("stations[1]", await Refused(await duty.SendAsync(Start(new { stations = new[] { Townships[0].Code, grid } })), HttpStatusCode.BadRequest));
        Assert.Contains("stations[0]", await Refused(await duty.SendAsync(Start(new { stations = new[] { "999999" } })), HttpStatusCode.BadRequest));
        Assert.Contains("answerWithin", await Refused(await duty.SendAsync(Start(new { stations = new[] { Townships[0].Code }, answerWithin = 5 })),
            HttpStatusCode.BadRequest));
        Assert.Contains("stations", await Refused(await duty.SendAsync(Start(new { stations = Array.Empty<string>() })), HttpStatusCode.BadRequest));

        var call = await Ok<RollCallView>(await duty.SendAsync(Start(new { stations = new[] { Townships[1].Code } })));
        await Refused(await station.GetAsync($"/api/roll-calls/{call.Id}"), HttpStatusCode.NotFound);
        await Refused(await station.PostAsJsonAsync($"/api/roll-calls/{call.Id}/delivered", new { }, Json.Options), HttpStatusCode.NotFound);
        await Refused(await station.PostAsJsonAsync($"/api/roll-calls/{call.Id}/join", new { }, Json.Options), HttpStatusCode.NotFound);
        await Refused(await station.GetAsync($"/api/roll-calls/history?station={Townships[1].Code}"), HttpStatusCode.Forbidden);
        await Refused(await station.PostAsync($"/api/roll-calls/{call.Id}/end", null), HttpStatusCode.Forbidden);

        using var two = await web.ClientAs("station-2");
        var ticket = await Ok<ConferenceJoin>(await two.PostAsJsonAsync($"/api/roll-calls/{call.Id}/join", new { }, Json.Options));
        Assert.Equal((true, Townships[1].Code, RollCall.RoomPrefix + call.Id.ToString("N")), (ticket.Publish, ticket.Participant, ticket.Room));
        var watch = await Ok<ConferenceJoin>(await duty.PostAsJsonAsync($"/api/roll-calls/{call.Id}/join", new { }, Json.Options));
        Assert.False(watch.Publish);

        var ended = await Ok<RollCallView>(await duty.PostAsync($"/api/roll-calls/{call.Id}/end", null));
        Assert.Equal((false, RollCallOutcome.Offline), (ended.Open, ended.Stations[0].Outcome));
        Assert.Contains("rollCall", await Refused(await two.PostAsJsonAsync($"/api/roll-calls/{call.Id}/join", new { }, Json.Options), HttpStatusCode.Conflict));
        var audit = await web.Admin.GetStringAsync($"/api/audit?target={call.Id}");
        Assert.Contains("rollCall.start", audit);
        Assert.Contains("rollCall.end", audit);
    }
}
