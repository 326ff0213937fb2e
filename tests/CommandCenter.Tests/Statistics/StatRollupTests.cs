using CommandCenter.Access;
using CommandCenter.Categories;
using CommandCenter.Incidents;
using CommandCenter.Statistics;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Statistics;

/// <summary>
/// The statistics rolled up in each incident's commit, on a real silo: a generated county-month (reports on a path of
/// its own, worked round the loop by the grains as the clock moves through November 2026, with rejections, merges,
/// closures on the spot, escalations, departments, ratings, reopenings and missed deadlines) sums to exactly what
/// independent SQL counts over the event log.
/// </summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class StatRollupTests(DeadlineClusterFixture fixture) : IDisposable
{
    private static readonly DateOnly First = new(2026, 11, 1);
    private static readonly DateOnly Last = new(2026, 11, 30);

    private static readonly Caller Center = new("user:stat-admin", "统计测试管理员", Role.Administrator, []);
    private static readonly Caller Department = new("user:stat-dept", "住建局", Role.Department, []);

    private static readonly string[] Categories = ["dispute.neighbor", "dispute.labor", "dispute", "safety.fire", "sanitation", "service", "petition"];

    private IGrainFactory Grains => fixture.Cluster.Client;

    public void Dispose() => DeadlineClusterFixture.Clock.Shift = TimeSpan.Zero;

    private static void MoveTo(DateTimeOffset instant) => DeadlineClusterFixture.Clock.Shift = instant - TimeProvider.System.GetUtcNow();

    /// <summary>One step of the month: when, on which case, what.</summary>
    private sealed record Step(DateTimeOffset At, int Case, Func<IIncidentGrain, Task> Run);

    [Fact]
    public async Task A_generated_county_month_sums_to_the_independent_counts_of_the_event_log()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var county = $"C{tag}";
        var grids = new List<string[]>();
        foreach (var t in new[] { 1, 2 })
            foreach (var v in new[] { 1, 2 })
                foreach (var g in new[] { 1, 2 })
                    grids.Add([$"G{t}{v}{g}{tag}", $"V{t}{v}{tag}", $"T{t}{tag}", county]);

        var random = new Random(20261130);
        var ids = new List<Guid>();
        var steps = new List<Step>();
        for (var day = First; day <= Last; day = day.AddDays(1))
        {
            for (var n = random.Next(3, 8); n > 0; n--)
            {
                var index = ids.Count;
                var id = Guid.NewGuid();
                ids.Add(id);
                var path = grids[random.Next(grids.Count)];
                // Some are reported late in the evening, so that their next steps cross midnight (and, on the 30th, the month).
                var at = ChinaTime.At(day, new TimeOnly(random.Next(7, 24), random.Next(60)));
                var category = Categories[random.Next(Categories.Length)];
                steps.Add(new Step(at, index, g => g.Report(new ReportIncident(IncidentSource.GridWorker, category, $"统计 {index}", "", 36.5, 104.1,
                    null, path[0], path, "user:stat-worker", "GridWorker"))));
                steps.AddRange(Fate(random, index, at, path, index > 0 ? ids[index - 1] : null));
            }
        }
        foreach (var step in steps.OrderBy(s => s.At).ThenBy(s => s.Case))
        {
            MoveTo(step.At);
            await step.Run(Grains.GetGrain<IIncidentGrain>(ids[step.Case]));
        }
        // Past the month: the sweep's deadline reviews now record what they find on December's days.
        MoveTo(ChinaTime.At(Last.AddDays(1), new TimeOnly(0, 30)));
        await Task.Delay(DeadlineClusterFixture.SweepInterval * 3);

        await using var db = NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres);
        var disputes = (await new CategoryStore(db).Load()).List.CodesOf(CategoryKind.Dispute);
        var sums = Assert.Single(await new StatStore(db).Sums([county], First, Last, StatGrouping.Total, disputes));
        var counted = await Independent(db, county);
        foreach (var (measure, count) in counted)
            Assert.True(count == sums.All[measure], $"{measure}: rolled up {sums.All[measure]}, the event log says {count}");
        Assert.True(counted[StatMeasure.Reported] >= 90, $"only {counted[StatMeasure.Reported]} reports were generated");
        foreach (var measure in new[] { StatMeasure.Rejected, StatMeasure.Merged, StatMeasure.Escalated, StatMeasure.Reopened, StatMeasure.RoutedToDepartment,
                     StatMeasure.Supervised, StatMeasure.ClosedAtGrid, StatMeasure.RatedDissatisfied })
            Assert.True(counted[measure] > 0, $"the month has no {measure}: the generator should make some");
        var disputesAccepted = await Count(db, county, $"""
            SELECT count(*) FROM firsts f JOIN cc_incident i ON i.id = f.id
            WHERE (i.category = 'dispute' OR i.category LIKE 'dispute.%') AND {Cst("f.accepted")} BETWEEN $2 AND $3
            """);
        Assert.Equal(disputesAccepted, sums.Disputes[StatMeasure.Accepted]);

        var byTownship = await new StatStore(db).Sums([$"T1{tag}", $"T2{tag}"], First, Last, StatGrouping.Child, disputes);
        Assert.Equal(sums.All[StatMeasure.Reported], byTownship.Sum(s => s.All[StatMeasure.Reported]));
        var byDay = await new StatStore(db).Sums([county], First, Last, StatGrouping.Day, disputes);
        Assert.Equal(sums.All[StatMeasure.Closed], byDay.Sum(s => s.All[StatMeasure.Closed]));
        var times = await new StatStore(db).Percentiles([county], First, Last, StatGrouping.Total);
        Assert.Equal(sums.All[StatMeasure.Closed], times.Single(t => t.Kind == StatDuration.ToClose).Count);
    }

    /// <summary>What becomes of a case after its report at <paramref name="at"/>.</summary>
    private static IEnumerable<Step> Fate(Random random, int index, DateTimeOffset at, string[] path, Guid? previous)
    {
        Step Act(TimeSpan after, IncidentAction action, Caller? caller = null, Assignee? target = null, Rating? rating = null, Guid? into = null) =>
            new(at + after, index, async g =>
            {
                var result = await g.Act(new IncidentCommand(action, caller ?? Center, Guid.NewGuid().ToString(), Note: "统计测试", Target: target,
                    Rating: rating, Into: into));
                Assert.True(result.Outcome == ActionOutcome.Done, $"case {index} {action}: {result.Outcome} {result.Message}");
            });
        var fate = random.NextDouble();
        if (fate < 0.06)
        {
            yield return Act(TimeSpan.FromMinutes(20), IncidentAction.Reject);
            yield break;
        }
        if (fate < 0.1 && previous is { } other)
        {
            yield return Act(TimeSpan.FromMinutes(15), IncidentAction.Merge, into: other);
            yield break;
        }
        if (fate < 0.45)
        {
            yield return Act(TimeSpan.FromMinutes(random.Next(10, 120)), IncidentAction.Resolve);
            yield break;
        }
        yield return Act(TimeSpan.FromMinutes(30), IncidentAction.Verify);
        if (fate < 0.55)
            yield break; // left open: its ticket deadline passes as the clock moves on
        // An escalation leaves the case ticketed at the level above; otherwise the level makes the ticket.
        yield return random.NextDouble() < 0.15
            ? Act(TimeSpan.FromMinutes(45), IncidentAction.Escalate)
            : Act(TimeSpan.FromHours(1), IncidentAction.Ticket);
        var toDepartment = random.NextDouble() < 0.1;
        var worker = toDepartment ? Department : Center;
        yield return Act(TimeSpan.FromHours(2), IncidentAction.Dispatch,
            target: toDepartment ? new Assignee(AssigneeKind.Department, "stat-dept", "住建局") : new Assignee(AssigneeKind.Jurisdiction, path[0], "网格"));
        yield return Act(TimeSpan.FromHours(3), IncidentAction.Accept, worker);
        var handled = TimeSpan.FromHours(random.Next(4, 80));
        yield return Act(handled, IncidentAction.Handle, worker);
        yield return Act(handled + TimeSpan.FromHours(1), IncidentAction.Feedback);
        var rating = random.NextDouble();
        if (rating < 0.4)
            yield break;
        var first = rating < 0.8 ? Rating.Satisfied : rating < 0.88 ? Rating.Neutral : Rating.Dissatisfied;
        yield return Act(handled + TimeSpan.FromHours(2), IncidentAction.Rate, rating: first);
        if (first != Rating.Dissatisfied)
            yield break;
        yield return Act(handled + TimeSpan.FromHours(20), IncidentAction.Handle, worker);
        yield return Act(handled + TimeSpan.FromHours(21), IncidentAction.Feedback);
        yield return Act(handled + TimeSpan.FromHours(22), IncidentAction.Rate, rating: Rating.Satisfied);
    }

    /// <summary>
    /// The month's counts as SQL over the event log alone (the events of the county's incidents, on China's days):
    /// accepted at the first verify, take, escalate or on-the-spot closure; closed at the first feedback or on-the-spot
    /// closure; on time when no deadline was missed before it; at the grid when no event before it moved the case off
    /// its grid; reopened by a reopening or a dissatisfied escalation.
    /// </summary>
    private static async Task<Dictionary<StatMeasure, long>> Independent(NpgsqlDataSource db, string county)
    {
        var counts = new Dictionary<StatMeasure, long>();
        async Task Events(StatMeasure measure, string condition) => counts[measure] = await Count(db, county,
            $"SELECT count(*) FROM events e WHERE {condition} AND {Cst("e.at")} BETWEEN $2 AND $3");
        await Events(StatMeasure.Reported, "e.kind = 'reported'");
        await Events(StatMeasure.Rejected, "e.kind = 'rejected'");
        await Events(StatMeasure.Merged, "e.kind = 'merged'");
        await Events(StatMeasure.Escalated, "e.kind = 'escalated'");
        await Events(StatMeasure.Supervised, "e.kind = 'overdue'");
        await Events(StatMeasure.SupervisionEscalated, "e.kind = 'supervisionEscalated'");
        await Events(StatMeasure.Reopened, "(e.kind = 'reopened' OR (e.kind = 'escalated' AND e.data->>'rating' = 'dissatisfied'))");
        await Events(StatMeasure.RoutedToDepartment, "e.kind = 'dispatched' AND e.data->'assignee'->>'kind' = 'department'");
        await Events(StatMeasure.RatedSatisfied, "e.kind = 'rated' AND e.data->>'rating' = 'satisfied'");
        await Events(StatMeasure.RatedNeutral, "e.kind = 'rated' AND e.data->>'rating' = 'neutral'");
        await Events(StatMeasure.RatedDissatisfied, "e.kind = 'rated' AND e.data->>'rating' = 'dissatisfied'");
        counts[StatMeasure.Accepted] = await Count(db, county, $"SELECT count(*) FROM firsts WHERE {Cst("accepted")} BETWEEN $2 AND $3");
        counts[StatMeasure.Closed] = await Count(db, county, $"SELECT count(*) FROM firsts WHERE {Cst("closed")} BETWEEN $2 AND $3");
        counts[StatMeasure.ClosedOnTime] = await Count(db, county,
            $"SELECT count(*) FROM firsts WHERE {Cst("closed")} BETWEEN $2 AND $3 AND (overdue IS NULL OR overdue > closed)");
        // The level a case lies with is the last one an event before its closure set, else its grid.
        counts[StatMeasure.ClosedAtGrid] = await Count(db, county, $"""
            SELECT count(*) FROM firsts f JOIN cc_incident i ON i.id = f.id
            WHERE {Cst("f.closed")} BETWEEN $2 AND $3
              AND coalesce((SELECT x.data->>'level' FROM events x WHERE x.incident_id = f.id AND x.seq < f.closed_seq AND x.data ? 'level'
                            ORDER BY x.seq DESC LIMIT 1), i.grid_code) = i.grid_code
            """);
        counts[StatMeasure.EverOverdue] = await Count(db, county, $"SELECT count(*) FROM firsts WHERE {Cst("overdue")} BETWEEN $2 AND $3");
        return counts;
    }

    /// <summary>The day on China's clock of a timestamptz column.</summary>
    private static string Cst(string column) => $"(timezone('UTC', {column}) + interval '8 hours')::date";

    /// <summary>Runs <paramref name="query"/> with the county's events (<c>events</c>) and each incident's first times (<c>firsts</c>) defined.</summary>
    private static async Task<long> Count(NpgsqlDataSource db, string county, string query)
    {
        await using var cmd = db.CreateCommand($"""
            WITH events AS (
                SELECT e.* FROM cc_incident_event e JOIN cc_incident i ON i.id = e.incident_id WHERE i.path @> ARRAY[$1]),
            firsts AS (
                SELECT incident_id AS id,
                       min(at) FILTER (WHERE kind IN ('verified', 'taken', 'escalated', 'resolved')) AS accepted,
                       min(at) FILTER (WHERE kind IN ('resolved', 'fedBack')) AS closed,
                       min(seq) FILTER (WHERE kind IN ('resolved', 'fedBack')) AS closed_seq,
                       min(at) FILTER (WHERE kind = 'overdue') AS overdue
                FROM events GROUP BY incident_id)
            {query}
            """);
        cmd.Parameters.Add(new() { Value = county });
        cmd.Parameters.Add(new() { Value = First });
        cmd.Parameters.Add(new() { Value = Last });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
