namespace CommandCenter.Patrols;

/// <summary>One patrol window of a day, in China Standard Time: <c>{ name, start: "07:00", end: "11:00" }</c>.</summary>
public sealed class PatrolWindowOptions
{
    /// <summary>The window's name, kept with each recorded outcome (letters and digits; morning, noon, evening by default).</summary>
    public string Name { get; set; } = "";

    /// <summary>When the window opens, from midnight CST.</summary>
    public TimeSpan Start { get; set; }

    /// <summary>When it closes (at most 24:00, written 1.00:00:00).</summary>
    public TimeSpan End { get; set; }
}

/// <summary>The windows of working days and of non-working days (weekends and days off of the working-day calendar).</summary>
public class PatrolDaysOptions
{
    /// <summary>Null: the default morning, noon and evening windows.</summary>
    public List<PatrolWindowOptions>? WorkingDays { get; set; }

    /// <summary>Null: the same windows as working days.</summary>
    public List<PatrolWindowOptions>? NonWorkingDays { get; set; }
}

/// <summary>
/// Patrol duties (一巡: 早巡、午巡、晚巡), section <c>CommandCenter:Patrols</c>. The windows may be set for every county
/// (<see cref="PatrolDaysOptions.WorkingDays"/>, <see cref="PatrolDaysOptions.NonWorkingDays"/>) and per county by its
/// code (<c>Counties:620402:WorkingDays</c> …); the rest holds for every county.
/// </summary>
public sealed class PatrolOptions : PatrolDaysOptions
{
    public static readonly IReadOnlyList<PatrolWindowTimes> DefaultWindows =
    [
        new("morning", TimeSpan.FromHours(7), TimeSpan.FromHours(11)),
        new("noon", TimeSpan.FromHours(11), TimeSpan.FromHours(15)),
        new("evening", TimeSpan.FromHours(17), TimeSpan.FromHours(21)),
    ];

    /// <summary>Windows of a county by its code, over the ones above.</summary>
    public Dictionary<string, PatrolDaysOptions> Counties { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Time on patrol inside the grid a window needs for done (with <see cref="MinimumCoverage"/>).</summary>
    public TimeSpan MinimumTime { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The share of the grid's sectors (<see cref="CoverageDivisions"/>) that patrol must pass through for done.</summary>
    public double MinimumCoverage { get; set; } = 0.2;

    /// <summary>A grid's bounding box is cut into this many columns and rows; the cells that are mostly grid are its sectors.</summary>
    public int CoverageDivisions { get; set; } = 3;

    /// <summary>The share of the grid's checkpoints whose check-ins within the window make it done on their own.</summary>
    public double CheckpointShare { get; set; } = 1.0;

    /// <summary>A check-in counts for a checkpoint within this distance of it.</summary>
    public double CheckpointRadiusMeters { get; set; } = 50;

    /// <summary>
    /// How long an accepted position vouches for where the person is: until the next one, at most this long (a phone
    /// standing still sends no new point to the history, and one that fell silent proves nothing).
    /// </summary>
    public TimeSpan PositionGap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a window's end it is recorded: late positions and check-ins still count.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Windows that ended at most this long ago are recorded after an outage; older ones are not.</summary>
    public TimeSpan CatchUp { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the sweep looks for windows that ended.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The sweep's Orleans reminder: brings it back on a surviving or restarted silo.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The windows of a county.</summary>
    public PatrolSchedule ScheduleFor(string countyCode)
    {
        var county = Counties.GetValueOrDefault(countyCode);
        var working = Times(county?.WorkingDays) ?? Times(WorkingDays) ?? DefaultWindows;
        // Non-working days take the windows of working days unless told otherwise, a county's own first.
        var nonWorking = Times(county?.NonWorkingDays)
            ?? (county?.WorkingDays is not null ? working : Times(NonWorkingDays) ?? working);
        return new PatrolSchedule(working, nonWorking);
    }

    public PatrolRequirement Requirement => new(MinimumTime, MinimumCoverage, CheckpointShare);

    /// <summary>What is wrong with these options, or null when nothing is (checked at start).</summary>
    public string? Problem()
    {
        if (MinimumTime <= TimeSpan.Zero)
            return "CommandCenter:Patrols:MinimumTime must be positive.";
        if (MinimumCoverage is < 0 or > 1 || CheckpointShare is <= 0 or > 1)
            return "CommandCenter:Patrols:MinimumCoverage must be within 0..1 and CheckpointShare within (0, 1].";
        if (CoverageDivisions is < 1 or > 10 || CheckpointRadiusMeters <= 0)
            return "CommandCenter:Patrols:CoverageDivisions must be 1..10 and CheckpointRadiusMeters positive.";
        if (PositionGap <= TimeSpan.Zero || Grace < TimeSpan.Zero || CatchUp <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero || ReminderPeriod <= TimeSpan.Zero)
            return "CommandCenter:Patrols: PositionGap, CatchUp, SweepInterval and ReminderPeriod must be positive, Grace not negative.";
        foreach (var (section, days) in new[] { ("", (PatrolDaysOptions)this) }.Concat(Counties.Select(c => ($"Counties:{c.Key}:", c.Value))))
        {
            foreach (var (name, windows) in new[] { ("WorkingDays", days.WorkingDays), ("NonWorkingDays", days.NonWorkingDays) })
            {
                if (windows is not null && PatrolRules.ScheduleProblem(windows.Select(w => new PatrolWindowTimes(w.Name, w.Start, w.End)).ToList()) is { } problem)
                    return $"CommandCenter:Patrols:{section}{name}: {problem}";
            }
        }
        return null;
    }

    private static IReadOnlyList<PatrolWindowTimes>? Times(List<PatrolWindowOptions>? windows) =>
        windows?.Select(w => new PatrolWindowTimes(w.Name, w.Start, w.End)).OrderBy(w => w.Start).ToList();
}
