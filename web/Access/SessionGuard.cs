using System.Collections.Concurrent;
using System.Security.Claims;
using CommandCenter.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Access;

/// <summary>
/// The sessions of people's sign-ins on this node. Every request with a person's cookie or bearer token passes here
/// (as the claims transformation of authentication): a session that is over (<see cref="SignInRules"/>: signed out,
/// ended by its owner or an administrator, its account changed, disabled or deleted) makes the request anonymous, so
/// it gets the same 401 (or the sign-in page) as one without a sign-in. What this node last found about a session holds
/// for <see cref="AccessOptions.SessionCheckInterval"/>, so a change made on another node is seen here within that
/// time; a change made on this node is seen at once (<see cref="Forget"/>). Hub connections are checked by
/// <see cref="SessionSweep"/>. While PostgreSQL does not answer, what this node last found holds.
/// </summary>
public sealed class SessionGuard(SessionStore store, [FromKeyedServices(SessionGuard.ClockKey)] TimeProvider clock,
    IOptionsMonitor<AccessOptions> options, ILogger<SessionGuard> log) : IClaimsTransformation
{
    /// <summary>The clock of sessions: their times, and how long a check holds (tests move it past the interval).</summary>
    public const string ClockKey = "sessions";

    /// <summary>Sessions checked on this node: at most this many are remembered (then the oldest findings go).</summary>
    public const int MaxRemembered = 20_000;

    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private readonly ConcurrentDictionary<Guid, Finding> _found = new();

    private sealed record Finding(string Username, string? Over, DateTimeOffset At);

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.ToCaller()?.Username is not { } username)
            return principal; // anonymous, or an integration (its key is checked by ApiKeyHandler)
        if (principal.SessionOf() is not { } session)
            return Anonymous; // a cookie or token from before sessions: sign in again
        return await Over(session, username) is null ? principal : Anonymous;
    }

    /// <summary>Null while the session holds, else why it is over; what this node found within the check interval holds.</summary>
    public async Task<string?> Over(Guid session, string username)
    {
        var now = clock.GetUtcNow();
        if (_found.TryGetValue(session, out var found) && (found.Over is not null || now - found.At < options.CurrentValue.SessionCheckInterval))
            return found.Over;
        return await Check(session, username, found);
    }

    /// <summary>Asks PostgreSQL whether the session holds, whatever this node found before (the hub sweep).</summary>
    public async Task<string?> Recheck(Guid session, string username) =>
        await Check(session, username, _found.GetValueOrDefault(session));

    /// <summary>Opens a session for an account whose password was just checked; answers its id and when it expires.</summary>
    public async Task<(Guid Id, DateTimeOffset ExpiresAt)> Open(Account account, SessionKind kind, string? clientAddress, string? userAgent)
    {
        var access = options.CurrentValue;
        var now = clock.GetUtcNow();
        var lifetime = kind == SessionKind.Page ? access.CookieLifetime : access.TokenLifetime;
        var id = await store.Open(new NewSession(account, kind, now, lifetime, Sliding: kind == SessionKind.Page, clientAddress, userAgent));
        Remember(id, new Finding(account.Username, null, now));
        return (id, now + lifetime);
    }

    public Task<IReadOnlyList<SignInRow>> Holding(string username) => store.Holding(username, clock.GetUtcNow());

    public async Task<bool> End(string username, Guid session, string endedBy, string reason)
    {
        var ended = await store.End(username, session, endedBy, reason, clock.GetUtcNow());
        if (ended)
            Remember(session, new Finding(username, reason, clock.GetUtcNow()));
        return ended;
    }

    public async Task<int> EndAll(string username, string endedBy, string reason)
    {
        var ended = await store.EndAll(username, endedBy, reason, clock.GetUtcNow());
        Forget(username);
        return ended;
    }

    /// <summary>Gives the session the account's current stamp (one's own password change goes on in it).</summary>
    public Task Restamp(Guid session) => store.Restamp(session);

    /// <summary>Drops what this node found about the account's sessions (but <paramref name="keep"/>): the account just changed here.</summary>
    public void Forget(string username, Guid? keep = null)
    {
        foreach (var (id, found) in _found)
        {
            if (found.Username == username && id != keep)
                _found.TryRemove(id, out _);
        }
    }

    private async Task<string?> Check(Guid session, string username, Finding? before)
    {
        string? over;
        try
        {
            over = await store.Check(session, clock.GetUtcNow());
        }
        catch (Npgsql.NpgsqlException e) when (before is not null)
        {
            log.LogWarning(e, "Could not check a session of {Username}; what this node found before holds", username);
            return before.Over;
        }
        Remember(session, new Finding(username, over, clock.GetUtcNow()));
        return over;
    }

    private void Remember(Guid session, Finding finding)
    {
        if (_found.Count >= MaxRemembered)
        {
            foreach (var old in _found.OrderBy(f => f.Value.At).Take(MaxRemembered / 4).Select(f => f.Key).ToList())
                _found.TryRemove(old, out _);
        }
        _found[session] = finding;
    }
}
