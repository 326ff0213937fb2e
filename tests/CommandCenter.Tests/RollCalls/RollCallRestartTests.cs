using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.RollCalls;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.RollCalls;

/// <summary>
/// A roll call across a restart of the silo, on the deadline tests' cluster (its database and its clock, the
/// reminders', which the roll-call sweep keeps): what was recorded before the restart is still there, an answer
/// after it counts, and the close that came while no silo ran is made by the new silo's sweep with no call from outside.
/// </summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class RollCallRestartTests(DeadlineClusterFixture fixture) : IDisposable
{
    private static readonly Caller Duty = new("user:duty", "值班员", Role.DutyOfficer, ["620402"]);

    public void Dispose() => DeadlineClusterFixture.Clock.Shift = TimeSpan.Zero;

    [Fact]
    public async Task A_roll_call_keeps_its_outcomes_through_a_restart_and_is_closed_after_it_by_the_sweep()
    {
        await using var db = NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres);
        var tree = (await new JurisdictionStore(db).Load()).Tree!;
        var stations = tree.ChildrenOf(tree.Root.Code).Take(3).Select(t => t.Code).ToArray();
        var now = Timestamps.Stored(DeadlineClusterFixture.Clock.GetUtcNow());
        var within = TimeSpan.FromSeconds(30);
        var call = new RollCall(Guid.NewGuid(), null, "例行视频点名", tree.Root.Code, within, now, RollCallRules.ClosesAt(now, within, TimeSpan.FromMinutes(2)),
            null, Duty.Id, Duty.Name, null, stations.Select(s => new CalledStation(s, tree.PathToRoot(s), null, null, RollCallOutcome.Pending)).ToList());
        var grain = fixture.Cluster.Client.GetGrain<IRollCallGrain>(call.Id);
        await grain.Start(call, Duty, "127.0.0.1");
        await grain.Delivered(stations[0], now.AddSeconds(1));
        await grain.Delivered(stations[1], now.AddSeconds(2));
        await grain.Answered(stations[0], now.AddSeconds(4));

        // Down mid-call; up again before the close: the station that answered is still on time, another answers late now.
        await fixture.Restart(() => { });
        await fixture.Cluster.InitializeClientAsync();
        grain = fixture.Cluster.Client.GetGrain<IRollCallGrain>(call.Id);
        var restarted = (await grain.Get())!;
        Assert.Equal((RollCallOutcome.OnTime, now.AddSeconds(1)), (restarted.Stations[0].Outcome, restarted.Stations[0].DeliveredAt!.Value));
        Assert.Equal(now.AddSeconds(2), restarted.Stations[1].DeliveredAt);
        await grain.Answered(stations[1], now.AddSeconds(40));

        // Down again across the close: the new silo's sweep closes it, the third station's call never reached it.
        await fixture.Restart(() => DeadlineClusterFixture.Clock.Shift = call.ClosesAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5));
        try
        {
            var store = new RollCallStore(db);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            RollCall stored;
            while ((stored = (await store.Get(call.Id))!).IsOpen)
            {
                Assert.True(DateTime.UtcNow < deadline, "the close that came while the silo was down was not made after the restart");
                await Task.Delay(250);
            }
            Assert.Equal(call.ClosesAt, stored.ClosedAt);
            Assert.Equal([RollCallOutcome.OnTime, RollCallOutcome.Late, RollCallOutcome.Offline], stored.Stations.Select(s => s.Outcome));
            Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(38)], stored.Stations.Take(2).Select(s => RollCallRules.Response(stored, s)!.Value));
        }
        finally
        {
            // The tests after this one on the cluster need its client, whatever this one found.
            await fixture.Cluster.InitializeClientAsync();
        }
    }
}
