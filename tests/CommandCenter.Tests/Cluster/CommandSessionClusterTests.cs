using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Cluster;

/// <summary>
/// A command session's log on the real PostgreSQL through a restart of every silo: gapless, continued from its head,
/// closed for good; who leads its view and the view last shared come back with it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CommandSessionClusterTests(ClusterFixture fixture)
{
    private static readonly Caller Commander = new("user:cluster-commander", "测试指挥长", Role.Commander, ["t-county"]);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private static SessionEvent Entry(string kind, string text, CommandChange? change = null) =>
        new(kind, $$"""{"text":"{{text}}"}""", Timestamps.Stored(DateTimeOffset.UtcNow), new AuditedBy(Commander, "127.0.0.1"), Commander.Name,
            kind switch
            {
                SessionLogKinds.Opened => AuditActions.OpenCommandSession,
                SessionLogKinds.Closed => AuditActions.CloseCommandSession,
                SessionLogKinds.Led => AuditActions.LeadCommandView,
                _ => AuditActions.IssueInstruction,
            }, "cluster-test", null, change);

    [Fact]
    public async Task The_log_its_leader_and_last_view_survive_a_restart_of_every_silo_and_the_log_goes_on_from_its_head_until_it_is_closed()
    {
        var id = CommandIds.Session(Commander.Id, Guid.NewGuid().ToString());
        var session = new CommandSession(id, "集群重启演练", "t-county", ["t-county"], CommandLevel.General, [], ["t-township"], Commander.Id,
            Commander.Name, DateTimeOffset.UtcNow, null, null, null, 0, []);
        var opened = await Grains.GetGrain<ICommandSessionGrain>(id).Open(session, Entry(SessionLogKinds.Opened, "开启"));
        Assert.Equal(1, opened.Head);
        for (var i = 0; i < 2; i++)
            Assert.Equal(i + 2, (await Grains.GetGrain<ICommandSessionGrain>(id).Append(Entry(SessionLogKinds.InstructionIssued, $"重启前{i}")))!.Sequence);
        Assert.Equal(4, (await Grains.GetGrain<ICommandSessionGrain>(id).Append(Entry(SessionLogKinds.Led, "领屏",
            new TakeLead(id, Commander.Id, Commander.Name))))!.Sequence);
        var view = new MapView(36.05, 104.17, 13.5, ["incidents", "cameras"], Highlight: "t-township");
        Assert.Null(await Grains.GetGrain<ICommandSessionGrain>(id).ShareView("user:someone-else", view, DateTimeOffset.UtcNow));
        var shared = await Grains.GetGrain<ICommandSessionGrain>(id).ShareView(Commander.Id, view, DateTimeOffset.UtcNow);
        Assert.Equal((view.Lat, view.Zoom, Commander.Name), (shared!.View.Lat, shared.View.Zoom, shared.LeaderName));

        foreach (var silo in fixture.Cluster.Silos.ToList())
            await fixture.Cluster.RestartSiloAsync(silo);
        await fixture.Cluster.InitializeClientAsync();

        var grain = Grains.GetGrain<ICommandSessionGrain>(id);
        var restarted = (await grain.Get())!;
        Assert.Equal((4L, Commander.Id), (restarted.Head, restarted.Leader));
        var kept = (await grain.View())!;
        Assert.Equal((shared.Version, view.Lat, view.Zoom, "t-township"), (kept.Version, kept.View.Lat, kept.View.Zoom, kept.View.Highlight));
        Assert.Equal(view.Layers, kept.View.Layers);
        Assert.True((await grain.ShareView(Commander.Id, view with { Zoom = 14 }, DateTimeOffset.UtcNow))!.Version > shared.Version);
        Assert.Equal(5, (await grain.Append(Entry(SessionLogKinds.InstructionIssued, "重启后")))!.Sequence);
        var closed = await grain.Close("演练结束", Entry(SessionLogKinds.Closed, "结束"));
        Assert.Equal((6L, false, "演练结束", null), (closed!.Head, closed.IsOpen, closed.Summary, closed.Leader));
        Assert.Null(await grain.View());
        Assert.Null(await grain.Append(Entry(SessionLogKinds.InstructionIssued, "结束后")));
        // Opening it again (a retried request) answers it as it is.
        Assert.False((await grain.Open(session, Entry(SessionLogKinds.Opened, "再开"))).IsOpen);

        var log = await grain.Read(0, 100);
        Assert.Equal([1L, 2, 3, 4, 5, 6], log.Select(e => e.Sequence));
        Assert.Equal([SessionLogKinds.Opened, SessionLogKinds.InstructionIssued, SessionLogKinds.InstructionIssued, SessionLogKinds.Led,
            SessionLogKinds.InstructionIssued, SessionLogKinds.Closed], log.Select(e => e.Kind));
        Assert.Equal([4L, 5, 6], (await grain.Read(3, 100)).Select(e => e.Sequence));

        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand("SELECT count(*), max(seq) FROM cc_command_log WHERE session_id = $1");
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((6L, 6L), (reader.GetInt64(0), reader.GetInt64(1)));
    }
}
