using CommandCenter.Calendar;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.ZeroReports;

/// <summary>
/// Reminds the units whose report of the day is missing at its deadline (<see cref="ZeroReportRules.RemindersDue"/>):
/// every <see cref="ZeroReportOptions.SweepInterval"/> it finds today's due units (CST) past their deadline that have
/// not reported and were not reminded, marks them reminded in one statement (each once: a second sweep or silo finds
/// them marked, and one that reported meanwhile is left out), and tells each unit's walls (<c>zeroReportDue</c>) and
/// the walls of its parent and every area above it (<c>zeroReportsMissing</c>, one message per area), through the feed
/// grains (a web silo's). A day that ended is not reminded of any more. Its clock is the keyed <see cref="ClockKey"/>
/// time provider (the reminders' clock unless a host sets its own).
/// </summary>
public sealed class ZeroReportSweepGrain(
    ZeroReportStore store,
    JurisdictionDirectory directory,
    CalendarService calendars,
    IOptions<ZeroReportOptions> options,
    [FromKeyedServices(ZeroReportSweepGrain.ClockKey)] TimeProvider clock,
    ILogger<ZeroReportSweepGrain> log) : SweepGrain, IZeroReportSweepGrain
{
    /// <summary>The key of the time provider the zero-report is kept by (today, deadlines, late or not, the sweep).</summary>
    public const string ClockKey = "zero-reports";

    public const string Reminder = "zero-report-sweep";

    protected override string ReminderName => Reminder;

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override async Task SweepDue()
    {
        try
        {
            if (directory.Tree is not { } tree)
                return;
            var now = clock.GetUtcNow();
            var day = ChinaTime.Day(now);
            var due = ZeroReportRules.DueUnits(tree, tree.Root.Code, await store.Periods(), day, await calendars.Current());
            if (!due.Any(u => now > u.Deadline))
                return;
            var reported = (await store.Reports(day, day, [tree.Root.Code])).Select(r => r.Jurisdiction).ToHashSet(StringComparer.Ordinal);
            var reminded = (await store.Reminders(day, day, due.Select(u => u.Code).ToList())).Keys.Select(k => k.Unit).ToHashSet(StringComparer.Ordinal);
            var toRemind = ZeroReportRules.RemindersDue(due, reported, reminded, now);
            if (toRemind.Count == 0)
                return;
            var marked = (await store.Remind(day, toRemind.Select(u => u.Code).ToList(), Timestamps.Stored(now))).ToHashSet(StringComparer.Ordinal);
            log.LogInformation("{Count} unit(s) missing their zero-report of {Day}: reminded", marked.Count, day);
            Tell(tree, toRemind.Where(u => marked.Contains(u.Code)).ToList());
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("zeroReport.sweep");
            log.LogWarning(e, "Zero-report sweep failed; the next one is in {Interval}", options.Value.SweepInterval);
        }
    }

    /// <summary>Each unit's walls hear that its report is missing, and each area above it of the units within it just reminded.</summary>
    private void Tell(JurisdictionTree tree, IReadOnlyList<DueUnit> units)
    {
        // One-way: a wall that misses them loads the day's list from the API.
        foreach (var unit in units)
            _ = GrainFactory.GetGrain<IFeedGrain>(unit.Code).PublishZeroReportDue(new ZeroReportDue(unit.Code, tree.NameOf(unit.Code), unit.Day, unit.Deadline));
        var byArea = units.SelectMany(u => tree.PathToRoot(u.Code).Skip(1).Select(area => (Area: area, Unit: u))).ToLookup(p => p.Area, p => p.Unit);
        foreach (var area in byArea)
        {
            var missing = area.Select(u => new MissingUnit(u.Code, tree.NameOf(u.Code), u.Level,
                u.Level == JurisdictionLevel.Village && tree.Find(u.Code)?.ParentCode is { } parent ? tree.NameOf(parent) : null)).ToList();
            _ = GrainFactory.GetGrain<IFeedGrain>(area.Key).PublishZeroReportsMissing(new ZeroReportsMissing(area.Key, area.First().Day, missing));
        }
    }
}
