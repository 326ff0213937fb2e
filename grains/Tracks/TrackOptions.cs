namespace CommandCenter.Tracks;

/// <summary>Track history (轨迹), section <c>CommandCenter:Tracks</c>.</summary>
public sealed class TrackOptions
{
    /// <summary>How long positions are kept; whole days are dropped once they are older.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Day partitions made ahead of today, so a write never finds its day missing.</summary>
    public int DaysAhead { get; set; } = 2;

    /// <summary>How often each silo makes the days ahead and drops the days past retention (also once at start).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The Douglas–Peucker tolerance of <c>GET /api/workers/{id}/track</c>.</summary>
    public double ToleranceMetres { get; set; } = 10;

    /// <summary>The longest period one track request may ask for.</summary>
    public TimeSpan MaxPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The most positions one track request reads (a week of one every 2.5 s); a period holding more is refused, so
    /// that no request holds a person's whole history in memory.
    /// </summary>
    public int MaxRecorded { get; set; } = 250_000;

    /// <summary>Positions waiting to be written per host; beyond it new ones are dropped (counted, never silently).</summary>
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>The most positions one write (one COPY) takes.</summary>
    public int BatchSize { get; set; } = 10_000;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
