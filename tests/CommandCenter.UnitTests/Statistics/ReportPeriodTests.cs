using CommandCenter.Statistics;

namespace CommandCenter.UnitTests.Statistics;

public sealed class ReportPeriodTests
{
    [Theory]
    [InlineData(ReportPeriodKind.Day, "2026-12-07", "2026-12-07", "2026-12-07", "2026年12月7日", "2026-12-07")]
    [InlineData(ReportPeriodKind.Week, "2026-12-07", "2026-12-07", "2026-12-13", "2026年第50周", "2026-W50")]
    [InlineData(ReportPeriodKind.Week, "2027-01-01", "2026-12-28", "2027-01-03", "2026年第53周", "2026-W53")]
    [InlineData(ReportPeriodKind.Month, "2026-02-15", "2026-02-01", "2026-02-28", "2026年2月", "2026-02")]
    [InlineData(ReportPeriodKind.Quarter, "2026-12-07", "2026-10-01", "2026-12-31", "2026年第4季度", "2026Q4")]
    public void A_period_holds_its_day_and_is_named_as_people_say_it(ReportPeriodKind kind, string day, string from, string to, string name, string key)
    {
        var period = ReportPeriod.Holding(kind, DateOnly.Parse(day));

        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to), name, key), (period.From, period.To, period.Name, period.Key));
        Assert.Equal(period, ReportPeriod.Parse(kind, key));
    }

    [Theory]
    [InlineData(ReportPeriodKind.Day, "2026-13-01")]
    [InlineData(ReportPeriodKind.Week, "2026-W54")]
    [InlineData(ReportPeriodKind.Week, "2025-W53")]
    [InlineData(ReportPeriodKind.Week, "2026W49")]
    [InlineData(ReportPeriodKind.Month, "2026-00")]
    [InlineData(ReportPeriodKind.Quarter, "2026Q5")]
    [InlineData(ReportPeriodKind.Quarter, "2026-Q4")]
    public void A_key_that_is_not_a_period_of_its_kind_is_refused(ReportPeriodKind kind, string key) => Assert.Null(ReportPeriod.Parse(kind, key));
}
