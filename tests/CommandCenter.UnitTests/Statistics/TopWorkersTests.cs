using CommandCenter.Statistics;

namespace CommandCenter.UnitTests.Statistics;

public sealed class TopWorkersTests
{
    private static readonly WorkerScoreWeights Weights = new();

    private static WorkerFigures Worker(string id, long reports = 0, long onTheSpot = 0, long handled = 0, long onTime = 0, long satisfied = 0, long rated = 0,
        long done = 0, long due = 0) => new(id, reports, onTheSpot, handled, onTime, satisfied, rated, done, due);

    [Fact]
    public void Reports_and_closures_on_the_spot_count_against_the_areas_most_and_the_shares_as_they_are()
    {
        var ranked = TopWorkers.Rank([Worker("w1", reports: 10, onTheSpot: 4, onTime: 4, satisfied: 2, rated: 2, done: 9, due: 10),
            Worker("w2", reports: 5, onTheSpot: 2, onTime: 1, rated: 1, done: 5, due: 10)], Weights);

        Assert.Equal(["w1", "w2"], ranked.Select(r => r.Figures.WorkerId));
        Assert.Equal(new WorkerScoreParts(1, 1, 1, 1, 0.9), ranked[0].Parts);
        Assert.Equal(new WorkerScoreParts(0.5, 0.5, 0.5, 0, 0.5), ranked[1].Parts);
        Assert.Equal(Math.Round((0.25 + 0.25 + 0.20 + 0.15 + 0.15 * 0.9) * 100, 2), ranked[0].Score);
    }

    [Fact]
    public void A_part_nobody_has_is_no_data_but_no_reports_where_others_reported_is_a_zero()
    {
        var ranked = TopWorkers.Rank([Worker("idle"), Worker("w1", reports: 3)], Weights);

        Assert.Equal(["w1", "idle"], ranked.Select(r => r.Figures.WorkerId));
        Assert.Null(ranked[0].Parts.OnTheSpot);
        Assert.Equal(100, ranked[0].Score);
        Assert.Equal(0, ranked[1].Score);
        Assert.Null(Assert.Single(TopWorkers.Rank([Worker("alone")], Weights)).Score);
    }

    [Fact]
    public void Equal_scores_go_by_reports_then_cases_worked_then_id_in_any_order_given()
    {
        WorkerFigures[] workers = [Worker("w3", reports: 2, handled: 1, onTime: 1), Worker("w2", reports: 2, handled: 1, onTime: 1),
            Worker("w1", reports: 2, handled: 1, onTime: 1)];

        Assert.Equal(["w1", "w2", "w3"], TopWorkers.Rank(workers, Weights).Select(r => r.Figures.WorkerId));
        Assert.Equal(["w1", "w2", "w3"], TopWorkers.Rank(workers.Reverse().ToList(), Weights).Select(r => r.Figures.WorkerId));
    }
}
