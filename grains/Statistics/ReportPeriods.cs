using System.Globalization;

namespace CommandCenter.Statistics;

/// <summary>The periods a report covers (日分析、周研判、月报、季报).</summary>
public enum ReportPeriodKind
{
    Day,
    Week,
    Month,
    Quarter,
}

/// <summary>
/// One report's period: its first and last day (China Standard Time), how its trend is broken down, its name as
/// people say it (2026年12月7日, 2026年第49周, 2026年12月, 2026年第4季度) and its key in addresses (2026-12-07,
/// 2026-W49, 2026-12, 2026Q4).
/// </summary>
public sealed record ReportPeriod(ReportPeriodKind Kind, DateOnly From, DateOnly To, StatGrouping Trend, string Name, string Key)
{
    /// <summary>The period of <paramref name="kind"/> that holds <paramref name="day"/>.</summary>
    public static ReportPeriod Holding(ReportPeriodKind kind, DateOnly day)
    {
        switch (kind)
        {
            case ReportPeriodKind.Day:
                return new(kind, day, day, StatGrouping.Day, $"{day.Year}年{day.Month}月{day.Day}日", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case ReportPeriodKind.Week:
                var date = day.ToDateTime(TimeOnly.MinValue);
                var (year, week) = (ISOWeek.GetYear(date), ISOWeek.GetWeekOfYear(date));
                var monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
                return new(kind, monday, monday.AddDays(6), StatGrouping.Day, $"{year}年第{week}周", $"{year}-W{week:00}");
            case ReportPeriodKind.Month:
                var first = new DateOnly(day.Year, day.Month, 1);
                return new(kind, first, first.AddMonths(1).AddDays(-1), StatGrouping.Day, $"{day.Year}年{day.Month}月",
                    first.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            default:
                var quarter = (day.Month - 1) / 3 + 1;
                var start = new DateOnly(day.Year, (quarter - 1) * 3 + 1, 1);
                return new(kind, start, start.AddMonths(3).AddDays(-1), StatGrouping.Week, $"{day.Year}年第{quarter}季度", $"{day.Year}Q{quarter}");
        }
    }

    /// <summary>The period named by its key (2026-12-07, 2026-W49, 2026-12, 2026Q4), or null when the key is not one of <paramref name="kind"/>'s.</summary>
    public static ReportPeriod? Parse(ReportPeriodKind kind, string key)
    {
        var c = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case ReportPeriodKind.Day when DateOnly.TryParseExact(key, "yyyy-MM-dd", c, DateTimeStyles.None, out var day):
                return Holding(kind, day);
            case ReportPeriodKind.Week when key.Length == 8 && key[4..6] == "-W" && int.TryParse(key[..4], NumberStyles.None, c, out var year)
                    && int.TryParse(key[6..], NumberStyles.None, c, out var week) && year is >= 2000 and <= 2100 && week >= 1
                    && week <= ISOWeek.GetWeeksInYear(year):
                return Holding(kind, DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)));
            case ReportPeriodKind.Month when DateOnly.TryParseExact(key + "-01", "yyyy-MM-dd", c, DateTimeStyles.None, out var month):
                return Holding(kind, month);
            case ReportPeriodKind.Quarter when key.Length == 6 && key[4] == 'Q' && int.TryParse(key[..4], NumberStyles.None, c, out var y)
                    && key[5] is >= '1' and <= '4' && y is >= 2000 and <= 2100:
                return Holding(kind, new DateOnly(y, (key[5] - '1') * 3 + 1, 1));
            default:
                return null;
        }
    }
}
