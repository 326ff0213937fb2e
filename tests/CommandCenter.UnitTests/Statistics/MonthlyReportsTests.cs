using CommandCenter.Statistics;

namespace CommandCenter.UnitTests.Statistics;

public sealed class MonthlyReportsTests
{
    [Theory]
    [InlineData("2026-12-19", "2026-10")]
    [InlineData("2026-12-20", "2026-11")]
    [InlineData("2026-12-31", "2026-11")]
    [InlineData("2027-01-20", "2026-12")]
    [InlineData("2027-01-05", "2026-11")]
    public void Last_months_reports_are_due_from_the_build_day_on_before_it_the_month_befores(string today, string latest) =>
        Assert.Equal(latest, MonthlyReports.Latest(DateOnly.Parse(today), 20).Key);
}
