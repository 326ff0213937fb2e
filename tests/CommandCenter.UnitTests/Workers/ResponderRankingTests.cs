using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Workers;

namespace CommandCenter.Tests.Workers;

/// <summary>The nearest responder (就近派单): who is offered, and in which order.</summary>
public sealed class ResponderRankingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
    private const string Grid = "620402001001001";
    private const string OtherGrid = "620402001001002";

    private static ResponderCandidate Candidate(string id, double meters, string grid = OtherGrid,
        WorkerRole role = WorkerRole.GridWorker, DutyStatus status = DutyStatus.OnDuty, bool lost = false, bool positioned = true)
    {
        var worker = new WorkerRecord(id, "人员" + id, role, grid, 36.5, 104.1);
        var position = positioned ? new WorkerPosition(id, 36.5, 104.1, T0, status) : null;
        return new ResponderCandidate(worker, new WorkerView(worker, position, status, lost), meters, grid == Grid,
            role == WorkerRole.PatrolOfficer && grid == Grid);
    }

    private static string[] Ids(IEnumerable<ResponderCandidate> ranked) => ranked.Select(c => c.Worker.Id).ToArray();

    [Fact]
    public void Without_the_grid_first_everyone_available_comes_nearest_first_and_ties_by_id()
    {
        var ranked = ResponderRanking.Rank(
            [Candidate("c", 300), Candidate("a", 120, Grid), Candidate("b", 300), Candidate("d", 40)],
            gridPeopleFirst: false, limit: 10);

        Assert.Equal(["d", "a", "b", "c"], Ids(ranked));
    }

    [Fact]
    public void The_incidents_own_grid_chief_and_workers_come_before_nearer_people_but_its_bound_officers_do_not()
    {
        var ranked = ResponderRanking.Rank(
            [
                Candidate("near", 50),
                Candidate("officer", 60, Grid, WorkerRole.PatrolOfficer),
                Candidate("worker", 900, Grid),
                Candidate("chief", 400, Grid, WorkerRole.GridChief),
            ],
            gridPeopleFirst: true, limit: 10);

        Assert.Equal(["chief", "worker", "near", "officer"], Ids(ranked));
        Assert.True(ranked.Single(c => c.Worker.Id == "officer").PoliceBound);
    }

    [Theory]
    [InlineData(DutyStatus.OffDuty)]
    [InlineData(DutyStatus.Busy)]
    [InlineData(DutyStatus.Sos)]
    public void Off_duty_busy_and_sos_are_not_offered(DutyStatus status)
    {
        var ranked = ResponderRanking.Rank([Candidate("x", 10, Grid, status: status), Candidate("y", 500)], true, 10);

        Assert.Equal(["y"], Ids(ranked));
    }

    [Fact]
    public void On_patrol_is_offered_but_lost_contact_and_no_position_are_not()
    {
        var ranked = ResponderRanking.Rank(
            [
                Candidate("patrol", 30, status: DutyStatus.OnPatrol),
                Candidate("silent", 10, lost: true),
                Candidate("nowhere", 5, positioned: false),
            ],
            true, 10);

        Assert.Equal(["patrol"], Ids(ranked));
    }

    [Fact]
    public void At_most_the_limit_and_each_person_once()
    {
        var many = Enumerable.Range(0, 20).Select(i => Candidate($"w{i:00}", 1000 - i * 10)).ToList();
        many.Add(Candidate("w19", 810));

        var ranked = ResponderRanking.Rank(many, true, 3);

        Assert.Equal(["w19", "w18", "w17"], Ids(ranked));
    }
}
