using Orleans.Reminders;

namespace CommandCenter;

/// <summary>
/// A sweep of the cluster (one grain, key 0) that looks for work come due every <see cref="SweepInterval"/> on a grain
/// timer, one sweep at a time. Its reminder (every <see cref="ReminderPeriod"/>) brings it back on a surviving or
/// restarted silo, every silo wakes it at start (<see cref="Wake"/> starts a sweep and returns without waiting for
/// it: after an outage there may be much to do, and a silo's start waits for the call), every activation runs its
/// timer, and one that ends wakes it again. <see cref="SweepDue"/> contains its own failures.
/// </summary>
public abstract class SweepGrain : Grain, IRemindable
{
    private bool _reminderKnown;
    private Task _running = Task.CompletedTask;

    protected abstract string ReminderName { get; }

    protected abstract TimeSpan ReminderPeriod { get; }

    protected abstract TimeSpan SweepInterval { get; }

    /// <summary>One sweep; it logs and counts what fails (<see cref="BackgroundFailures"/>) and never throws.</summary>
    protected abstract Task SweepDue();

    /// <summary>
    /// Every activation sweeps on its timer, however it came to be: woken, by its reminder, or moved here by Orleans
    /// (which migrates activations off a silo that shuts down, without their timers).
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => Sweep(), new GrainTimerCreationOptions(SweepInterval, SweepInterval) { KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// An activation that ends (its silo shutting down, a duplicate resolved while silos join and leave) wakes the sweep
    /// again at once, which places it on a silo that runs, so that it does not wait for its reminder (up to
    /// <see cref="ReminderPeriod"/>). Not awaited: the call is delivered once this activation is gone; when no silo can
    /// take it (the whole cluster stopping) it fails, and the reminder brings the sweep when one starts.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _ = this.AsReference<ISweepGrain>().Wake().ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task Wake()
    {
        if (!_reminderKnown)
        {
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
            _reminderKnown = true;
        }
        // Runs on between this grain's calls.
        _ = Sweep();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == ReminderName ? Wake() : Task.CompletedTask;

    /// <summary>One sweep at a time: a call while one runs waits for it.</summary>
    private Task Sweep()
    {
        if (_running.IsCompleted)
            _running = SweepDue();
        return _running;
    }
}
