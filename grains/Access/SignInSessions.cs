namespace CommandCenter.Access;

/// <summary>How a session was signed in: the pages' cookie or a bearer token (API, phone, SignalR clients).</summary>
public enum SessionKind
{
    Page,
    Token,
}

/// <summary>A session as stored, with the state of its account that decides whether it still holds.</summary>
public sealed record SignInRow(
    Guid Id,
    string Username,
    SessionKind Kind,
    long Stamp,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? ClientAddress,
    string? UserAgent,
    string? EndedReason,
    long AccountStamp,
    bool AccountDisabled);

/// <summary>
/// Whether a sign-in still holds: not ended (signed out, ended by its owner or an administrator), not expired, its
/// account not disabled, and signed in with the account's current security stamp (<see cref="Account.Stamp"/>).
/// </summary>
public static class SignInRules
{
    /// <summary>Why a session is over, as the sessions API, the audit log and a disconnected hub client are told.</summary>
    public static class Reasons
    {
        public const string SignedOut = "signedOut";
        public const string EndedByOwner = "endedByOwner";
        public const string EndedByAdministrator = "endedByAdministrator";
        public const string AccountChanged = "accountChanged";
        public const string AccountDisabled = "accountDisabled";

        /// <summary>No such session: the account was deleted (its sessions with it), or the id was never issued.</summary>
        public const string Unknown = "unknown";

        public const string Expired = "expired";
    }

    /// <summary>Null while the session holds, else why it is over.</summary>
    public static string? WhyOver(SignInRow? session, DateTimeOffset now) =>
        session is null ? Reasons.Unknown
        : session.EndedReason is { } ended ? ended
        : session.AccountDisabled ? Reasons.AccountDisabled
        : session.Stamp != session.AccountStamp ? Reasons.AccountChanged
        : session.ExpiresAt <= now ? Reasons.Expired
        : null;

    /// <summary>What a person reads when a session of theirs is over (the sign-in page, the hub's disconnect).</summary>
    public static string Describe(string reason) => reason switch
    {
        Reasons.SignedOut => "已退出登录。",
        Reasons.EndedByOwner => "此登录已由本人结束。",
        Reasons.EndedByAdministrator => "此登录已被系统管理员结束。",
        Reasons.AccountChanged => "账户的角色、辖区或密码已变更,请重新登录。",
        Reasons.AccountDisabled => "账户已停用。",
        Reasons.Expired => "登录已过期,请重新登录。",
        _ => "登录已失效,请重新登录。",
    };
}
