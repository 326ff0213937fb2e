using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Alerts;

/// <summary>
/// Sends up every alert not acknowledged by its time (<see cref="AlertRules.DueAt"/>): every
/// <see cref="AlertOptions.SweepInterval"/> one statement marks those past it as escalated (each once: a second sweep or
/// silo finds them marked) and the walls of the incident's township and county hear of them (<c>alertsEscalated</c>),
/// where the township station and the duty officer see them. Its clock is the keyed <see cref="ClockKey"/> time
/// provider (the reminders' clock unless a host sets its own).
/// </summary>
public sealed class AlertSweepGrain(
    AlertStore store,
    JurisdictionDirectory directory,
    IOptions<AlertOptions> options,
    [FromKeyedServices(AlertSweepGrain.ClockKey)] TimeProvider clock,
    ILogger<AlertSweepGrain> log) : SweepGrain, IAlertSweepGrain
{
    public const string ClockKey = "alerts";

    public const string Reminder = "alert-sweep";

    protected override string ReminderName => Reminder;

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override async Task SweepDue()
    {
        try
        {
            var escalated = await store.Escalate(clock.GetUtcNow());
            if (escalated.Count == 0)
                return;
            log.LogInformation("{Count} alert(s) not acknowledged in time sent up", escalated.Count);
            var tree = directory.Tree;
            // The township's walls and the county's: the township station's and the duty officer's.
            var byArea = escalated.SelectMany(e => e.Path.Where(code => tree?.Find(code)?.Level is JurisdictionLevel.County or JurisdictionLevel.Township)
                    .Select(code => (Area: code, e.Alert)))
                .ToLookup(p => p.Area, p => p.Alert);
            foreach (var area in byArea)
                // One-way: a wall that misses it loads the list from the API.
                _ = GrainFactory.GetGrain<IFeedGrain>(area.Key).PublishAlertsEscalated(new AlertsEscalated(area.Key, area.ToList()));
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("alert.sweep");
            log.LogWarning(e, "Alert sweep failed; the next one is in {Interval}", options.Value.SweepInterval);
        }
    }
}
