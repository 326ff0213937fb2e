using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Cluster;

/// <summary>A command session's log on the real PostgreSQL through a restart of every silo: gapless, continued from its head, closed for good.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CommandSessionClusterTests(ClusterFixture fixture)
{
    private static readonly Caller Commander = new("user:cluster-commander", "测试指挥长", Role.Commander, ["t-county"]);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private static SessionEvent Entry(string kind, string text) =>
        new(kind, $$"""{"text":"{{text}}"}""", Timestamps.Stored(DateTimeOffset.UtcNow), new AuditedBy(Commander, "127.0.0.1"), Commander.Name,
            kind switch
            {
                SessionLogKinds.Opened => AuditActions.OpenCommandSession,
                SessionLogKinds.Closed => AuditActions.CloseCommandSession,
                _ => AuditActions.IssueInstruction,
            }, "cluster-test", null, null);

    [Fact]
    public async Task The_log_survives_a_restart_of_every_silo_and_goes_on_from_its_head_until_it_is_closed()
    {
        var id = CommandIds.Session(Commander.Id, Guid.NewGuid().ToString());
        var session = new CommandSession(id, "集群重启演练", "t-county", ["t-county"], CommandLevel.General, [], ["t-township"], Commander.Id,
            Commander.Name, DateTimeOffset.UtcNow, null, null, null, 0);
        var opened = await Grains.GetGrain<ICommandSessionGrain>(id).Open(session, Entry(SessionLogKinds.Opened, "开启"));
        Assert.Equal(1, opened.Head);
        for (var i = 0; i < 3; i++)
            Assert.Equal(i + 2, (await Grains.GetGrain<ICommandSessionGrain>(id).Append(Entry(SessionLogKinds.InstructionIssued, $"重启前{i}")))!.Sequence);

        foreach (var silo in fixture.Cluster.Silos.ToList())
            await fixture.Cluster.RestartSiloAsync(silo);
        await fixture.Cluster.InitializeClientAsync();

        var grain = Grains.GetGrain<ICommandSessionGrain>(id);
        Assert.Equal(4, (await grain.Get())!.Head);
        Assert.Equal(5, (await grain.Append(Entry(SessionLogKinds.InstructionIssued, "重启后")))!.Sequence);
        var closed = await grain.Close("演练结束", Entry(SessionLogKinds.Closed, "结束"));
        Assert.Equal((6L, false, "演练结束"), (closed!.Head, closed.IsOpen, closed.Summary));
        Assert.Null(await grain.Append(Entry(SessionLogKinds.InstructionIssued, "结束后")));
        // Opening it again (a retried request) answers it as it is.
        Assert.False((await grain.Open(session, Entry(SessionLogKinds.Opened, "再开"))).IsOpen);

        var log = await grain.Read(0, 100);
        Assert.Equal([1L, 2, 3, 4, 5, 6], log.Select(e => e.Sequence));
        Assert.Equal([SessionLogKinds.Opened, SessionLogKinds.InstructionIssued, SessionLogKinds.InstructionIssued, SessionLogKinds.InstructionIssued,
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
