using CommandCenter.Calendar;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Patrols;

/// <summary>
/// Records every grid's patrol of a window once it has ended (and <see cref="PatrolOptions.Grace"/> passed): every
/// <see cref="PatrolOptions.SweepInterval"/> it looks for windows that ended since patrols are recorded (the first
/// sweep ever; windows older than <see cref="PatrolOptions.CatchUp"/> are left), and records each one not yet recorded
/// for every grid of the tree, done, partial or missed (<see cref="PatrolRules.Judge"/>), in one transaction; a grid
/// already recorded for that window stays as it was, so a second sweep or a second silo records nothing twice. The
/// grids recorded as missed just now go to the walls of each grid and its ancestors (<c>patrolsMissed</c>), one message
/// per area and window. Its reminder (every <see cref="PatrolOptions.ReminderPeriod"/>) brings it back on a surviving or
/// restarted silo, and every silo wakes it at start (<see cref="SweepGrain"/>), so that a window that ended while no
/// silo ran is recorded then.
/// Its clock is the keyed <see cref="ClockKey"/> time provider (the reminders' clock unless a host sets its own).
/// </summary>
public sealed class PatrolSweepGrain(
    PatrolStore store,
    PatrolEvaluator evaluator,
    JurisdictionDirectory directory,
    CalendarService calendars,
    IOptions<PatrolOptions> options,
    [FromKeyedServices(PatrolSweepGrain.ClockKey)] TimeProvider clock,
    ILogger<PatrolSweepGrain> log) : SweepGrain, IPatrolSweepGrain
{
    /// <summary>The key of the time provider patrols are kept by (sessions, check-ins, windows).</summary>
    public const string ClockKey = "patrols";

    public const string Reminder = "patrol-sweep";

    private DateTimeOffset? _since;

    protected override string ReminderName => Reminder;

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override async Task SweepDue()
    {
        try
        {
            if (directory.Tree is not { } tree)
                return;
            var settings = options.Value;
            var now = clock.GetUtcNow();
            _since ??= await store.Since(now);
            var after = _since.Value > now - settings.CatchUp ? _since.Value : now - settings.CatchUp;
            var due = PatrolRules.EndedWithin(after, now - settings.Grace, settings.ScheduleFor(tree.Root.Code), await calendars.Current());
            if (due.Count == 0)
                return;
            var recorded = await store.RecordedWindows(due[0].Day);
            var grids = tree.All.Where(j => j.Level == JurisdictionLevel.Grid).Select(j => j.Code).ToList();
            foreach (var window in due.Where(w => !recorded.Contains((w.Day, w.Name))))
            {
                // Off the grain's turn: sectors of hundreds of grids are cut at the first window, and tallied at each.
                var patrols = await Task.Run(() => evaluator.Evaluate(window.Period, grids, tree));
                var records = patrols.Select(p => new PatrolRecord(p.GridCode, window, PatrolRules.Judge(p.Tally, settings.Requirement),
                    p.Tally, p.PatrolledBy, now)).ToList();
                var added = await store.Record(window, records, now);
                log.LogInformation("Patrols of {Day} {Window} recorded: {Done} done, {Partial} partial, {Missed} missed ({Added} new)",
                    window.Day, window.Name, Count(records, PatrolOutcome.Done), Count(records, PatrolOutcome.Partial),
                    Count(records, PatrolOutcome.Missed), added.Count);
                Tell(tree, window, added.Where(r => r.Outcome == PatrolOutcome.Missed).Select(r => r.GridCode).ToList());
            }
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("patrol.sweep");
            log.LogWarning(e, "Patrol sweep failed; the next one is in {Interval}", options.Value.SweepInterval);
        }
    }

    /// <summary>Each area's walls hear of the grids within it whose patrol of the window was just recorded as missed.</summary>
    private void Tell(JurisdictionTree tree, PatrolWindow window, IReadOnlyList<string> missed)
    {
        var byArea = missed.SelectMany(grid => directory.ScopesOf(grid).Select(area => (Area: area, Grid: grid))).ToLookup(p => p.Area, p => p.Grid);
        foreach (var area in byArea)
        {
            var grids = area.Select(code => new MissedGrid(code, tree.NameOf(code))).ToList();
            // One-way: a wall that misses it loads the list from the API.
            _ = GrainFactory.GetGrain<IFeedGrain>(area.Key).PublishPatrolsMissed(
                new PatrolsMissed(area.Key, window.Day, window.Name, window.Start, window.End, grids));
        }
    }

    private static int Count(IEnumerable<PatrolRecord> records, PatrolOutcome outcome) => records.Count(r => r.Outcome == outcome);
}
