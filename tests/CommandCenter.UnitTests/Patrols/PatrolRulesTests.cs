using CommandCenter.Calendar;
using CommandCenter.Patrols;
using CommandCenter.Tracks;

namespace CommandCenter.Tests.Patrols;

/// <summary>
/// Patrol windows in real China Standard Time (07:00 CST is 23:00 UTC the day before), on working days, weekends,
/// holidays and make-up working days of the shipped calendar, and done / partial / missed at their edges.
/// </summary>
public sealed class PatrolRulesTests
{
    private static readonly WorkingCalendar Calendar = new(CalendarYear.Shipped());
    private static readonly PatrolSchedule Default = new PatrolOptions().ScheduleFor("620402");
    private static readonly PatrolRequirement Requirement = new PatrolOptions().Requirement;
    private static readonly TimeSpan Gap = TimeSpan.FromMinutes(5);

    /// <summary>Monday 7 December 2026, a working day.</summary>
    private static readonly DateOnly Monday = new(2026, 12, 7);

    private static DateTimeOffset Cst(int day, int hour, int minute = 0, int second = 0) =>
        new(2026, 12, day, hour, minute, second, ChinaTime.Offset);

    private static DateTimeOffset Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_working_days_windows_are_morning_noon_and_evening_in_CST_and_the_morning_opens_the_UTC_day_before()
    {
        var windows = PatrolRules.WindowsOn(Monday, Default, Calendar);

        Assert.Equal(["morning", "noon", "evening"], windows.Select(w => w.Name));
        Assert.All(windows, w => Assert.Equal(Monday, w.Day));
        Assert.Equal((Utc(12, 6, 23), Utc(12, 7, 3)), (windows[0].Start.ToUniversalTime(), windows[0].End.ToUniversalTime()));
        Assert.Equal((Utc(12, 7, 3), Utc(12, 7, 7)), (windows[1].Start.ToUniversalTime(), windows[1].End.ToUniversalTime()));
        Assert.Equal((Utc(12, 7, 9), Utc(12, 7, 13)), (windows[2].Start.ToUniversalTime(), windows[2].End.ToUniversalTime()));
        // The morning belongs to Monday (CST) though it opens on Sunday (UTC).
        Assert.Equal(Monday, PatrolRules.ChinaDay(windows[0].Start));
        Assert.Equal(new DateOnly(2026, 12, 6), DateOnly.FromDateTime(windows[0].Start.UtcDateTime));
    }

    [Fact]
    public void Non_working_days_take_their_own_windows_weekends_and_holidays_alike_and_a_make_up_working_day_the_working_ones()
    {
        var options = new PatrolOptions { NonWorkingDays = [new() { Name = "day", Start = TimeSpan.FromHours(9), End = TimeSpan.FromHours(12) }] };
        var schedule = options.ScheduleFor("620402");

        Assert.Equal(["day"], PatrolRules.WindowsOn(new DateOnly(2026, 12, 5), schedule, Calendar).Select(w => w.Name)); // a Saturday
        Assert.Equal(["day"], PatrolRules.WindowsOn(new DateOnly(2026, 10, 1), schedule, Calendar).Select(w => w.Name)); // National Day, a Thursday
        Assert.Equal(["morning", "noon", "evening"],
            PatrolRules.WindowsOn(new DateOnly(2026, 2, 14), schedule, Calendar).Select(w => w.Name)); // a Saturday worked (调休)
        var day = PatrolRules.WindowsOn(new DateOnly(2026, 12, 5), schedule, Calendar).Single();
        Assert.Equal((Utc(12, 5, 1), Utc(12, 5, 4)), (day.Start.ToUniversalTime(), day.End.ToUniversalTime()));
        // Unless told otherwise non-working days have the working days' windows.
        Assert.Equal(3, PatrolRules.WindowsOn(new DateOnly(2026, 12, 5), Default, Calendar).Count);
    }

    [Fact]
    public void A_county_of_its_own_overrides_the_windows_and_keeps_its_working_windows_on_days_off()
    {
        var options = new PatrolOptions
        {
            NonWorkingDays = [new() { Name = "day", Start = TimeSpan.FromHours(9), End = TimeSpan.FromHours(12) }],
            Counties = { ["620403"] = new PatrolDaysOptions { WorkingDays = [new() { Name = "early", Start = TimeSpan.FromHours(6), End = TimeSpan.FromHours(8) }] } },
        };

        Assert.Equal(["early"], options.ScheduleFor("620403").WorkingDays.Select(w => w.Name));
        Assert.Equal(["early"], options.ScheduleFor("620403").NonWorkingDays.Select(w => w.Name));
        Assert.Equal(["morning", "noon", "evening"], options.ScheduleFor("620402").WorkingDays.Select(w => w.Name));
        Assert.Equal(["day"], options.ScheduleFor("620402").NonWorkingDays.Select(w => w.Name));
    }

    [Fact]
    public void Windows_end_within_a_span_that_includes_its_end_and_excludes_its_start()
    {
        var morningEnd = Cst(7, 11);

        Assert.Equal(["morning"], PatrolRules.EndedWithin(morningEnd.AddTicks(-1), morningEnd, Default, Calendar).Select(w => w.Name));
        Assert.Empty(PatrolRules.EndedWithin(morningEnd, morningEnd.AddMinutes(1), Default, Calendar));
        Assert.Empty(PatrolRules.EndedWithin(Cst(7, 10), morningEnd.AddTicks(-1), Default, Calendar));
        // Across CST midnight (16:00 UTC) and the UTC midnight after it: Sunday's evening and Monday's morning, in that order.
        var ended = PatrolRules.EndedWithin(Cst(6, 20), Cst(7, 11, 30), Default, Calendar);
        Assert.Equal([(new DateOnly(2026, 12, 6), "evening"), (Monday, "morning")], ended.Select(w => (w.Day, w.Name)));
    }

    [Fact]
    public void A_window_ending_at_midnight_belongs_to_its_day_and_ends_within_the_span_of_the_next()
    {
        var schedule = new PatrolSchedule([new("night", TimeSpan.FromHours(21), TimeSpan.FromDays(1))], [new("night", TimeSpan.FromHours(21), TimeSpan.FromDays(1))]);

        var ended = PatrolRules.EndedWithin(Cst(7, 23, 59), Cst(8, 0, 1), schedule, Calendar).Single();

        Assert.Equal((Monday, Cst(8, 0)), (ended.Day, ended.End));
    }

    [Fact]
    public void A_schedule_is_refused_for_overlaps_bad_names_and_times_outside_the_day()
    {
        PatrolWindowTimes W(string name, double from, double to) => new(name, TimeSpan.FromHours(from), TimeSpan.FromHours(to));

        Assert.Null(PatrolRules.ScheduleProblem([W("a", 7, 11), W("b", 11, 15)]));
        Assert.Contains("overlap", PatrolRules.ScheduleProblem([W("a", 7, 11), W("b", 10, 15)]));
        Assert.Contains("twice", PatrolRules.ScheduleProblem([W("a", 7, 8), W("a", 9, 10)]));
        Assert.Contains("letters", PatrolRules.ScheduleProblem([W("早巡", 7, 8)]));
        Assert.Contains("within 00:00 to 24:00", PatrolRules.ScheduleProblem([W("late", 23, 25)]));
        Assert.Contains("within 00:00 to 24:00", PatrolRules.ScheduleProblem([W("back", 9, 8)]));
        var options = new PatrolOptions { WorkingDays = [new() { Name = "a", Start = TimeSpan.FromHours(9), End = TimeSpan.FromHours(8) }] };
        Assert.StartsWith("CommandCenter:Patrols:WorkingDays:", options.Problem());
        Assert.Null(new PatrolOptions().Problem());
    }

    private static readonly Period Morning = new(Cst(7, 7), Cst(7, 11));

    private static List<TrackPoint> EveryMinute(DateTimeOffset from, int count, double lat = 36.5) =>
        Enumerable.Range(0, count).Select(i => new TrackPoint(lat, 104.1 + i * 0.0001, from.AddMinutes(i))).ToList();

    private static PatrolTrace Trace(Period session, IReadOnlyList<TrackPoint> positions, Func<TrackPoint, bool>? inside = null) =>
        PatrolRules.Trace([session], positions, Morning, inside ?? (_ => true), Gap);

    [Fact]
    public void Time_in_the_grid_is_the_session_within_the_window_while_a_position_inside_vouches_for_it()
    {
        var positions = EveryMinute(Cst(7, 7, 30), 31);

        var trace = Trace(new(Cst(7, 7, 30), Cst(7, 8, 0)), positions);

        Assert.Equal(TimeSpan.FromMinutes(30), PatrolRules.Total(trace.InGrid));
        Assert.Equal(30, trace.Counted.Count); // the position at 08:00 vouches for nothing of the session
    }

    [Fact]
    public void Positions_outside_the_grid_do_not_count_nor_does_time_before_the_window_opens()
    {
        var positions = EveryMinute(Cst(7, 6, 40), 40);

        var trace = Trace(new(Cst(7, 6, 40), Cst(7, 7, 20)), positions, p => p.At < Cst(7, 7, 10));

        // 06:40–07:20 on patrol, the window opens at 07:00 and the person leaves the grid at 07:10.
        Assert.Equal(TimeSpan.FromMinutes(10), PatrolRules.Total(trace.InGrid));
    }

    [Fact]
    public void A_gap_between_positions_counts_at_most_the_position_gap_and_a_position_shortly_before_the_session_vouches_for_its_start()
    {
        // 07:28 (before the session), then nothing until 07:50, then 07:51.
        List<TrackPoint> positions = [new(36.5, 104.1, Cst(7, 7, 28)), new(36.5, 104.101, Cst(7, 7, 50)), new(36.5, 104.102, Cst(7, 7, 51))];

        var trace = Trace(new(Cst(7, 7, 30), Cst(7, 8, 0)), positions);

        // 07:30–07:33 (the 07:28 position's five minutes), 07:50–07:51, 07:51–07:56.
        Assert.Equal([new(Cst(7, 7, 30), Cst(7, 7, 33)), new(Cst(7, 7, 50), Cst(7, 7, 56))], trace.InGrid);
        Assert.Equal(TimeSpan.FromMinutes(9), PatrolRules.Total(trace.InGrid));
    }

    [Fact]
    public void An_open_session_runs_to_the_end_of_the_window_and_two_people_together_count_once()
    {
        var open = new Period(Cst(7, 10, 50), DateTimeOffset.MaxValue);
        var first = Trace(open, EveryMinute(Cst(7, 10, 50), 30));
        var second = Trace(new(Cst(7, 10, 40), Cst(7, 10, 55)), EveryMinute(Cst(7, 10, 40), 15));

        Assert.Equal(TimeSpan.FromMinutes(10), PatrolRules.Total(first.InGrid));
        Assert.Equal(TimeSpan.FromMinutes(20), PatrolRules.Total(first.InGrid.Concat(second.InGrid)));
    }

    private static PatrolTally Tally(double minutes, int sectorsVisited = 2, int checkpointsVisited = 0, int checkIns = 0) =>
        new(TimeSpan.FromMinutes(minutes), sectorsVisited, 9, checkpointsVisited, 3, checkIns);

    [Fact]
    public void Done_needs_twenty_minutes_over_a_fifth_of_the_sectors_and_just_short_of_either_is_partial()
    {
        Assert.Equal(PatrolOutcome.Done, PatrolRules.Judge(Tally(20), Requirement)); // 2 of 9 sectors: 0.22
        Assert.Equal(PatrolOutcome.Partial, PatrolRules.Judge(Tally(20 - 1 / 60.0), Requirement));
        Assert.Equal(PatrolOutcome.Partial, PatrolRules.Judge(Tally(200, sectorsVisited: 1), Requirement));
        Assert.Equal(PatrolOutcome.Done, PatrolRules.Judge(new PatrolTally(TimeSpan.FromMinutes(20), 1, 5, 0, 0, 0), Requirement)); // exactly 0.2
        Assert.Equal(PatrolOutcome.Partial, PatrolRules.Judge(Tally(1 / 60.0, sectorsVisited: 1), Requirement)); // a second is some
    }

    [Fact]
    public void Every_checkpoint_checked_in_is_done_on_its_own_fewer_or_only_a_visit_is_partial_and_nothing_at_all_is_missed()
    {
        Assert.Equal(PatrolOutcome.Done, PatrolRules.Judge(Tally(0, 0, checkpointsVisited: 3, checkIns: 3), Requirement));
        Assert.Equal(PatrolOutcome.Partial, PatrolRules.Judge(Tally(0, 0, checkpointsVisited: 2, checkIns: 2), Requirement));
        Assert.Equal(PatrolOutcome.Partial, PatrolRules.Judge(Tally(0, 0, checkIns: 1), Requirement));
        Assert.Equal(PatrolOutcome.Missed, PatrolRules.Judge(Tally(0, 0), Requirement));
        Assert.Equal(PatrolOutcome.Missed, PatrolRules.Judge(PatrolTally.None, Requirement));
        // A grid without checkpoints is done only by walking it; a share asks for a part of them, at least one.
        Assert.Equal(PatrolOutcome.Partial, PatrolRules.Judge(new PatrolTally(TimeSpan.Zero, 0, 9, 0, 0, 4), Requirement));
        Assert.Equal(2, PatrolRules.CheckpointsNeeded(3, 0.5));
        Assert.Equal(1, PatrolRules.CheckpointsNeeded(3, 0.1));
        Assert.Equal(3, PatrolRules.CheckpointsNeeded(3, 1.0));
    }
}
