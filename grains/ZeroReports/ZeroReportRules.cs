using CommandCenter.Calendar;
using CommandCenter.Command;
using CommandCenter.Geography;

namespace CommandCenter.ZeroReports;

/// <summary>
/// A sensitive period (敏感时期) the county configured: from–to (CST days, both included), the levels whose units
/// report daily, and the time of day (CST) the day's report is due. Every day of it by default (sensitive periods are
/// holidays and anniversaries); <see cref="WorkingDaysOnly"/>: its working days alone, by the working-day calendar.
/// Ended early (<see cref="EndedOn"/>), its last day is the day it was ended on.
/// </summary>
public sealed record SensitivePeriod(
    Guid Id,
    string Name,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<JurisdictionLevel> Levels,
    TimeOnly Deadline,
    bool WorkingDaysOnly,
    string CreatedBy,
    string CreatedByName,
    DateTimeOffset CreatedAt,
    DateOnly? EndedOn = null,
    string? EndedByName = null)
{
    /// <summary>The last day it runs: <see cref="To"/>, or the day it was ended on when earlier (before <see cref="From"/>: it never runs).</summary>
    public DateOnly LastDay => EndedOn is { } ended && ended < To ? ended : To;
}

/// <summary>A unit (a township or village) due to report on a day, and by when.</summary>
public sealed record DueUnit(string Code, JurisdictionLevel Level, DateOnly Day, DateTimeOffset Deadline);

/// <summary>Where a unit's report of a day stands.</summary>
public enum ZeroReportState
{
    /// <summary>Not reported, the deadline not yet passed (待报).</summary>
    Pending,

    /// <summary>Not reported and the deadline passed (未报).</summary>
    Overdue,

    /// <summary>Reported by the deadline (按时).</summary>
    OnTime,

    /// <summary>Reported after the deadline (迟报).</summary>
    Late,
}

/// <summary>
/// The daily zero-report (零报告) during sensitive periods: which units are due on a day (a period runs that day and
/// names the unit's level), the deadline instant (the day at the period's time, CST; with periods overlapping, the
/// earliest of those naming the level), what a report may say (nothing to report with no incidents linked, or
/// something: a note or linked incidents), on time or late (at the deadline itself is on time), where each unit
/// stands, and the reminders due (once per unit and day, after the deadline and before the day ends).
/// </summary>
public static class ZeroReportRules
{
    /// <summary>The deadline of a period that names none: 10:00 CST.</summary>
    public static readonly TimeOnly DefaultDeadline = new(10, 0);

    /// <summary>The longest period, in days.</summary>
    public const int MaxPeriodDays = 92;

    public const int MaxNameLength = 100;
    public const int MaxNoteLength = 2000;
    public const int MaxIncidents = 20;

    /// <summary>The levels a period can ask to report: the stations, townships and villages.</summary>
    public static readonly IReadOnlyList<JurisdictionLevel> ReportingLevels = [JurisdictionLevel.Township, JurisdictionLevel.Village];

    /// <summary>Whether the period runs on the day: between its first and last day and, for one of working days only, a working day.</summary>
    public static bool Runs(SensitivePeriod period, DateOnly day, WorkingCalendar calendar) =>
        day >= period.From && day <= period.LastDay && (!period.WorkingDaysOnly || calendar.IsWorkingDay(day));

    /// <summary>When a unit of the level must have reported on the day: the earliest deadline of the periods running that day that name the level; null when none does.</summary>
    public static DateTimeOffset? Deadline(IEnumerable<SensitivePeriod> periods, DateOnly day, JurisdictionLevel level, WorkingCalendar calendar) =>
        periods.Where(p => p.Levels.Contains(level) && Runs(p, day, calendar))
            .Select(p => (DateTimeOffset?)ChinaTime.At(day, p.Deadline))
            .Min();

    /// <summary>The units within <paramref name="code"/> (it included) due on the day, in tree order: a township, then its villages.</summary>
    public static IReadOnlyList<DueUnit> DueUnits(JurisdictionTree tree, string code, IReadOnlyList<SensitivePeriod> periods, DateOnly day,
        WorkingCalendar calendar)
    {
        var deadlines = ReportingLevels.ToDictionary(level => level, level => Deadline(periods, day, level, calendar));
        return InstructionRules.StationsUnder(tree, code)
            .Select(unit => tree.Find(unit)!)
            .Where(unit => deadlines.GetValueOrDefault(unit.Level) is not null)
            .Select(unit => new DueUnit(unit.Code, unit.Level, day, deadlines[unit.Level]!.Value))
            .ToList();
    }

    public static ZeroReportState State(DateTimeOffset deadline, DateTimeOffset? reportedAt, DateTimeOffset now) =>
        reportedAt is { } at ? (IsLate(at, deadline) ? ZeroReportState.Late : ZeroReportState.OnTime)
        : now > deadline ? ZeroReportState.Overdue
        : ZeroReportState.Pending;

    public static bool IsLate(DateTimeOffset reportedAt, DateTimeOffset deadline) => reportedAt > deadline;

    /// <summary>
    /// Why a unit cannot report for the day (the field at fault and why), or null: a day after today, or one it is not
    /// due on (<paramref name="deadline"/> null: no period running that day names its level).
    /// </summary>
    public static (string Field, string Message)? DayProblem(DateOnly day, DateOnly today, DateTimeOffset? deadline, bool anyPeriodRuns) =>
        day > today ? ("date", $"{day:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}, China Standard Time).")
        : deadline is not null ? null
        : anyPeriodRuns ? ("jurisdiction", $"Its level does not report on {day:yyyy-MM-dd}: the sensitive period of that day does not name it.")
        : ("date", $"No sensitive period asks for a report on {day:yyyy-MM-dd}.");

    /// <summary>
    /// What is wrong with what a report says, or null: "nothing to report" (零报告) links no incidents; otherwise it says
    /// what the unit knows of, in a note, linked incidents or both.
    /// </summary>
    public static (string Field, string Message)? ContentProblem(bool nothing, string note, int incidents) =>
        nothing && incidents > 0 ? ("incidents", "A zero report (nothing: true) links no incidents.")
        : !nothing && note.Length == 0 && incidents == 0 ? ("note", "Say what there is to report: a note, linked incidents, or both.")
        : null;

    /// <summary>
    /// The units to remind at <paramref name="now"/>: each due unit whose deadline passed on a day not yet over, that
    /// has not reported and was not reminded of that day yet (so once per unit and day).
    /// </summary>
    public static IReadOnlyList<DueUnit> RemindersDue(IEnumerable<DueUnit> due, IReadOnlySet<string> reported, IReadOnlySet<string> reminded,
        DateTimeOffset now) =>
        due.Where(u => now > u.Deadline && now < ChinaTime.At(u.Day.AddDays(1), TimeOnly.MinValue)
                && !reported.Contains(u.Code) && !reminded.Contains(u.Code))
            .ToList();

    /// <summary>
    /// What is wrong with a new period's days, by field: it may not start before today (no report is asked for a
    /// day gone by), runs forwards, and lasts at most <see cref="MaxPeriodDays"/> days.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> PeriodProblems(DateOnly from, DateOnly to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (from < today)
            errors["from"] = [$"Not before today ({today:yyyy-MM-dd}, China Standard Time)."];
        if (to < from)
            errors["to"] = ["Not before from."];
        else if (to.DayNumber - from.DayNumber + 1 > MaxPeriodDays)
            errors["to"] = [$"A period lasts at most {MaxPeriodDays} days."];
        return errors;
    }
}
