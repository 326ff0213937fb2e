namespace CommandCenter.Alerts;

/// <summary>Why an account is alerted of an incident.</summary>
public enum AlertKind
{
    /// <summary>A new incident in a grid a patrol officer's account covers (警务+网格).</summary>
    InGrid,

    /// <summary>The incident was dispatched to the account's person.</summary>
    Dispatched,
}

/// <summary>Where an alert stands: waiting for its 签收, signed, or not signed in time and sent up.</summary>
public enum AlertState
{
    Open,
    Acknowledged,
    Escalated,
}

/// <summary>One alert of one account (<c>cc_alert</c>), with the account's display name.</summary>
/// <param name="DueAt">When it goes to the duty officer and the township station if nobody acknowledged it.</param>
/// <param name="DeliveredAt">When the account's phone first read it.</param>
/// <param name="EscalatedAt">When it was sent up unacknowledged (it may still be acknowledged after).</param>
[GenerateSerializer, Immutable]
public sealed record Alert(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid Incident,
    [property: Id(2)] string Username,
    [property: Id(3)] string Name,
    [property: Id(4)] AlertKind Kind,
    [property: Id(5)] string GridCode,
    [property: Id(6)] string Category,
    [property: Id(7)] string Title,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset DueAt,
    [property: Id(10)] DateTimeOffset? DeliveredAt,
    [property: Id(11)] DateTimeOffset? AcknowledgedAt,
    [property: Id(12)] DateTimeOffset? EscalatedAt)
{
    public AlertState State => AcknowledgedAt is not null ? AlertState.Acknowledged
        : EscalatedAt is not null ? AlertState.Escalated
        : AlertState.Open;
}

/// <summary>Alerts of <see cref="Jurisdiction"/>'s grids just sent up unacknowledged, for its walls (hub message <c>alertsEscalated</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record AlertsEscalated([property: Id(0)] string Jurisdiction, [property: Id(1)] IReadOnlyList<Alert> Alerts);

/// <summary>
/// A nudge to the phones following <see cref="Jurisdiction"/> (the person's grid): the person <see cref="WorkerId"/> has
/// a new alert of an incident elsewhere, whose feed entries their phone does not follow (hub message <c>alertNudge</c>).
/// It names nobody's incident: the phone reads its alerts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlertNudge([property: Id(0)] string Jurisdiction, [property: Id(1)] string WorkerId);

/// <summary>
/// The alert sweep (one for the cluster, key 0): sends up every alert not acknowledged in its time, once. An Orleans
/// reminder brings it back after restarts; silos wake it when they start.
/// </summary>
public interface IAlertSweepGrain : ISweepGrain;
