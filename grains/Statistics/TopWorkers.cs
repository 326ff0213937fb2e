namespace CommandCenter.Statistics;

/// <summary>How much each part weighs in a grid worker's score (十佳网格员); the defaults sum to 1.</summary>
public sealed class WorkerScoreWeights
{
    public double Reports { get; set; } = 0.25;
    public double OnTheSpot { get; set; } = 0.25;
    public double OnTime { get; set; } = 0.20;
    public double Satisfaction { get; set; } = 0.15;
    public double Patrol { get; set; } = 0.15;
}

/// <summary>What a grid worker did in the period: from the event log (by their account) and the patrol outcomes of their grid.</summary>
public sealed record WorkerFigures(string WorkerId, long Reports, long OnTheSpot, long Handled, long WithoutMissedDeadline, long RatedSatisfied,
    long Rated, long PatrolWindowsDone, long PatrolWindowsDue)
{
    /// <summary>Cases the person closed on the spot or handled.</summary>
    public long Worked => OnTheSpot + Handled;
}

/// <summary>The parts of a worker's score, each from 0 to 1 (null without data): reports and closures on the spot against the area's most.</summary>
public sealed record WorkerScoreParts(double? Reports, double? OnTheSpot, double? OnTime, double? Satisfaction, double? Patrol);

public sealed record RankedWorker(int Rank, double? Score, WorkerScoreParts Parts, WorkerFigures Figures);

/// <summary>
/// 十佳网格员, plain code: a worker's parts are their reports and their closures on the spot as shares of the most any
/// worker of the area made (0 when nobody made any is no data: null), the share of the cases they closed on the spot or
/// handled without a missed deadline, the satisfied share of those cases' ratings, and their grid's patrol windows done.
/// The score is the weighted mean of the parts with data × 100; ranks by score (none last), then reports, then cases
/// worked, then id.
/// </summary>
public static class TopWorkers
{
    public static IReadOnlyList<RankedWorker> Rank(IReadOnlyCollection<WorkerFigures> workers, WorkerScoreWeights weights)
    {
        var mostReports = workers.Count == 0 ? 0 : workers.Max(w => w.Reports);
        var mostOnTheSpot = workers.Count == 0 ? 0 : workers.Max(w => w.OnTheSpot);
        return workers
            .Select(w => (Figures: w, Parts: new WorkerScoreParts(
                Kpis.Share(w.Reports, mostReports), Kpis.Share(w.OnTheSpot, mostOnTheSpot), Kpis.Share(w.WithoutMissedDeadline, w.Worked),
                Kpis.Share(w.RatedSatisfied, w.Rated), Kpis.Share(w.PatrolWindowsDone, w.PatrolWindowsDue))))
            .Select(w => (w.Figures, w.Parts, Score: Score(w.Parts, weights)))
            .OrderBy(w => w.Score is null)
            .ThenByDescending(w => w.Score)
            .ThenByDescending(w => w.Figures.Reports)
            .ThenByDescending(w => w.Figures.Worked)
            .ThenBy(w => w.Figures.WorkerId, StringComparer.Ordinal)
            .Select((w, i) => new RankedWorker(i + 1, w.Score, w.Parts, w.Figures))
            .ToList();
    }

    public static double? Score(WorkerScoreParts p, WorkerScoreWeights w) => WeightedScore.Of(
        [(p.Reports, w.Reports), (p.OnTheSpot, w.OnTheSpot), (p.OnTime, w.OnTime), (p.Satisfaction, w.Satisfaction), (p.Patrol, w.Patrol)]);
}
