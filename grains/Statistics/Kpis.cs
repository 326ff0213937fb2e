namespace CommandCenter.Statistics;

/// <summary>A period's counts (sums of <see cref="StatMeasure"/>, each counted on the day of the event that makes it true).</summary>
public sealed record KpiCounts(
    long Reported, long Accepted, long Rejected, long Merged, long Closed, long ClosedOnTime,
    long ClosedAtGrid, long ClosedAtVillage, long ClosedAtTownship, long ClosedAbove,
    long EverOverdue, long Supervised, long SupervisionEscalated, long Escalated, long RoutedToDepartment, long Reopened,
    long RatedSatisfied, long RatedNeutral, long RatedDissatisfied, long DisputesAccepted, long DisputesClosed)
{
    public long Rated => RatedSatisfied + RatedNeutral + RatedDissatisfied;
}

/// <summary>The shares of the closed cases by the level that closed them (微事不出格、小事不出村、大事不出镇).</summary>
public sealed record LevelShares(double Grid, double Village, double Township, double Above);

/// <summary>
/// The rates of a period, each a share between 0 and 1, null when its denominator is zero (no data is not a zero):
/// see <see cref="Kpis.Of"/> for each numerator and denominator.
/// </summary>
public sealed record KpiRates(
    double? ClosureRate, double? OnTimeRate, double? OnTheSpotRate, LevelShares? ClosedAtShares, double? ResolutionRate,
    double? Satisfaction, double? NeutralShare, double? DissatisfiedShare, double? UnratedShare);

/// <summary>The KPIs, written once: counts from the rolled-up sums, and the rates made of them.</summary>
public static class Kpis
{
    public static KpiCounts Counts(StatSums sums)
    {
        long All(StatMeasure m) => sums.All.GetValueOrDefault(m);
        return new KpiCounts(
            All(StatMeasure.Reported), All(StatMeasure.Accepted), All(StatMeasure.Rejected), All(StatMeasure.Merged),
            All(StatMeasure.Closed), All(StatMeasure.ClosedOnTime), All(StatMeasure.ClosedAtGrid), All(StatMeasure.ClosedAtVillage),
            All(StatMeasure.ClosedAtTownship), All(StatMeasure.ClosedAbove), All(StatMeasure.EverOverdue), All(StatMeasure.Supervised),
            All(StatMeasure.SupervisionEscalated), All(StatMeasure.Escalated), All(StatMeasure.RoutedToDepartment), All(StatMeasure.Reopened),
            All(StatMeasure.RatedSatisfied), All(StatMeasure.RatedNeutral), All(StatMeasure.RatedDissatisfied),
            sums.Disputes.GetValueOrDefault(StatMeasure.Accepted), sums.Disputes.GetValueOrDefault(StatMeasure.Closed));
    }

    /// <summary>
    /// 办结率 = closed / accepted; on-time rate = closed with no deadline missed / closed; 就地办结率 = closed at the grid /
    /// closed, and the shares closed at each level / closed; 化解率 = disputes closed / disputes accepted (categories that
    /// count as disputes); satisfaction = satisfied / rated, neutral and dissatisfied likewise / rated; unrated share =
    /// (closed − rated, at least 0) / closed.
    /// </summary>
    public static KpiRates Of(KpiCounts c) => new(
        Share(c.Closed, c.Accepted),
        Share(c.ClosedOnTime, c.Closed),
        Share(c.ClosedAtGrid, c.Closed),
        c.Closed == 0 ? null : new LevelShares(Share(c.ClosedAtGrid, c.Closed)!.Value, Share(c.ClosedAtVillage, c.Closed)!.Value,
            Share(c.ClosedAtTownship, c.Closed)!.Value, Share(c.ClosedAbove, c.Closed)!.Value),
        Share(c.DisputesClosed, c.DisputesAccepted),
        Share(c.RatedSatisfied, c.Rated),
        Share(c.RatedNeutral, c.Rated),
        Share(c.RatedDissatisfied, c.Rated),
        Share(Math.Max(c.Closed - c.Rated, 0), c.Closed));

    /// <summary>A part of a whole, or null when the whole is zero: no data is not a zero. Every share of the statistics is taken so.</summary>
    public static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
