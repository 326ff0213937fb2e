using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.RollCalls;

/// <summary>
/// Closes roll calls whose time is up: every <see cref="RollCallOptions.SweepInterval"/> it asks PostgreSQL for the
/// open ones whose close has come (also those whose close passed while no silo ran) and closes each through its grain
/// at its <see cref="RollCall.ClosesAt"/>, so an outcome does not depend on when the sweep ran. Its clock is the keyed
/// <see cref="ClockKey"/> time provider (the reminders' clock unless a host sets its own).
/// </summary>
public sealed class RollCallSweepGrain(
    RollCallStore store,
    IOptions<RollCallOptions> options,
    [FromKeyedServices(RollCallSweepGrain.ClockKey)] TimeProvider clock,
    ILogger<RollCallSweepGrain> log) : SweepGrain, IRollCallSweepGrain
{
    /// <summary>The key of the time provider roll calls are kept by (starts, deliveries, closes, the sweep).</summary>
    public const string ClockKey = "roll-calls";

    public const string Reminder = "roll-call-sweep";

    protected override string ReminderName => Reminder;

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override async Task SweepDue()
    {
        try
        {
            foreach (var id in await store.DueToClose(clock.GetUtcNow()))
            {
                var grain = GrainFactory.GetGrain<IRollCallGrain>(id);
                if (await grain.Get() is { IsOpen: true } call)
                    await grain.Close(call.ClosesAt, null, null);
            }
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("rollCall.sweep");
            log.LogWarning(e, "Roll-call sweep failed; the next one is in {Interval}", options.Value.SweepInterval);
        }
    }
}
