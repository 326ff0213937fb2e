using System.Text;
using CommandCenter.Calendar;

namespace CommandCenter.Tests.Calendar;

/// <summary>The working-day calendar and its deadlines, with the real dates of the 2025 and 2026 notices.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = new(CalendarYear.Shipped());

    private static DateTimeOffset China(string local) => DateTimeOffset.Parse(local + "+08:00");

    [Fact]
    public void The_shipped_years_are_2025_and_2026_from_the_notices_and_2027_provisional()
    {
        var years = CalendarYear.Shipped();

        Assert.Equal([2025, 2026, 2027], years.Select(y => y.Year));
        Assert.False(years[0].Provisional);
        Assert.Contains("2024-11-12", years[0].Source);
        Assert.False(years[1].Provisional);
        Assert.Contains("2025-11-04", years[1].Source);
        Assert.True(years[2].Provisional);
        Assert.Empty(years[2].WorkingDays);
        Assert.True(Calendar.IsKnown(2027));
        Assert.False(Calendar.IsKnown(2028));
    }

    [Theory]
    [InlineData("2026-01-04", true)]  // Sunday, make-up day of New Year
    [InlineData("2026-02-14", true)]  // Saturday, make-up day of the Spring Festival
    [InlineData("2026-02-28", true)]  // Saturday, make-up day of the Spring Festival
    [InlineData("2026-05-09", true)]  // Saturday, make-up day of Labour Day
    [InlineData("2026-09-20", true)]  // Sunday, make-up day of National Day
    [InlineData("2026-10-10", true)]  // Saturday, make-up day of National Day
    [InlineData("2026-01-02", false)] // Friday, New Year
    [InlineData("2026-02-16", false)] // Monday, Spring Festival
    [InlineData("2026-06-19", false)] // Friday, Dragon Boat
    [InlineData("2026-09-25", false)] // Friday, Mid-Autumn
    [InlineData("2026-10-07", false)] // Wednesday, National Day
    [InlineData("2026-10-08", true)]  // Thursday after National Day
    [InlineData("2026-10-11", false)] // an ordinary Sunday
    [InlineData("2025-01-26", true)]  // Sunday, make-up day of the 2025 Spring Festival
    [InlineData("2025-10-08", false)] // Wednesday, the 8th day of National Day + Mid-Autumn 2025
    [InlineData("2025-10-11", true)]  // Saturday, make-up day
    [InlineData("2028-03-06", true)]  // an ordinary Monday of a year not on file
    [InlineData("2028-03-04", false)] // an ordinary Saturday of a year not on file
    public void Days_off_make_up_days_and_weekends_are_as_the_notices_say(string day, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingDay(DateOnly.Parse(day)));

    [Fact]
    public void A_ticket_made_on_the_last_working_day_before_National_Day_2026_is_due_after_the_holiday()
    {
        var made = China("2026-09-30T16:30:00");

        // 制单/接单 within 1 working day: the day itself does not count, 1–7 Oct are off, 8 Oct is the first working day.
        Assert.Equal(China("2026-10-09T00:00:00"), Calendar.WorkingDaysAfter(made, 1));
        // 5 working days: 8, 9, 10 (the make-up Saturday), 12, 13 October.
        Assert.Equal(China("2026-10-14T00:00:00"), Calendar.WorkingDaysAfter(made, 5));
        // 7 working days: ... 14, 15 October.
        Assert.Equal(China("2026-10-16T00:00:00"), Calendar.WorkingDaysAfter(made, 7));
    }

    [Fact]
    public void A_make_up_Saturday_counts_as_a_working_day()
    {
        // Friday 13 Feb 2026: the next working day is the make-up Saturday 14 Feb, then the Spring Festival.
        Assert.Equal(China("2026-02-15T00:00:00"), Calendar.WorkingDaysAfter(China("2026-02-13T09:00:00"), 1));
        Assert.Equal(China("2026-02-25T00:00:00"), Calendar.WorkingDaysAfter(China("2026-02-13T09:00:00"), 2));
    }

    [Fact]
    public void The_day_is_the_day_in_China_Standard_Time()
    {
        // 23:30 UTC on 7 Oct is 07:30 on 8 Oct in China: the arrival day is 8 Oct, so one working day ends with 9 Oct.
        Assert.Equal(China("2026-10-10T00:00:00"), Calendar.WorkingDaysAfter(DateTimeOffset.Parse("2026-10-07T23:30:00Z"), 1));
        // 15:59 UTC on 7 Oct is still 7 Oct in China (a holiday): one working day ends with 8 Oct.
        Assert.Equal(China("2026-10-09T00:00:00"), Calendar.WorkingDaysAfter(DateTimeOffset.Parse("2026-10-07T15:59:00Z"), 1));
    }

    [Fact]
    public void Thirty_working_days_cross_the_Spring_Festival()
    {
        // From Monday 2 Feb 2026: 3–13 Feb (9), 14 Feb make-up (10), Spring Festival 15–23 off, 24–27 Feb (14),
        // 28 Feb make-up (15), then 2–6, 9–13, 16–20 March (30).
        Assert.Equal(China("2026-03-21T00:00:00"), Calendar.WorkingDaysAfter(China("2026-02-02T10:00:00"), 30));
    }

    [Fact]
    public void A_deadline_in_weeks_counts_calendar_days_and_moves_off_a_day_off()
    {
        // 3 weeks after Wednesday 16 Sep 2026 is 7 Oct, a holiday: the end of 8 Oct.
        Assert.Equal(China("2026-10-09T00:00:00"), Calendar.WeeksAfter(China("2026-09-16T11:00:00"), 3));
        // 3 weeks after Wednesday 2 Sep 2026 is Wednesday 23 Sep, a working day.
        Assert.Equal(China("2026-09-24T00:00:00"), Calendar.WeeksAfter(China("2026-09-02T11:00:00"), 3));
        // Ending on an ordinary Saturday moves to the end of Monday.
        Assert.Equal(China("2026-11-24T00:00:00"), Calendar.WeeksAfter(China("2026-11-07T08:00:00"), 2));
    }

    [Theory]
    [InlineData("""{"year":2026,"source":"s","provisional":false,"daysOff":["""
        + """{"name":"x","from":"2026-10-02","to":"2026-10-01"}],"workingDays":[]}""", "must run forwards")]
    [InlineData("""{"year":2026,"source":"s","provisional":false,"daysOff":["""
        + """{"name":"x","from":"2025-12-31","to":"2026-01-01"}],"workingDays":[]}""", "within 2026")]
    [InlineData("""{"year":2026,"source":"s","provisional":false,"daysOff":["""
        + """{"name":"a","from":"2026-10-01","to":"2026-10-03"},{"name":"b","from":"2026-10-03","to":"2026-10-04"}],"workingDays":[]}""", "two spans")]
    [InlineData("""{"year":2026,"source":"s","provisional":false,"daysOff":[],"workingDays":[{"name":"x","date":"2026-10-08"}]}""", "is a weekday")]
    [InlineData("""{"year":2026,"source":"s","provisional":false,"daysOff":["""
        + """{"name":"a","from":"2026-10-03","to":"2026-10-04"}],"workingDays":[{"name":"x","date":"2026-10-03"}]}""", "both a day off")]
    [InlineData("""{"year":2026,"source":"s","provisional":false,"daysOff":[]}""", "needs year")]
    [InlineData("""{"year":true}""", "Not a calendar year")]
    [InlineData("""{"year":1999,"source":"s","provisional":false,"daysOff":[],"workingDays":[]}""", "out of range")]
    public void A_year_file_that_contradicts_itself_is_refused_saying_where(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => CalendarYear.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Deadlines_need_at_least_one_day_or_week()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.WorkingDaysAfter(China("2026-10-08T09:00:00"), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.WeeksAfter(China("2026-10-08T09:00:00"), 0));
    }
}
