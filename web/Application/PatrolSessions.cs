using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Patrols;
using CommandCenter.Workers;

namespace CommandCenter.Web.Application;

/// <summary>
/// A person's patrol sessions follow the duty status they choose on their phone: on patrol opens one in their grid,
/// on duty or off duty closes it, SOS leaves it as it is (an emergency on patrol is still on patrol). Each session
/// opened or closed is audited; its times come from the patrols' clock.
/// </summary>
public sealed class PatrolSessions(PatrolStore store, AuditLog audit, [FromKeyedServices(PatrolSweepGrain.ClockKey)] TimeProvider clock)
{
    /// <summary>After the person chose <paramref name="status"/>: opens or closes their session as it says.</summary>
    public async Task Follow(Actor actor, WorkerRecord worker, DutyStatus status)
    {
        var now = clock.GetUtcNow();
        if (status == DutyStatus.OnPatrol && await store.Open(worker.Id, worker.GridCode, now) is { } opened)
        {
            await audit.Append(actor.Caller, AuditActions.StartPatrol, worker.Id, detail: $"{worker.GridCode} · {opened.Id}",
                clientAddress: actor.ClientAddress);
        }
        else if (status is DutyStatus.OnDuty or DutyStatus.OffDuty && await store.Close(worker.Id, now) is { Stopped: { } stopped } closed)
        {
            await audit.Append(actor.Caller, AuditActions.StopPatrol, worker.Id,
                detail: $"{closed.GridCode} · {closed.Id} · {(int)(stopped - closed.Started).TotalMinutes} min", clientAddress: actor.ClientAddress);
        }
    }
}
