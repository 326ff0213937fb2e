using CommandCenter.Access;

namespace CommandCenter.Web.Application;

/// <summary>
/// Who asks a service to act, from which client address (as the audit log records it), and in which session (a
/// person's sign-in; null for an integration).
/// </summary>
public sealed record Actor(Caller Caller, string? ClientAddress, Guid? Session = null);

/// <summary>The header that makes a report or an action safe to retry.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
}
