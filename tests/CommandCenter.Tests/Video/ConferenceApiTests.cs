using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommandCenter.Command;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using CommandCenter.Web.Video;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Video;

/// <summary>
/// A command session's video conference on the real Janus: the ticket a join answers admits its holder to the
/// session's room only (through /api/video/janus), under our feed id and name; one who may only watch cannot publish; the
/// media server's own events write joins and leaves into the session's log; the floor and closing the session.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ConferenceApiTests(WebFixture web)
{
    private JurisdictionTree Tree => web.Directory.Tree!;

    private Jurisdiction Township => Tree.ChildrenOf(Tree.Root.Code)[0];

    private string Village => Tree.ChildrenOf(Township.Code)[0].Code;

    private async Task<SessionView> Open(string area, params string[] participants)
    {
        using var commander = await web.ClientAs("commander");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/command-sessions")
        {
            Content = JsonContent.Create(new { title = "视频会商测试", area, level = "general", participants }, options: Json.Options),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await commander.SendAsync(request);
        return await Ok<SessionView>(response);
    }

    private static async Task<T> Ok<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json.Options)!;
    }

    private async Task<ConferenceJoin> Join(string user, Guid session, object? body = null)
    {
        using var client = await web.ClientAs(user);
        using var response = await client.PostAsJsonAsync($"/api/command-sessions/{session}/conference/join", body ?? new { }, Json.Options);
        return await Ok<ConferenceJoin>(response);
    }

    private Uri Proxy(string url) => new(new Uri(web.BaseAddress.ToString().Replace("http://", "ws://")), url);

    private async Task<IReadOnlyList<SessionLogEntry>> LogOf(Guid session) =>
        (await web.Http.GetFromJsonAsync<SessionLogPage>($"/api/command-sessions/{session}/log", Json.Options))!.Entries;

    private static JsonObject JoinAsPublisher(string room) => new() { ["request"] = "join", ["ptype"] = "publisher", ["room"] = room, ["display"] = "冒名" };

    [Fact]
    public async Task A_ticket_admits_its_holder_to_the_sessions_room_only_under_our_name_and_janus_logs_the_join_and_the_leave()
    {
        var session = await Open(Township.Code, Township.Code, Village);
        var join = await Join("station-1", session.Id);
        Assert.Equal(ConferenceService.Room(session.Id), join.Room);
        Assert.True(join.Publish);
        Assert.Equal(Township.Code, join.Participant);
        Assert.StartsWith(Township.Name, join.Display);
        Assert.Equal([Township.Name, Tree.NameOf(Village)], join.Stations.Select(s => s.Name));

        var (socket, status) = await JanusSocket.Open(Proxy(join.Url), await web.Token("station-1"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        await using (socket)
        {
            await socket!.Attach();
            var other = await socket.Message(JoinAsPublisher(ConferenceService.Room(Guid.NewGuid())));
            Assert.Equal(403, JanusSocket.ErrorCode(other));
            var joined = await socket.Message(JoinAsPublisher(join.Room));
            var data = joined["plugindata"]!["data"]!;
            Assert.True((string?)data["videoroom"] == "joined", joined.ToJsonString());
            Assert.StartsWith(Township.Code + "#", (string?)data["id"]);
            var feeds = await Poll.Until(async () => (await web.Http.GetFromJsonAsync<ConferenceState>(
                $"/api/command-sessions/{session.Id}/conference", Json.Options))!.Feeds, f => f.Count == 1, "the join reported by Janus' events");
            Assert.Equal(join.Display, feeds[0].Name);
            Assert.True(feeds[0].Station);
            var entry = (await Poll.Until(() => LogOf(session.Id), log => log.Any(e => e.Kind == SessionLogKinds.ConferenceJoined), "the join in the log"))
                .Single(e => e.Kind == SessionLogKinds.ConferenceJoined);
            Assert.Contains(join.Display, entry.Data);
        }
        await Poll.Until(() => LogOf(session.Id), log => log.Any(e => e.Kind == SessionLogKinds.ConferenceLeft), "the leave in the log");
    }

    [Fact]
    public async Task Without_a_ticket_of_ones_own_nobody_gets_through_and_janus_refuses_a_token_of_another_room()
    {
        var session = await Open(Township.Code, Township.Code);
        var join = await Join("station-1", session.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await JanusSocket.Open(Proxy("/api/video/janus"), await web.Token("station-1"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await JanusSocket.Open(Proxy(join.Url), await web.Token("village-1"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await JanusSocket.Open(Proxy(join.Url + "x"), await web.Token("station-1"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await JanusSocket.Open(Proxy(join.Url))).Status);
        using (var station = await web.ClientAs("station-1"))
        using (var plain = await station.GetAsync(join.Url))
            Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        // A token Janus accepts, but let into no room: the room's own list refuses it.
        var janus = web.Services.GetRequiredService<JanusClient>();
        var token = janus.ConnectionToken(DateTimeOffset.UtcNow.AddMinutes(5));
        var (direct, _) = await JanusSocket.Open(TestEnvironment.Janus);
        await using (direct)
        {
            var created = await direct!.Ask(new JsonObject { ["janus"] = "create", ["token"] = token });
            var id = created["data"]!["id"]!.GetValue<long>();
            var handle = (await direct.Ask(new JsonObject { ["janus"] = "attach", ["session_id"] = id, ["plugin"] = "janus.plugin.videoroom", ["token"] = token }))
                ["data"]!["id"]!.GetValue<long>();
            var refused = await direct.Ask(new JsonObject
            {
                ["janus"] = "message", ["session_id"] = id, ["handle_id"] = handle, ["token"] = token,
                ["body"] = new JsonObject { ["request"] = "join", ["ptype"] = "publisher", ["room"] = join.Room, ["token"] = token },
            });
            Assert.Equal(433, JanusSocket.ErrorCode(refused));
        }
    }

    [Fact]
    public async Task One_who_follows_the_session_without_taking_part_watches_and_cannot_publish()
    {
        var session = await Open(Village);
        var join = await Join("village-1", session.Id);
        Assert.False(join.Publish);
        Assert.False(join.MayCommand);
        var (socket, _) = await JanusSocket.Open(Proxy(join.Url), await web.Token("village-1"));
        await using (socket)
        {
            await socket!.Attach();
            var publish = await socket.Message(new JsonObject { ["request"] = "publish", ["audio"] = true });
            Assert.Equal(403, JanusSocket.ErrorCode(publish));
            Assert.Contains("not publish", publish.ToJsonString());
            var watching = await socket.Message(JoinAsPublisher(join.Room));
            Assert.Equal("joined", (string?)watching["plugindata"]!["data"]!["videoroom"]);
        }
    }

    [Fact]
    public async Task The_commander_gives_the_floor_a_village_cannot_and_closing_the_session_destroys_its_room()
    {
        var session = await Open(Township.Code, Township.Code, Village);
        await Join("commander", session.Id);
        var janus = web.Services.GetRequiredService<JanusClient>();
        Assert.True(await janus.Exists(ConferenceService.Room(session.Id)));
        using var commander = await web.ClientAs("commander");
        using (var floor = await commander.PostAsJsonAsync($"/api/command-sessions/{session.Id}/conference/floor", new { station = Village }))
            Assert.Equal(Tree.NameOf(Village), (await Ok<ConferenceState>(floor)).FloorName);
        using (var bad = await commander.PostAsJsonAsync($"/api/command-sessions/{session.Id}/conference/floor", new { station = Tree.Root.Code }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("\"station\"", await bad.Content.ReadAsStringAsync());
        }
        using (var village = await web.ClientAs("village-1"))
        using (var refused = await village.PostAsJsonAsync($"/api/command-sessions/{session.Id}/conference/floor", new { station = Village }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var mute = await commander.PostAsJsonAsync($"/api/command-sessions/{session.Id}/conference/mute", new { station = Village }))
        {
            Assert.Equal(HttpStatusCode.Conflict, mute.StatusCode);
            Assert.Contains("\"station\"", await mute.Content.ReadAsStringAsync());
        }
        var log = await LogOf(session.Id);
        Assert.Contains(log, e => e.Kind == SessionLogKinds.ConferenceFloor && e.Data.Contains(Village));
        var joined = await Join("station-1", session.Id);
        Assert.Equal(Village, joined.Floor);

        using (var close = await commander.PostAsJsonAsync($"/api/command-sessions/{session.Id}/close", new { summary = "会商结束" }))
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.False(await janus.Exists(ConferenceService.Room(session.Id)));
        using var late = await commander.PostAsJsonAsync($"/api/command-sessions/{session.Id}/conference/join", new { });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }
}
