using System.Collections.Concurrent;
using System.Net.Http.Json;
using CommandCenter.Patrols;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tracks;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static CommandCenter.Tests.Patrols.PatrolEvidence;

namespace CommandCenter.Tests.Patrols;

/// <summary>
/// The patrol sweep of the web host's silo, on the real PostgreSQL and track history, with the patrols' clock moved to a
/// working day ten days ahead (nothing else of the app is due then): at the morning window's end (11:00 CST, 03:00
/// UTC) every grid is recorded, once, as done, partial or missed, and the walls hear of the missed ones.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PatrolSweepTests(WebFixture web) : IDisposable
{
    public void Dispose() => web.PatrolClock.Shift = TimeSpan.Zero;

    [Fact]
    public async Task At_a_windows_end_every_grid_is_recorded_once_as_done_partial_or_missed_and_the_walls_hear_of_the_missed()
    {
        var day = WorkingDayAhead(10);
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(web.CountyCode)[3];
        var store = web.Services.GetRequiredService<PatrolStore>();
        var tracks = web.Services.GetRequiredService<TrackStore>();
        var grids = await Grids(tree, web.Directory.WorkersIn(township.Code), township.Code, store, 4);
        var (walked, brief, idle, checkedIn) = (grids[0], grids[1], grids[2], grids[3]);

        // Walked: 40 minutes from checkpoint to checkpoint. Brief: 10 minutes standing at the centre.
        await store.Open(walked.Worker, walked.Grid.Code, Cst(day, 7, 30));
        await store.Close(walked.Worker, Cst(day, 8, 10));
        await Walk(tracks, walked.Worker, walked.Checkpoints.Select(c => (c.Latitude, c.Longitude)).ToList(), Cst(day, 7, 30), Cst(day, 8, 10));
        await store.Open(brief.Worker, brief.Grid.Code, Cst(day, 8, 0));
        await store.Close(brief.Worker, Cst(day, 8, 10));
        await Walk(tracks, brief.Worker, [tree.CenterOf(brief.Grid.Code)], Cst(day, 8, 0), Cst(day, 8, 10));
        // Checked in: at each of its checkpoints, without a patrol session.
        foreach (var checkpoint in checkedIn.Checkpoints)
        {
            await store.Add(new CheckIn(Guid.NewGuid(), checkedIn.Worker, checkedIn.Grid.Code, CheckInKind.Checkpoint,
                Cst(day, 9, 10 * checkpoint.Ordinal), checkpoint.Latitude, checkpoint.Longitude, checkpoint.Ordinal, null), Guid.NewGuid().ToString());
        }

        var heard = new ConcurrentBag<PatrolsMissed>();
        await using var wall = await web.ConnectWall("duty");
        wall.Connection.On<PatrolsMissed>("patrolsMissed", heard.Add);
        foreach (var code in new[] { township.Code, idle.Grid.Code, walked.Grid.Code })
            await wall.Subscribe(code, await web.Head(code));

        MoveTo(web.PatrolClock, Cst(day, 10, 59));
        await Task.Delay(WebFixture.PatrolSweepInterval * 3);
        Assert.Equal(0, await Recorded(TestEnvironment.Postgres, day, "morning"));

        MoveTo(web.PatrolClock, Cst(day, 11, 3));
        var gridCount = tree.All.Count(j => j.Level == Geography.JurisdictionLevel.Grid);
        var outcomes = await Poll.Until(() => Outcomes(TestEnvironment.Postgres, day, "morning"), o => o.Count == gridCount,
            "the morning window was not recorded for every grid");

        Assert.Equal(("done", 2400), (outcomes[walked.Grid.Code].Outcome, outcomes[walked.Grid.Code].Seconds));
        Assert.True(outcomes[walked.Grid.Code].SectorsVisited >= 2);
        Assert.Equal(("partial", 600), (outcomes[brief.Grid.Code].Outcome, outcomes[brief.Grid.Code].Seconds));
        Assert.Equal(("missed", 0, 0), (outcomes[idle.Grid.Code].Outcome, outcomes[idle.Grid.Code].Seconds, outcomes[idle.Grid.Code].CheckIns));
        Assert.Equal(("done", 0, 3, 3), (outcomes[checkedIn.Grid.Code].Outcome, outcomes[checkedIn.Grid.Code].Seconds,
            outcomes[checkedIn.Grid.Code].CheckpointsVisited, outcomes[checkedIn.Grid.Code].CheckIns));

        // The township's wall and the idle grid's hear of it; the walked grid's hears nothing of this window.
        var notices = await Poll.Until(() => Task.FromResult(heard.Where(m => m.Day == day && m.Window == "morning").ToList()),
            m => m.Any(n => n.Jurisdiction == township.Code) && m.Any(n => n.Jurisdiction == idle.Grid.Code), "the walls did not hear of the missed patrols");
        var told = notices.Single(m => m.Jurisdiction == township.Code);
        Assert.Contains(told.Grids, g => g.Code == idle.Grid.Code && g.Name == idle.Grid.Name);
        Assert.DoesNotContain(told.Grids, g => g.Code == walked.Grid.Code || g.Code == checkedIn.Grid.Code || g.Code == brief.Grid.Code);
        Assert.Equal((Cst(day, 7, 0), Cst(day, 11, 0)), (told.Start, told.End));
        Assert.DoesNotContain(heard, m => m.Jurisdiction == walked.Grid.Code && m.Day == day && m.Window == "morning");

        // Later sweeps record nothing again and tell nobody again.
        await Task.Delay(WebFixture.PatrolSweepInterval * 4);
        Assert.Equal(outcomes, await Outcomes(TestEnvironment.Postgres, day, "morning"));
        Assert.Single(heard, m => m.Jurisdiction == township.Code && m.Day == day && m.Window == "morning");

        // The API reads the same, for the area and the day, and for missed patrols alone.
        var listed = (await web.Http.GetFromJsonAsync<PatrolDay>($"/api/patrols?jurisdiction={township.Code}&date={day:yyyy-MM-dd}", Json.Options))!;
        Assert.True(listed.WorkingDay);
        var walkedDay = listed.Grids.Single(g => g.GridCode == walked.Grid.Code);
        Assert.Equal(["morning", "noon", "evening"], walkedDay.Windows.Select(w => w.Name));
        Assert.Equal((PatrolWindowState.Recorded, PatrolOutcome.Done), (walkedDay.Windows[0].State, walkedDay.Windows[0].Outcome));
        Assert.Equal([web.Directory.Worker(walked.Worker)!.Name], walkedDay.Windows[0].Progress!.PatrolledBy.Select(p => p.Name));
        Assert.Equal(PatrolWindowState.Open, walkedDay.Windows[1].State);
        Assert.Equal(listed.Grids.Count, listed.Counts.Done + listed.Counts.Partial + listed.Counts.Missed);
        var missed = (await web.Http.GetFromJsonAsync<PatrolDay>($"/api/patrols?jurisdiction={township.Code}&date={day:yyyy-MM-dd}&outcome=missed",
            Json.Options))!;
        Assert.Contains(missed.Grids, g => g.GridCode == idle.Grid.Code);
        Assert.All(missed.Grids, g => Assert.All(g.Windows, w => Assert.Equal(PatrolOutcome.Missed, w.Outcome)));
        Assert.Equal(listed.Counts.Missed, missed.Grids.Count);
    }
}
