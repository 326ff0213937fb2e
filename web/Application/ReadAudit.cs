using System.Collections.Concurrent;
using CommandCenter.Access;

namespace CommandCenter.Web.Application;

/// <summary>
/// The audit rows of reads of personal data (#20): a person's track history, a camera's picture, a citizen's contact
/// details: who looked, when, at what. A wall that refreshes a snapshot every few seconds is one look, not thousands:
/// a reader's reads of one thing within <see cref="Window"/> on a node are one row (the first).
/// </summary>
public sealed class ReadAudit(AuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private const int MaxRemembered = 50_000;

    private readonly ConcurrentDictionary<(string Actor, string Action, string Target), DateTimeOffset> _last = new();

    public Task Record(Actor actor, string action, string target, string? detail = null)
    {
        var now = clock.GetUtcNow();
        var key = (actor.Caller.Id, action, target);
        if (_last.TryGetValue(key, out var at) && now - at < Window)
            return Task.CompletedTask;
        if (_last.Count >= MaxRemembered)
        {
            foreach (var old in _last.Where(e => now - e.Value >= Window).Select(e => e.Key).ToList())
                _last.TryRemove(old, out _);
        }
        _last[key] = now;
        return audit.Append(actor.Caller, action, target, detail: detail, clientAddress: actor.ClientAddress);
    }
}
