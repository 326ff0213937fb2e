using CommandCenter.Access;
using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Cluster;

/// <summary>
/// Deadlines as the Incident grain and the deadline sweep keep them, on a real silo with ADO.NET reminders in PostgreSQL.
/// The clock is moved, never waited for: past a deadline a supervision opens one level up, a second miss goes one
/// further, and a deadline that passed while no silo ran is recorded once after the restart, with no reminder per incident.
/// </summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class DeadlineTests(DeadlineClusterFixture fixture) : IDisposable
{
    private static readonly Caller Station = new("user:deadline-station", "测试综治中心", Role.TownshipStation, ["T"]);
    private static readonly Caller Worker = new("user:deadline-worker", "测试网格员", Role.GridWorker, ["G"], "W-deadline");

    private IGrainFactory Grains => fixture.Cluster.Client;

    public void Dispose() => DeadlineClusterFixture.Clock.Shift = TimeSpan.Zero;

    /// <summary>A case of its own path (grid, village, township, county, all codes new), dispatched to its grid: waiting to be accepted.</summary>
    private async Task<(IIncidentGrain Grain, IncidentDetails Incident, string[] Path)> Dispatched()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] path = [$"G-{tag}", $"V-{tag}", $"T-{tag}", $"C-{tag}"];
        var grain = Grains.GetGrain<IIncidentGrain>(Guid.NewGuid());
        await grain.Report(new ReportIncident(IncidentSource.Hotline12345, "dispute", "邻里因噪音发生争执", "", 36.5, 104.1, "王女士",
            path[0], path, "integration:test", "Integration"));
        var station = Station with { Jurisdictions = [path[2]] };
        foreach (var (action, target) in new[] { (IncidentAction.Verify, (Assignee?)null), (IncidentAction.Ticket, null),
                     (IncidentAction.Dispatch, new Assignee(AssigneeKind.Jurisdiction, path[0], "网格")) })
        {
            var result = await grain.Act(new IncidentCommand(action, station, Guid.NewGuid().ToString(), Target: target));
            Assert.Equal(ActionOutcome.Done, result.Outcome);
        }
        return (grain, (await grain.Get())!, path);
    }

    private static void MoveTo(DateTimeOffset instant) =>
        DeadlineClusterFixture.Clock.Shift = instant - TimeProvider.System.GetUtcNow();

    [Fact]
    public async Task A_missed_deadline_is_supervised_by_the_level_above_then_one_further_and_ends_when_the_step_is_done()
    {
        var (grain, incident, path) = await Dispatched();
        var acceptDue = incident.Deadline!.Due;
        Assert.Equal(DeadlineStep.Accept, incident.Deadline.Step);

        MoveTo(acceptDue.AddSeconds(-10));
        await grain.ReviewDeadlines();
        Assert.False((await grain.Get())!.Overdue);

        MoveTo(acceptDue.AddMinutes(5));
        await grain.ReviewDeadlines();
        await grain.ReviewDeadlines(); // looking twice records it once
        var overdue = (await grain.Get())!;
        Assert.True(overdue.Overdue);
        Assert.Equal((path[1], DeadlineStep.Accept, 1), (overdue.Supervision!.By, overdue.Supervision.Step, overdue.Supervision.Round));
        Assert.True(overdue.Supervision.Due > acceptDue);

        MoveTo(overdue.Supervision.Due.AddMinutes(1));
        await grain.ReviewDeadlines();
        var escalated = (await grain.Get())!;
        Assert.Equal((path[2], 2), (escalated.Supervision!.By, escalated.Supervision.Round));

        var timeline = await grain.Timeline();
        Assert.Single(timeline, e => e.Kind == IncidentEventKinds.Overdue);
        Assert.Single(timeline, e => e.Kind == IncidentEventKinds.SupervisionEscalated);
        Assert.All(timeline.Where(e => e.Kind is IncidentEventKinds.Overdue or IncidentEventKinds.SupervisionEscalated),
            e => Assert.Equal(CaseRules.SystemActor, e.Actor));

        // Every ancestor counts it as overdue and supervised while it is; accepting ends both.
        foreach (var code in path)
        {
            var counters = (await Grains.GetGrain<IFeedGrain>(code).Snapshot()).Counters;
            Assert.Equal((1, 1, 1), (counters.Open, counters.Overdue, counters.Supervised));
        }
        var worker = Worker with { Jurisdictions = [path[0]] };
        Assert.Equal(ActionOutcome.Done, (await grain.Act(new IncidentCommand(IncidentAction.Accept, worker, "accept"))).Outcome);
        var accepted = (await grain.Get())!;
        Assert.Equal((false, (Supervision?)null, DeadlineStep.Handle, true),
            (accepted.Overdue, accepted.Supervision, accepted.Deadline!.Step, accepted.EverOverdue));
        var village = (await Grains.GetGrain<IFeedGrain>(path[1]).Snapshot()).Counters;
        Assert.Equal((1, 0, 0), (village.Open, village.Overdue, village.Supervised));
        var page = await Grains.GetGrain<IFeedGrain>(path[1]).Read(0, 100);
        Assert.Equal(2, page.Entries.Count(e => e.Kind == FeedKinds.IncidentSupervised));
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_silo_was_down_fires_exactly_once_after_the_restart()
    {
        var (grain, incident, path) = await Dispatched();
        var due = incident.Deadline!.Due;
        Assert.Equal(0, await ReminderRows(incident.Id));
        Assert.Equal(due, await ReviewAt(incident.Id));

        await fixture.Restart(() => MoveTo(due.AddHours(2)));

        // Nothing calls the grain: only the deadline sweep of the new silo, reading the review time from PostgreSQL, can activate it.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await Count(incident.Id, IncidentEventKinds.Overdue) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the missed deadline was not noticed after the restart");
            await Task.Delay(250);
        }
        // Several sweeps later it is still recorded once, and the case waits for the supervision's deadline.
        await Task.Delay(DeadlineClusterFixture.ReminderPeriod * 4);
        Assert.Equal(1, await Count(incident.Id, IncidentEventKinds.Overdue));
        Assert.Equal(0, await Count(incident.Id, IncidentEventKinds.SupervisionEscalated));
        await fixture.Cluster.InitializeClientAsync();
        var supervised = (await Grains.GetGrain<IIncidentGrain>(incident.Id).Get())!;
        Assert.Equal(path[1], supervised.Supervision!.By);
        Assert.Equal(supervised.Supervision.Due, await ReviewAt(incident.Id));
        Assert.Equal(0, await ReminderRows(incident.Id));
    }

    private static async Task<long> Count(Guid incident, string kind)
    {
        await using var db = NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM cc_incident_event WHERE incident_id = $1 AND kind = $2");
        cmd.Parameters.Add(new() { Value = incident });
        cmd.Parameters.Add(new() { Value = kind });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<long> ReminderRows(Guid incident)
    {
        await using var db = NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE $1 AND remindername = $2");
        cmd.Parameters.Add(new() { Value = $"%{incident:N}%" });
        cmd.Parameters.Add(new() { Value = "deadline" });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<DateTimeOffset?> ReviewAt(Guid incident)
    {
        await using var db = NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres);
        await using var cmd = db.CreateCommand("SELECT review_at FROM cc_incident WHERE id = $1");
        cmd.Parameters.Add(new() { Value = incident });
        return await cmd.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }
}
