using CommandCenter.Statistics;

namespace CommandCenter.UnitTests.Statistics;

public sealed class GridStarsTests
{
    private static readonly RankingOptions Options = new();

    private static GridFigures Grid(string code, long accepted = 0, long closed = 0, long onTime = 0, long satisfied = 0, long dissatisfied = 0,
        long overdue = 0, long reopened = 0, long done = 0, long due = 0) =>
        new(code, new KpiCounts(Reported: accepted, Accepted: accepted, Rejected: 0, Merged: 0, Closed: closed, ClosedOnTime: onTime, ClosedAtGrid: closed,
            ClosedAtVillage: 0, ClosedAtTownship: 0, ClosedAbove: 0, EverOverdue: overdue, Supervised: overdue, SupervisionEscalated: 0, Escalated: 0,
            RoutedToDepartment: 0, Reopened: reopened, RatedSatisfied: satisfied, RatedNeutral: 0, RatedDissatisfied: dissatisfied,
            DisputesAccepted: 0, DisputesClosed: 0), done, due);

    [Fact]
    public void A_perfect_grid_scores_100_and_five_stars()
    {
        var star = Assert.Single(GridStars.Rank([Grid("G1", accepted: 10, closed: 10, onTime: 10, satisfied: 5, done: 30, due: 30)], Options));

        Assert.Equal((1, 100.0, 5), (star.Rank, star.Score, star.Stars));
    }

    [Fact]
    public void A_part_without_data_leaves_the_mean_with_its_weight()
    {
        // Nothing rated and no patrol windows: closure 0.8 (0.30), on time 0.5 (0.20), not overdue 0.8 (0.05), not reopened 1 (0.05).
        var parts = GridStars.Parts(Grid("G1", accepted: 10, closed: 8, onTime: 4, overdue: 2));

        Assert.Null(parts.Satisfaction);
        Assert.Null(parts.Patrol);
        Assert.Equal(Math.Round((0.8 * 0.30 + 0.5 * 0.20 + 0.8 * 0.05 + 1 * 0.05) / 0.60 * 100, 2), GridStars.Score(parts, Options.GridWeights));
    }

    [Fact]
    public void A_grid_with_no_data_has_no_score_no_stars_and_comes_last()
    {
        var ranked = GridStars.Rank([Grid("G0"), Grid("G9", accepted: 2, closed: 1, onTime: 1)], Options);

        Assert.Equal(["G9", "G0"], ranked.Select(g => g.Code));
        Assert.Equal((null, 0), (ranked[1].Score, ranked[1].Stars));
    }

    [Fact]
    public void Equal_scores_are_ranked_by_cases_closed_then_by_code_and_always_the_same_way()
    {
        GridFigures[] grids =
        [
            Grid("G3", accepted: 4, closed: 4, onTime: 4, satisfied: 4),
            Grid("G1", accepted: 4, closed: 4, onTime: 4, satisfied: 4),
            Grid("G2", accepted: 9, closed: 9, onTime: 9, satisfied: 9),
        ];

        var ranked = GridStars.Rank(grids, Options);

        Assert.Equal(["G2", "G1", "G3"], ranked.Select(g => g.Code));
        Assert.Equal([1, 2, 3], ranked.Select(g => g.Rank));
        Assert.Equal(ranked.Select(g => g.Code), GridStars.Rank(grids.Reverse(), Options).Select(g => g.Code));
    }

    [Theory]
    [InlineData(59.99, 0)]
    [InlineData(60, 1)]
    [InlineData(85, 3)]
    [InlineData(94.99, 4)]
    [InlineData(95, 5)]
    public void Stars_are_the_thresholds_reached(double score, int stars) => Assert.Equal(stars, GridStars.Stars(score, Options.Thresholds));

    [Fact]
    public void Weights_are_the_configurations_and_a_zero_weight_leaves_its_part_out()
    {
        var weights = new GridScoreWeights { Closure = 1, OnTime = 0, Satisfaction = 0, Patrol = 0, NotOverdue = 0, NotReopened = 0 };
        var parts = GridStars.Parts(Grid("G1", accepted: 4, closed: 3, onTime: 0, dissatisfied: 3, done: 0, due: 10));

        Assert.Equal(75, GridStars.Score(parts, weights));
    }
}
