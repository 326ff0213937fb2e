namespace CommandCenter.Access;

/// <summary>Who asked for a change, and from where: the audit row that goes into the change's own commit.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditedBy(
    [property: Id(0)] Caller Caller,
    [property: Id(1)] string? ClientAddress);
