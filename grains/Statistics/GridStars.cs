namespace CommandCenter.Statistics;

/// <summary>How much each part weighs in a grid's score (星级网格); the defaults sum to 1.</summary>
public sealed class GridScoreWeights
{
    public double Closure { get; set; } = 0.30;
    public double OnTime { get; set; } = 0.20;
    public double Satisfaction { get; set; } = 0.20;
    public double Patrol { get; set; } = 0.20;
    public double NotOverdue { get; set; } = 0.05;
    public double NotReopened { get; set; } = 0.05;
}

/// <summary>The rankings' scores: the weighted mean of the parts that have data (a part without data leaves the mean with its weight), × 100.</summary>
public static class WeightedScore
{
    public static double? Of(IReadOnlyList<(double? Part, double Weight)> parts)
    {
        var counted = parts.Where(p => p.Part is not null && p.Weight > 0).ToList();
        var weight = counted.Sum(p => p.Weight);
        return weight == 0 ? null : Math.Round(counted.Sum(p => p.Part!.Value * p.Weight) / weight * 100, 2);
    }
}

/// <summary>The rankings' settings (section CommandCenter:Rankings).</summary>
public sealed class RankingOptions
{
    public GridScoreWeights GridWeights { get; set; } = new();

    public WorkerScoreWeights WorkerWeights { get; set; } = new();

    public static readonly IReadOnlyList<double> DefaultStarThresholds = [60, 70, 80, 90, 95];

    /// <summary>
    /// The scores (0–100) from which a grid has one star, two, … five, ascending; null: <see cref="DefaultStarThresholds"/>.
    /// (Not a list with the defaults in it: configuration binding adds to a list's items instead of replacing them.)
    /// </summary>
    public double[]? StarThresholds { get; set; }

    public IReadOnlyList<double> Thresholds => StarThresholds ?? DefaultStarThresholds;
}

/// <summary>A grid's figures over the ranking's period.</summary>
public sealed record GridFigures(string Code, KpiCounts Counts, long PatrolWindowsDone, long PatrolWindowsDue);

/// <summary>The parts of a grid's score (shares between 0 and 1; null where the grid has no data for one).</summary>
public sealed record GridScoreParts(double? Closure, double? OnTime, double? Satisfaction, double? Patrol, double? NotOverdue, double? NotReopened);

/// <summary>A grid's place: its rank (1 first, every grid its own), its score (0–100, null without any data) and its stars (0–5).</summary>
public sealed record GridStar(int Rank, string Code, double? Score, int Stars, GridScoreParts Parts, GridFigures Figures);

/// <summary>
/// 星级网格, plain code: a grid's score is the weighted mean of the parts it has data for (a part without data leaves
/// the mean, its weight with it: a grid is not marked down for what did not happen), times 100; its stars are the
/// thresholds it reaches. Ranks are by score (grids without a score last), then by cases closed, then by code, so
/// that equal scores always come out in the same order.
/// </summary>
public static class GridStars
{
    public static GridScoreParts Parts(GridFigures f)
    {
        var c = f.Counts;
        var rates = Kpis.Of(c);
        return new GridScoreParts(
            rates.ClosureRate,
            rates.OnTimeRate,
            rates.Satisfaction,
            Kpis.Share(f.PatrolWindowsDone, f.PatrolWindowsDue),
            c.Accepted == 0 ? null : 1 - Math.Min(1, (double)c.EverOverdue / c.Accepted),
            c.Closed == 0 ? null : 1 - Math.Min(1, (double)c.Reopened / c.Closed));
    }

    public static double? Score(GridScoreParts p, GridScoreWeights w) => WeightedScore.Of(
        [(p.Closure, w.Closure), (p.OnTime, w.OnTime), (p.Satisfaction, w.Satisfaction), (p.Patrol, w.Patrol), (p.NotOverdue, w.NotOverdue),
         (p.NotReopened, w.NotReopened)]);

    public static int Stars(double? score, IReadOnlyList<double> thresholds) => score is { } s ? thresholds.Count(t => s >= t) : 0;

    public static IReadOnlyList<GridStar> Rank(IEnumerable<GridFigures> grids, RankingOptions options) =>
        grids.Select(f => (Figures: f, Parts: Parts(f)))
            .Select(g => (g.Figures, g.Parts, Score: Score(g.Parts, options.GridWeights)))
            .OrderBy(g => g.Score is null)
            .ThenByDescending(g => g.Score)
            .ThenByDescending(g => g.Figures.Counts.Closed)
            .ThenBy(g => g.Figures.Code, StringComparer.Ordinal)
            .Select((g, i) => new GridStar(i + 1, g.Figures.Code, g.Score, Stars(g.Score, options.Thresholds), g.Parts, g.Figures))
            .ToList();
}
