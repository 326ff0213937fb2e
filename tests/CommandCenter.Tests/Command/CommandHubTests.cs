using System.Collections.Concurrent;
using System.Net.Http.Json;
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
/// A command session over the hub: a participant joining late gets the log so far and then every entry live, in
/// order, and nothing of another session; one that does not take part cannot join; a station's walls hear of an
/// instruction to it on its own feed.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CommandHubTests(WebFixture web)
{
    private JurisdictionTree Tree => web.Directory.Tree!;

    private IReadOnlyList<Jurisdiction> Townships => Tree.ChildrenOf(Tree.Root.Code);

    private static async Task<T> Post<T>(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, Json.Options)!;
    }

    [Fact]
    public async Task A_participant_gets_the_log_so_far_then_every_entry_live_in_order_and_nothing_of_another_session()
    {
        var (township, other) = (Townships[0].Code, Townships[1].Code);
        using var commander = await web.ClientAs("commander");
        var session = await Post<SessionView>(commander, "/api/command-sessions",
            new { title = "防汛应急会商", area = township, level = "major", participants = new[] { township, other } });
        var elsewhere = await Post<SessionView>(commander, "/api/command-sessions",
            new { title = "另一场处置", area = township, level = "general", participants = new[] { township } });
        await Post<InstructionView>(commander, $"/api/command-sessions/{session.Id}/instructions", new { text = "各站点立即上报雨情" });

        await using var neighbour = await web.ConnectWall("station-2");
        var heard = new ConcurrentQueue<SessionLogEntry>();
        neighbour.Connection.On<SessionLogEntry[]>("sessionEntries", entries =>
        {
            foreach (var entry in entries)
                heard.Enqueue(entry);
        });
        var joined = await neighbour.Connection.InvokeAsync<SessionJoined>("JoinSession", session.Id, 0L);
        Assert.Equal(2, joined.Head);
        await Poll.Until(() => Task.FromResult(heard.Count), n => n >= 2, "the log so far");

        var issued = await Post<InstructionView>(commander, $"/api/command-sessions/{session.Id}/instructions",
            new { text = "转移低洼地带群众", recipients = new[] { other } });
        await Post<InstructionView>(commander, $"/api/command-sessions/{elsewhere.Id}/instructions", new { text = "不该听到的指令" });
        using (var station = await web.ClientAs("station-2"))
            await Post<InstructionView>(station, $"/api/instructions/{issued.Id}/sign", new { });
        await Post<SessionView>(commander, $"/api/command-sessions/{session.Id}/close", new { summary = "群众已转移" });

        await Poll.Until(() => Task.FromResult(heard.Count), n => n >= 5, "every entry live");
        var entries = heard.ToArray();
        Assert.All(entries, e => Assert.Equal(session.Id, e.Session));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], entries.Select(e => e.Sequence));
        Assert.Equal([SessionLogKinds.Opened, SessionLogKinds.InstructionIssued, SessionLogKinds.InstructionIssued, SessionLogKinds.InstructionSigned,
            SessionLogKinds.Closed], entries.Select(e => e.Kind));

        // Joining again after the 3rd replays only what came later.
        await using var again = await web.ConnectWall("station-2");
        var replayed = new ConcurrentQueue<long>();
        again.Connection.On<SessionLogEntry[]>("sessionEntries", page => { foreach (var e in page) replayed.Enqueue(e.Sequence); });
        Assert.Equal(5, (await again.Connection.InvokeAsync<SessionJoined>("JoinSession", session.Id, 3L)).Head);
        await Poll.Until(() => Task.FromResult(replayed.Count), n => n >= 2, "the entries after 3");
        Assert.Equal([4L, 5L], replayed);
    }

    [Fact]
    public async Task A_station_that_does_not_take_part_cannot_join_and_a_recipient_s_walls_hear_of_its_instruction()
    {
        var (township, other) = (Townships[0].Code, Townships[1].Code);
        using var commander = await web.ClientAs("commander");
        var session = await Post<SessionView>(commander, "/api/command-sessions",
            new { title = "联合处置", area = township, level = "general", participants = new[] { township } });

        await using var stranger = await web.ConnectWall("station-2");
        var refused = await Assert.ThrowsAsync<HubException>(() => stranger.Connection.InvokeAsync<SessionJoined>("JoinSession", session.Id, 0L));
        Assert.Contains("No command session", refused.Message);
        await using var unknown = await web.ConnectWall("commander");
        await Assert.ThrowsAsync<HubException>(() => unknown.Connection.InvokeAsync<SessionJoined>("JoinSession", Guid.NewGuid(), 0L));

        await using var stationWall = await web.ConnectWall("station-1");
        var notices = new ConcurrentQueue<InstructionNotice>();
        stationWall.Connection.On<InstructionNotice>("instructionIssued", notices.Enqueue);
        await stationWall.Subscribe(township, await web.Head(township));
        var otherNotices = new ConcurrentQueue<InstructionNotice>();
        stranger.Connection.On<InstructionNotice>("instructionIssued", otherNotices.Enqueue);
        await stranger.Subscribe(other, await web.Head(other));

        var issued = await Post<InstructionView>(commander, $"/api/command-sessions/{session.Id}/instructions", new { text = "加强巡逻", ackWithin = 3 });
        var notice = (await Poll.Until(() => Task.FromResult(notices.ToArray()), n => n.Any(x => x.Instruction == issued.Id), "the station's banner"))!
            .Single(x => x.Instruction == issued.Id);
        Assert.Equal((township, "加强巡逻", session.Id, issued.SignDue), (notice.Recipient, notice.Text, notice.Session, notice.SignDue));
        await Task.Delay(500);
        Assert.DoesNotContain(otherNotices, x => x.Instruction == issued.Id);
    }
}
