using CommandCenter.Access;
using CommandCenter.Alerts;
using CommandCenter.Web.Application;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode: the demo's patrol officers (police-1, police-2) sign most of their alerts (警务+网格) as their phones
/// would, through the alert service, each within 20 s to 2 min of its coming; <see cref="SimulatorOptions.UnsignedAlertShare"/>
/// of them are left to be sent up to the township and the county. Audited as the officer's, from the client address
/// "demo-simulator".
/// </summary>
public sealed class DemoAlerts(AlertService alerts, AccountStore accounts, IOptions<SimulatorOptions> options, TimeProvider clock,
    ILogger<DemoAlerts> log)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>When each alert seen is to be signed; null: left unsigned.</summary>
    private readonly Dictionary<Guid, DateTimeOffset?> _plans = [];

    private IReadOnlyList<Caller>? _officers;
    private DateTimeOffset _next;

    public async Task Step(Random random)
    {
        var now = clock.GetUtcNow();
        if (now < _next)
            return;
        _next = now + Every;
        _officers ??= (await accounts.List()).Where(a => a.Role == Role.PatrolPolice && a.Username.StartsWith("police-", StringComparison.Ordinal))
            .Select(a => a.ToCaller()).ToList();
        var waiting = new HashSet<Guid>();
        foreach (var officer in _officers)
        {
            if ((await alerts.Mine(officer)).Value is not { } mine)
                continue;
            foreach (var alert in mine.Where(a => a.State != AlertState.Acknowledged))
            {
                waiting.Add(alert.Id);
                if (!_plans.TryGetValue(alert.Id, out var at))
                {
                    at = random.NextDouble() < options.Value.UnsignedAlertShare ? null : alert.CreatedAt + TimeSpan.FromSeconds(20 + random.Next(100));
                    _plans[alert.Id] = at;
                }
                if (at is { } due && due <= now && (await alerts.Acknowledge(new Actor(officer, DemoCaseWorker.ClientAddress), alert.Id)).Refusal is { } refused)
                    log.LogWarning("The demo officer {Officer} could not sign alert {Alert}: {Detail}", officer.Id, alert.Id, refused.Detail);
            }
        }
        // The plans of alerts signed, or no longer among the officers' latest, go.
        foreach (var id in _plans.Keys.Where(id => !waiting.Contains(id)).ToList())
            _plans.Remove(id);
    }
}
