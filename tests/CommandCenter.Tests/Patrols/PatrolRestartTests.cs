using CommandCenter.Jurisdictions;
using CommandCenter.Patrols;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tracks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using static CommandCenter.Tests.Patrols.PatrolEvidence;

namespace CommandCenter.Tests.Patrols;

/// <summary>
/// The patrol sweep across a restart, on the deadline tests' cluster (its database and its clock, the reminders', which
/// the patrol sweep keeps too): a window that ended while no silo ran is recorded once the new silo is up, with no call
/// from outside, and never again after that.
/// </summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class PatrolRestartTests(DeadlineClusterFixture fixture) : IDisposable
{
    public void Dispose() => DeadlineClusterFixture.Clock.Shift = TimeSpan.Zero;

    [Fact]
    public async Task A_window_that_ended_while_no_silo_ran_is_recorded_once_after_the_restart()
    {
        var day = WorkingDayAhead(30);
        await using var db = NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres);
        var store = new PatrolStore(db);
        var tracks = new TrackStore(db, Options.Create(new TrackOptions()), NullLogger<TrackStore>.Instance);
        var registry = await new JurisdictionStore(db).Load();
        var tree = registry.Tree!;
        var township = tree.ChildrenOf(tree.Root.Code)[2];
        var walked = (await Grids(tree, registry.Workers, township.Code, store, 1))[0];

        MoveTo(DeadlineClusterFixture.Clock, Cst(day, 10, 0));
        await store.Open(walked.Worker, walked.Grid.Code, Cst(day, 8, 0));
        await store.Close(walked.Worker, Cst(day, 8, 30));
        await Walk(tracks, walked.Worker, walked.Checkpoints.Select(c => (c.Latitude, c.Longitude)).ToList(), Cst(day, 8, 0), Cst(day, 8, 30));
        await Task.Delay(DeadlineClusterFixture.SweepInterval * 3);
        Assert.Equal(0, await Recorded(DeadlineClusterFixture.Postgres, day, "morning"));

        // Down from 10:00 to past the end of the window (11:00): nothing calls anything, only the new silo's sweep can record it.
        await fixture.Restart(() => MoveTo(DeadlineClusterFixture.Clock, Cst(day, 12, 0)));
        var grids = tree.All.Count(j => j.Level == Geography.JurisdictionLevel.Grid);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        Dictionary<string, Row> outcomes;
        while ((outcomes = await Outcomes(DeadlineClusterFixture.Postgres, day, "morning")).Count < grids)
        {
            Assert.True(DateTime.UtcNow < deadline, "the window that ended while the silo was down was not recorded after the restart");
            await Task.Delay(250);
        }
        Assert.Equal(("done", 1800), (outcomes[walked.Grid.Code].Outcome, outcomes[walked.Grid.Code].Seconds));
        Assert.Equal(1, await Recorded(DeadlineClusterFixture.Postgres, day, "morning"));

        // Sweeps later, and after one more restart, every grid's outcome is still the one recorded first.
        await Task.Delay(DeadlineClusterFixture.ReminderPeriod * 2);
        await fixture.Restart(() => { });
        await Task.Delay(DeadlineClusterFixture.ReminderPeriod * 2);
        Assert.Equal(outcomes, await Outcomes(DeadlineClusterFixture.Postgres, day, "morning"));
        await fixture.Cluster.InitializeClientAsync();
        Assert.Equal(1, await ReminderRows(db));
    }

    private static async Task<long> ReminderRows(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM orleansreminderstable WHERE remindername = $1");
        cmd.Parameters.Add(new() { Value = PatrolSweepGrain.Reminder });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
