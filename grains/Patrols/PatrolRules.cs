using System.Text.RegularExpressions;
using CommandCenter.Calendar;
using CommandCenter.Tracks;

namespace CommandCenter.Patrols;

/// <summary>A patrol window of a day as configured: its name and its times from midnight, China Standard Time.</summary>
public sealed record PatrolWindowTimes(string Name, TimeSpan Start, TimeSpan End);

/// <summary>The windows of working days and of non-working days (weekends and official days off).</summary>
public sealed record PatrolSchedule(IReadOnlyList<PatrolWindowTimes> WorkingDays, IReadOnlyList<PatrolWindowTimes> NonWorkingDays);

/// <summary>One window on one day (the CST day it opens on), as instants: [Start, End).</summary>
public sealed record PatrolWindow(DateOnly Day, string Name, DateTimeOffset Start, DateTimeOffset End)
{
    public Period Period => new(Start, End);
}

/// <summary>What a window needs for done: time in the grid over a share of it, or a share of its checkpoints.</summary>
public sealed record PatrolRequirement(TimeSpan MinimumTime, double MinimumCoverage, double CheckpointShare);

/// <summary>A half-open stretch of time [From, To).</summary>
public readonly record struct Period(DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To > From ? To - From : TimeSpan.Zero;
}

/// <summary>
/// One person's patrol within a window: the stretches they were on patrol and inside the grid, and the positions that
/// vouched for them (whose sectors the patrol passed through).
/// </summary>
public sealed record PatrolTrace(IReadOnlyList<Period> InGrid, IReadOnlyList<TrackPoint> Counted);

/// <summary>
/// The evidence of one grid's patrol in one window: time on patrol inside the grid (every person of the grid
/// together; two people at once count once), the grid's sectors passed through and how many it has, its checkpoints
/// checked in at and how many it has, and every check-in of the grid's people in it (visits included).
/// </summary>
public sealed record PatrolTally(TimeSpan TimeInGrid, int SectorsVisited, int Sectors, int CheckpointsVisited, int Checkpoints, int CheckIns)
{
    public static readonly PatrolTally None = new(TimeSpan.Zero, 0, 0, 0, 0, 0);

    public double Coverage => Sectors == 0 ? 0 : (double)SectorsVisited / Sectors;
}

/// <summary>
/// Patrol duties (一巡: each grid patrolled in the morning, at noon and in the evening), as plain rules.
/// <list type="bullet">
/// <item>Windows: each day has the windows of working days or of non-working days (by the working-day calendar), in
/// China Standard Time; a window belongs to the CST day it opens on (07:00 CST is 23:00 UTC the day before).</item>
/// <item>Time on patrol in the grid: the stretches of a window in which a person of the grid had a patrol session open
/// and their last accepted position lay inside the grid. A position vouches for the time from it until the next one,
/// at most <see cref="PatrolOptions.PositionGap"/>: a longer gap counts only that much after the last position, and
/// the time before a session's first position counts only when a position shortly before the session vouches for it.</item>
/// <item>Done: at least <see cref="PatrolRequirement.MinimumTime"/> on patrol in the grid while passing through at
/// least <see cref="PatrolRequirement.MinimumCoverage"/> of its sectors, or check-ins within the window at a share
/// <see cref="PatrolRequirement.CheckpointShare"/> of its checkpoints (every one by default).</item>
/// <item>Partial: not done, but some time on patrol in the grid (any at all) or some check-in of the grid's people in
/// the window (a checkpoint not enough on its own, or a visit).</item>
/// <item>Missed: neither time on patrol in the grid nor any check-in.</item>
/// </list>
/// </summary>
public static partial class PatrolRules
{
    public const int MaxNameLength = 32;

    /// <summary>What is wrong with a day's windows, or null: names of letters and digits, unique, 00:00 ≤ start &lt; end ≤ 24:00, no overlaps.</summary>
    public static string? ScheduleProblem(IReadOnlyList<PatrolWindowTimes> windows)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var window in windows)
        {
            if (window.Name is null || !WindowName().IsMatch(window.Name))
                return $"window name '{window.Name}' must be 1 to {MaxNameLength} letters, digits, '-' or '_'.";
            if (!names.Add(window.Name))
                return $"window {window.Name} is there twice.";
            if (window.Start < TimeSpan.Zero || window.End > TimeSpan.FromDays(1) || window.Start >= window.End)
                return $"window {window.Name} must start before it ends, within 00:00 to 24:00.";
        }
        var ordered = windows.OrderBy(w => w.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Start < ordered[i - 1].End)
                return $"windows {ordered[i - 1].Name} and {ordered[i].Name} overlap.";
        }
        return null;
    }

    /// <summary>The CST day an instant falls on.</summary>
    public static DateOnly ChinaDay(DateTimeOffset instant) => ChinaTime.Day(instant);

    /// <summary>The windows of a day, in order: working days' or non-working days' by the calendar.</summary>
    public static IReadOnlyList<PatrolWindow> WindowsOn(DateOnly day, PatrolSchedule schedule, WorkingCalendar calendar)
    {
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        var times = calendar.IsWorkingDay(day) ? schedule.WorkingDays : schedule.NonWorkingDays;
        return times.OrderBy(w => w.Start).Select(w => new PatrolWindow(day, w.Name, midnight + w.Start, midnight + w.End)).ToList();
    }

    /// <summary>The windows that ended after <paramref name="after"/> and at or before <paramref name="upTo"/>, in the order they ended.</summary>
    public static IReadOnlyList<PatrolWindow> EndedWithin(DateTimeOffset after, DateTimeOffset upTo, PatrolSchedule schedule, WorkingCalendar calendar)
    {
        var ended = new List<PatrolWindow>();
        for (var day = ChinaDay(after); day <= ChinaDay(upTo); day = day.AddDays(1))
            ended.AddRange(WindowsOn(day, schedule, calendar).Where(w => w.End > after && w.End <= upTo));
        return ended.OrderBy(w => w.End).ToList();
    }

    /// <summary>
    /// One person's time on patrol inside the grid within <paramref name="window"/>: their sessions (open ones end at
    /// <see cref="DateTimeOffset.MaxValue"/>) against their accepted positions, oldest first, each vouching until the
    /// next one and at most <paramref name="gap"/>.
    /// </summary>
    public static PatrolTrace Trace(IEnumerable<Period> sessions, IReadOnlyList<TrackPoint> positions, Period window,
        Func<TrackPoint, bool> inside, TimeSpan gap)
    {
        var stretches = new List<Period>();
        var counted = new List<TrackPoint>();
        foreach (var session in sessions)
        {
            var from = Max(session.From, window.From);
            var to = Min(session.To, window.To);
            if (to <= from)
                continue;
            for (var i = 0; i < positions.Count; i++)
            {
                var point = positions[i];
                var vouchedUntil = point.At + gap;
                if (i + 1 < positions.Count)
                    vouchedUntil = Min(vouchedUntil, positions[i + 1].At);
                var stretch = new Period(Max(point.At, from), Min(vouchedUntil, to));
                if (stretch.To <= stretch.From || !inside(point))
                    continue;
                stretches.Add(stretch);
                counted.Add(point);
            }
        }
        return new PatrolTrace(Union(stretches), counted.Distinct().ToList());
    }

    /// <summary>Overlapping and touching stretches merged, in order.</summary>
    public static IReadOnlyList<Period> Union(IEnumerable<Period> periods)
    {
        var merged = new List<Period>();
        foreach (var period in periods.Where(p => p.To > p.From).OrderBy(p => p.From))
        {
            if (merged.Count > 0 && period.From <= merged[^1].To)
                merged[^1] = merged[^1] with { To = Max(merged[^1].To, period.To) };
            else
                merged.Add(period);
        }
        return merged;
    }

    public static TimeSpan Total(IEnumerable<Period> periods) => Union(periods).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Length);

    /// <summary>Done, partial or missed (see the rules above).</summary>
    public static PatrolOutcome Judge(PatrolTally tally, PatrolRequirement requirement)
    {
        var walked = tally.TimeInGrid >= requirement.MinimumTime && tally.Coverage >= requirement.MinimumCoverage;
        var checkedIn = tally.Checkpoints > 0 && tally.CheckpointsVisited >= CheckpointsNeeded(tally.Checkpoints, requirement.CheckpointShare);
        if (walked || checkedIn)
            return PatrolOutcome.Done;
        return tally.TimeInGrid > TimeSpan.Zero || tally.CheckIns > 0 ? PatrolOutcome.Partial : PatrolOutcome.Missed;
    }

    /// <summary>How many of a grid's checkpoints make a window done on their own (at least one).</summary>
    public static int CheckpointsNeeded(int checkpoints, double share) =>
        Math.Max(1, (int)Math.Ceiling(checkpoints * share - 1e-9));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex WindowName();
}
