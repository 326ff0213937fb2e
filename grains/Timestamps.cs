namespace CommandCenter;

/// <summary>Times as PostgreSQL keeps them.</summary>
public static class Timestamps
{
    /// <summary>What timestamptz keeps of <paramref name="at"/> (UTC, whole microseconds), so that an answer equals a later read.</summary>
    public static DateTimeOffset Stored(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
