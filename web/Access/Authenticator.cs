using CommandCenter.Access;
using Microsoft.AspNetCore.Identity;

namespace CommandCenter.Web.Access;

/// <summary>
/// Checks a username and password for the sign-in page and the token endpoint alike: Identity's password hasher,
/// the lockout rule, an audit row for every attempt. Every failure looks the same to the caller (unknown user,
/// wrong password, locked account), and an unknown user costs one hash like a known one.
/// </summary>
public sealed class Authenticator(AccountStore accounts, AuditLog audit, TimeProvider clock, LockoutPolicy lockout)
{
    public const int MaxPasswordLength = 256;

    private static readonly PasswordHasher<Account> Hasher = new();
    private static readonly string DummyHash = Hasher.HashPassword(null!, "no such account: this only spends the time a real check takes");

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    /// <summary>The caller on success; null on any failure (already audited).</summary>
    public async Task<Caller?> SignIn(string username, string password, string action, string? clientAddress)
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
        var caller = account.ToCaller();
        await audit.Append(caller, action, claimed, clientAddress: clientAddress);
        return caller;
    }

    /// <summary>Records that a signed-in person signed out of the pages.</summary>
    public Task SignedOut(Caller caller, string? clientAddress) =>
        audit.Append(caller, AuditActions.SignOut, caller.Id, clientAddress: clientAddress);
}
