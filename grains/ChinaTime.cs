namespace CommandCenter;

/// <summary>China Standard Time (UTC+8, no daylight saving): the clock duty days and deadlines are counted in.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The instant on China's clock, for text people read.</summary>
    public static DateTimeOffset Of(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The day on China's calendar an instant falls on.</summary>
    public static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The instant a day reaches a time of day on China's clock.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);

    public static DateTimeOffset StartOfDay(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Offset);
        return new DateTimeOffset(local.Date, Offset);
    }
}
