using CommandCenter.Access;
using Microsoft.AspNetCore.Identity;

namespace CommandCenter.Web.Access;

/// <summary>What a successful sign-in gives: the caller and the session its cookie or token names.</summary>
public sealed record SignedIn(Caller Caller, Guid Session, DateTimeOffset ExpiresAt);

/// <summary>
/// Checks a username and password for the sign-in page and the token endpoint alike: Identity's password hasher,
/// the lockout rule, an audit row for every attempt; a success opens a session (<see cref="SessionGuard"/>). Every
/// failure looks the same to the caller (unknown user, wrong password, locked or disabled account), and an unknown
/// user costs one hash like a known one.
/// </summary>
public sealed class Authenticator(AccountStore accounts, AuditLog audit, TimeProvider clock, LockoutPolicy lockout, SessionGuard sessions)
{
    public const int MaxPasswordLength = PasswordRules.MaxLength;

    private static readonly PasswordHasher<Account> Hasher = new();
    private static readonly string DummyHash = Hasher.HashPassword(null!, "no such account: this only spends the time a real check takes");

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    /// <summary>The caller and its new session on success; null on any failure (already audited).</summary>
    public async Task<SignedIn?> SignIn(string username, string password, string action, string? clientAddress, SessionKind kind, string? userAgent)
    {
        if (await Verify(username, password, action, clientAddress) is not { } account)
            return null;
        var (session, expiresAt) = await sessions.Open(account, kind, clientAddress, userAgent);
        return new SignedIn(account.ToCaller(), session, expiresAt);
    }

    /// <summary>The account whose password this is; null on any failure (already audited). A wrong password counts towards the lock.</summary>
    public async Task<Account?> Verify(string username, string password, string action, string? clientAddress)
    {
        var name = AccountNames.Normalize(username);
        var account = AccountNames.IsValid(name) && password.Length <= MaxPasswordLength ? await accounts.Find(name) : null;
        var claimed = AccountNames.IsValid(name) ? Caller.UserId(name) : "user:(invalid name)";
        if (account is null)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            await audit.Append(null, action, claimed, AuditLog.Outcomes.Failed, "unknown user", clientAddress, claimed);
            return null;
        }

        var now = clock.GetUtcNow();
        if (account.Disabled)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            await audit.Append(null, action, claimed, AuditLog.Outcomes.Failed, "account disabled", clientAddress, claimed);
            return null;
        }
        if (LockoutPolicy.IsLocked(account, now))
        {
            await audit.Append(null, action, claimed, AuditLog.Outcomes.LockedOut, $"locked until {account.LockedUntil:O}", clientAddress, claimed);
            return null;
        }

        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var lockedUntil = await accounts.RecordFailure(account.Username, lockout, now);
            await audit.Append(null, action, claimed, lockedUntil is null ? AuditLog.Outcomes.Failed : AuditLog.Outcomes.LockedOut,
                lockedUntil is null ? "wrong password" : $"wrong password; locked until {lockedUntil:O}", clientAddress, claimed);
            return null;
        }

        await accounts.RecordSuccess(account.Username, verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hash(password) : null);
        await audit.Append(account.ToCaller(), action, claimed, clientAddress: clientAddress);
        return account;
    }

    /// <summary>Records that a signed-in person signed out of the pages, and ends that session.</summary>
    public async Task SignedOut(Caller caller, Guid? session, string? clientAddress)
    {
        if (session is { } id)
            await sessions.End(caller.Username!, id, caller.Id, SignInRules.Reasons.SignedOut);
        await audit.Append(caller, AuditActions.SignOut, caller.Id, clientAddress: clientAddress);
    }
}
