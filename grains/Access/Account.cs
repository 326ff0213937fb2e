namespace CommandCenter.Access;

/// <summary>
/// A person's account as stored (password as an ASP.NET Core Identity hash, never the password). <see cref="Stamp"/>
/// is its security stamp: it moves on every change of role, jurisdictions, worker, disabled flag or password, and a
/// session signed in with another stamp is over (<see cref="SignInRules"/>).
/// </summary>
public sealed record Account(
    string Username,
    string DisplayName,
    Role Role,
    IReadOnlyList<string> Jurisdictions,
    string? WorkerId,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    bool Disabled = false,
    long Stamp = 0)
{
    public Caller ToCaller() => new(Caller.UserId(Username), DisplayName, Role, Jurisdictions, WorkerId);
}

/// <summary>What an administrator (or the demo seeding) asks for when creating an account.</summary>
public sealed record NewAccount(string Username, string DisplayName, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId);

/// <summary>An intake integration (12345 hotline, mini-program, terminal gateway): which sources it may report as, where.</summary>
public sealed record Integration(string Name, string Jurisdiction, IReadOnlyList<string> Sources, bool Positions)
{
    public Caller ToCaller() => new(Caller.IntegrationId(Name), Name, Role.Integration, [Jurisdiction]);
}

/// <summary>Rules for names chosen by people: short, lowercase ASCII, safe in logs, URLs and audit rows.</summary>
public static class AccountNames
{
    public const int MaxLength = 32;

    public static string Normalize(string username) => username.Trim().ToLowerInvariant();

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.')
        && char.IsAsciiLetterOrDigit(name[0]);
}
