using System.Globalization;

namespace CommandCenter.Tracks;

/// <summary>
/// The day partitions of the track history (<c>cc_position_YYYYMMDD</c>): one per China Standard Time day, from 00:00 to
/// 24:00 CST. Which days must exist ahead of the clock, and which have left the retention period and are dropped
/// whole.
/// </summary>
public static class PositionPartitions
{
    public const string Table = "cc_position";
    private const string Prefix = Table + "_";
    private const string DayFormat = "yyyyMMdd";

    public static string NameOf(DateOnly day) => Prefix + day.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>The day a partition's name stands for; null for a name that is not one of ours.</summary>
    public static DateOnly? DayOf(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
        && DateOnly.TryParseExact(name[Prefix.Length..], DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    /// <summary>The China Standard Time day an instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ChinaTime.Of(instant).DateTime);

    /// <summary>A day's range: from its 00:00 CST (inclusive) to the next day's (exclusive).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) RangeOf(DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        return (start, start.AddDays(1));
    }

    /// <summary>Today (in CST) and the <paramref name="daysAhead"/> days after it: the partitions that must exist now.</summary>
    public static IReadOnlyList<DateOnly> DaysToCreate(DateTimeOffset now, int daysAhead)
    {
        var today = DayOf(now);
        return Enumerable.Range(0, daysAhead + 1).Select(today.AddDays).ToList();
    }

    /// <summary>
    /// The partitions among <paramref name="existing"/> whose whole day ended longer than <paramref name="retention"/>
    /// ago: nothing in them is still kept. Names that are not day partitions of the history are never dropped.
    /// </summary>
    public static IReadOnlyList<string> ToDrop(IEnumerable<string> existing, DateTimeOffset now, TimeSpan retention) =>
        existing.Where(name => DayOf(name) is { } day && RangeOf(day).To <= now - retention)
            .Order(StringComparer.Ordinal)
            .ToList();
}
