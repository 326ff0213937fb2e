using CommandCenter.Access;

namespace CommandCenter.Web.Application;

/// <summary>Who asks a service to act, and from which client address (as the audit log records it).</summary>
public sealed record Actor(Caller Caller, string? ClientAddress);

/// <summary>The header that makes a report or an action safe to retry.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
}
