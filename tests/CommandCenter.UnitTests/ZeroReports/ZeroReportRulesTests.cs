using CommandCenter.Calendar;
using CommandCenter.Geography;
using CommandCenter.Tests.Geography;
using CommandCenter.ZeroReports;

namespace CommandCenter.Tests.ZeroReports;

/// <summary>
/// The zero-report's rules on real China Standard Time days around National Day 2026 (1–7 October off): who is due
/// when, the deadline instant, on time and late, what a report may say, where a unit stands as the clock moves, and
/// reminders once per unit and day.
/// </summary>
public sealed class ZeroReportRulesTests
{
    private static readonly WorkingCalendar Calendar = new(CalendarYear.Shipped());

    private static readonly DateOnly Holiday = new(2026, 10, 3); // a Saturday of National Day, a day off

    private static readonly DateOnly Workday = new(2026, 9, 30); // a Wednesday

    /// <summary>10:00 CST of 3 October 2026 is 02:00 UTC.</summary>
    private static readonly DateTimeOffset HolidayDeadline = new(2026, 10, 3, 2, 0, 0, TimeSpan.Zero);

    private static JurisdictionTree Tree => DemoCountyData.Tree;

    private static SensitivePeriod Period(DateOnly from, DateOnly to, JurisdictionLevel[] levels, TimeOnly? deadline = null, bool workingDaysOnly = false,
        DateOnly? endedOn = null) =>
        new(Guid.NewGuid(), "国庆敏感时期", from, to, levels, deadline ?? ZeroReportRules.DefaultDeadline, workingDaysOnly, "user:duty", "值班员",
            DateTimeOffset.UnixEpoch, endedOn);

    private static readonly SensitivePeriod NationalDay =
        Period(new DateOnly(2026, 9, 28), new DateOnly(2026, 10, 8), [JurisdictionLevel.Township, JurisdictionLevel.Village]);

    [Fact]
    public void Every_day_of_a_period_is_due_holidays_included_unless_it_asks_for_working_days_only()
    {
        Assert.True(ZeroReportRules.Runs(NationalDay, Holiday, Calendar));
        Assert.True(ZeroReportRules.Runs(NationalDay, Workday, Calendar));
        Assert.False(ZeroReportRules.Runs(NationalDay, new DateOnly(2026, 9, 27), Calendar));
        Assert.True(ZeroReportRules.Runs(NationalDay, new DateOnly(2026, 10, 8), Calendar));
        Assert.False(ZeroReportRules.Runs(NationalDay, new DateOnly(2026, 10, 9), Calendar));

        var workingDays = NationalDay with { WorkingDaysOnly = true };
        Assert.False(ZeroReportRules.Runs(workingDays, Holiday, Calendar));
        Assert.True(ZeroReportRules.Runs(workingDays, Workday, Calendar));
        Assert.True(ZeroReportRules.Runs(workingDays, new DateOnly(2026, 10, 8), Calendar)); // the Thursday after the days off
        var makeUpSunday = Period(new DateOnly(2026, 9, 19), new DateOnly(2026, 9, 21), [JurisdictionLevel.Township], workingDaysOnly: true);
        Assert.Equal([false, true, true], // Saturday off, Sunday 20 September a make-up working day (调休), Monday
            Enumerable.Range(19, 3).Select(d => ZeroReportRules.Runs(makeUpSunday, new DateOnly(2026, 9, d), Calendar)));
    }

    [Fact]
    public void A_period_ended_early_runs_until_the_day_it_was_ended_on_and_one_ended_before_it_began_never_runs()
    {
        var ended = NationalDay with { EndedOn = Workday };
        Assert.True(ZeroReportRules.Runs(ended, Workday, Calendar));
        Assert.False(ZeroReportRules.Runs(ended, Workday.AddDays(1), Calendar));
        var cancelled = NationalDay with { EndedOn = NationalDay.From.AddDays(-2) };
        Assert.False(ZeroReportRules.Runs(cancelled, NationalDay.From, Calendar));
    }

    [Fact]
    public void The_deadline_is_the_days_time_in_China_Standard_Time_and_with_overlapping_periods_the_earliest_naming_the_level()
    {
        Assert.Equal(HolidayDeadline, ZeroReportRules.Deadline([NationalDay], Holiday, JurisdictionLevel.Village, Calendar));
        Assert.Null(ZeroReportRules.Deadline([NationalDay], Holiday, JurisdictionLevel.Grid, Calendar));
        Assert.Null(ZeroReportRules.Deadline([NationalDay], new DateOnly(2026, 10, 9), JurisdictionLevel.Township, Calendar));

        var townshipsEarly = Period(Holiday, Holiday, [JurisdictionLevel.Township], new TimeOnly(8, 30));
        Assert.Equal(HolidayDeadline.AddMinutes(-90), ZeroReportRules.Deadline([NationalDay, townshipsEarly], Holiday, JurisdictionLevel.Township, Calendar));
        Assert.Equal(HolidayDeadline, ZeroReportRules.Deadline([NationalDay, townshipsEarly], Holiday, JurisdictionLevel.Village, Calendar));
    }

    [Fact]
    public void The_units_due_are_those_of_the_levels_named_under_the_area_in_tree_order()
    {
        var township = Tree.ChildrenOf(Tree.Root.Code)[0];
        var villages = Tree.ChildrenOf(township.Code);

        var all = ZeroReportRules.DueUnits(Tree, township.Code, [NationalDay], Holiday, Calendar);
        Assert.Equal([township.Code, .. villages.Select(v => v.Code)], all.Select(u => u.Code));
        Assert.All(all, u => Assert.Equal((Holiday, HolidayDeadline), (u.Day, u.Deadline)));

        var townshipsOnly = Period(NationalDay.From, NationalDay.To, [JurisdictionLevel.Township]);
        var county = ZeroReportRules.DueUnits(Tree, Tree.Root.Code, [townshipsOnly], Holiday, Calendar);
        Assert.Equal(Tree.ChildrenOf(Tree.Root.Code).Select(t => t.Code), county.Select(u => u.Code));
        Assert.Empty(ZeroReportRules.DueUnits(Tree, villages[0].Code, [townshipsOnly], Holiday, Calendar));
        Assert.Empty(ZeroReportRules.DueUnits(Tree, township.Code, [NationalDay], new DateOnly(2026, 10, 9), Calendar));
    }

    [Fact]
    public void A_unit_is_pending_until_its_deadline_then_overdue_and_a_report_is_on_time_up_to_the_deadline_itself_then_late()
    {
        Assert.Equal(ZeroReportState.Pending, ZeroReportRules.State(HolidayDeadline, null, HolidayDeadline.AddHours(-3)));
        Assert.Equal(ZeroReportState.Pending, ZeroReportRules.State(HolidayDeadline, null, HolidayDeadline));
        Assert.Equal(ZeroReportState.Overdue, ZeroReportRules.State(HolidayDeadline, null, HolidayDeadline.AddSeconds(1)));
        Assert.Equal(ZeroReportState.OnTime, ZeroReportRules.State(HolidayDeadline, HolidayDeadline, HolidayDeadline.AddDays(2)));
        Assert.Equal(ZeroReportState.OnTime, ZeroReportRules.State(HolidayDeadline, HolidayDeadline.AddHours(-2), HolidayDeadline.AddHours(-1)));
        Assert.Equal(ZeroReportState.Late, ZeroReportRules.State(HolidayDeadline, HolidayDeadline.AddSeconds(1), HolidayDeadline.AddSeconds(1)));
    }

    [Fact]
    public void A_report_is_nothing_without_incidents_or_something_said_in_a_note_or_linked_incidents()
    {
        Assert.Null(ZeroReportRules.ContentProblem(nothing: true, "", 0));
        Assert.Null(ZeroReportRules.ContentProblem(nothing: true, "辖区平稳", 0));
        Assert.Equal("incidents", ZeroReportRules.ContentProblem(nothing: true, "", 1)?.Field);
        Assert.Equal("note", ZeroReportRules.ContentProblem(nothing: false, "", 0)?.Field);
        Assert.Null(ZeroReportRules.ContentProblem(nothing: false, "邻里纠纷1起,已调解", 0));
        Assert.Null(ZeroReportRules.ContentProblem(nothing: false, "", 2));
    }

    [Fact]
    public void A_report_is_refused_for_a_day_in_the_future_a_day_without_a_period_and_a_level_the_period_does_not_name()
    {
        var today = Holiday;
        Assert.Null(ZeroReportRules.DayProblem(today, today, HolidayDeadline, anyPeriodRuns: true));
        Assert.Null(ZeroReportRules.DayProblem(today.AddDays(-1), today, HolidayDeadline.AddDays(-1), anyPeriodRuns: true));
        Assert.Equal("date", ZeroReportRules.DayProblem(today.AddDays(1), today, HolidayDeadline.AddDays(1), anyPeriodRuns: true)?.Field);
        Assert.Equal("date", ZeroReportRules.DayProblem(today, today, null, anyPeriodRuns: false)?.Field);
        Assert.Equal("jurisdiction", ZeroReportRules.DayProblem(today, today, null, anyPeriodRuns: true)?.Field);
    }

    [Fact]
    public void A_missing_unit_is_reminded_once_after_the_deadline_and_only_on_the_day_itself()
    {
        var township = Tree.ChildrenOf(Tree.Root.Code)[0];
        var due = ZeroReportRules.DueUnits(Tree, township.Code, [NationalDay], Holiday, Calendar);
        var (first, second) = (due[0].Code, due[1].Code);
        var none = new HashSet<string>();

        Assert.Empty(ZeroReportRules.RemindersDue(due, none, none, HolidayDeadline));
        Assert.Equal(due.Select(u => u.Code), ZeroReportRules.RemindersDue(due, none, none, HolidayDeadline.AddSeconds(1)).Select(u => u.Code));
        var reminded = ZeroReportRules.RemindersDue(due, new HashSet<string> { first }, new HashSet<string> { second }, HolidayDeadline.AddHours(1));
        Assert.Equal(due.Skip(2).Select(u => u.Code), reminded.Select(u => u.Code));

        // 24:00 CST of the day (16:00 UTC): the day is over, its reminders are not sent any more.
        var midnight = new DateTimeOffset(2026, 10, 3, 16, 0, 0, TimeSpan.Zero);
        Assert.NotEmpty(ZeroReportRules.RemindersDue(due, none, none, midnight.AddSeconds(-1)));
        Assert.Empty(ZeroReportRules.RemindersDue(due, none, none, midnight));
    }

    [Fact]
    public void A_period_starts_today_or_later_runs_forwards_and_lasts_at_most_92_days()
    {
        var today = Workday;
        Assert.Empty(ZeroReportRules.PeriodProblems(today, today, today));
        Assert.Empty(ZeroReportRules.PeriodProblems(today, today.AddDays(91), today));
        Assert.Equal(["from"], ZeroReportRules.PeriodProblems(today.AddDays(-1), today, today).Keys);
        Assert.Equal(["to"], ZeroReportRules.PeriodProblems(today, today.AddDays(-1), today).Keys);
        Assert.Equal(["to"], ZeroReportRules.PeriodProblems(today, today.AddDays(92), today).Keys);
    }
}
