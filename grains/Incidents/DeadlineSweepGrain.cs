using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Reminders;

namespace CommandCenter.Incidents;

/// <summary>
/// Deadlines without a reminder per incident: every commit stores when its case must be looked at next
/// (<c>cc_incident.review_at</c>, indexed), and this grain reads what is due every <see cref="WorkflowOptions.SweepInterval"/>
/// and calls <see cref="IIncidentGrain.ReviewDeadlines"/> on each, a few at a time. A review records a missed
/// deadline once and moves the case's review time on, in its own commit; a review that fails is logged, and the
/// case stays due for the next sweep. Its reminder (every <see cref="WorkflowOptions.ReminderPeriod"/>) brings the
/// sweep back on a surviving or restarted silo, and every silo wakes it at start (<see cref="SweepGrain"/>), so that
/// what fell due while no silo ran is reviewed from the restart on.
/// </summary>
public sealed class DeadlineSweepGrain(
    IncidentStore store,
    IOptions<WorkflowOptions> options,
    [FromKeyedServices(ReminderTimeProviderNames.Reminders)] TimeProvider clock,
    ILogger<DeadlineSweepGrain> log) : SweepGrain, IDeadlineSweepGrain
{
    public const string Reminder = "deadline-sweep";
    private const int Page = 500;
    private const int AtOnce = 32;

    protected override string ReminderName => Reminder;

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override async Task SweepDue()
    {
        try
        {
            IReadOnlyList<Guid> due;
            do
            {
                due = await store.DueForReview(clock.GetUtcNow(), Page);
                var failed = 0;
                foreach (var chunk in due.Chunk(AtOnce))
                {
                    await Task.WhenAll(chunk.Select(async id =>
                    {
                        try
                        {
                            await GrainFactory.GetGrain<IIncidentGrain>(id).ReviewDeadlines();
                        }
                        catch (Exception e)
                        {
                            Interlocked.Increment(ref failed);
                            BackgroundFailures.Count("deadline.review");
                            log.LogWarning(e, "Deadline sweep: reviewing incident {Incident} failed; it stays due", id);
                        }
                    }));
                }
                // A full page that all went through may have more behind it; a page with failures waits for the next sweep.
                if (failed > 0)
                    break;
            }
            while (due.Count == Page);
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("deadline.sweep");
            log.LogWarning(e, "Deadline sweep failed; the next one is in {Interval}", options.Value.SweepInterval);
        }
    }
}
