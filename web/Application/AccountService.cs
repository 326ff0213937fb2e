using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Application;

public sealed record AccountView(string Username, string DisplayName, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId,
    DateTimeOffset? LockedUntil, bool Disabled)
{
    public static AccountView Of(Account a) => new(a.Username, a.DisplayName, a.Role, a.Jurisdictions, a.WorkerId, a.LockedUntil, a.Disabled);
}

public sealed record IntegrationKey(string Name, string ApiKey);

/// <summary>An account to create: bound to one jurisdiction (or several grids for a worker or officer).</summary>
public sealed record NewAccountRequest(string Username, string DisplayName, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId,
    string Password) : IRequestContract<NewAccountRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static NewAccountRequest Read(JsonFields body)
    {
        var username = AccountFields.Name(body, "username");
        var displayName = body.Text("displayName", 64, required: true) ?? "";
        var role = AccountFields.PersonRole(body);
        var jurisdictions = body.TextList("jurisdictions", 64, 64);
        var workerId = body.OptionalText("workerId", 64);
        var password = AccountFields.NewPassword(body, username);
        if (jurisdictions is { Count: 0 })
            body.Fail("jurisdictions", "At least one jurisdiction code.");
        return new(username, displayName, role ?? default, jurisdictions ?? [], workerId, password);
    }
}

/// <summary>
/// A change of an account (<c>PATCH</c>): only the fields sent change; <c>workerId</c> sent as null unbinds the
/// worker. Any change of role, jurisdictions or worker ends the account's sessions.
/// </summary>
public sealed record AccountPatch(string? DisplayName, Role? Role, IReadOnlyList<string>? Jurisdictions, bool ChangesWorker, string? WorkerId)
    : IRequestContract<AccountPatch>
{
    public static int MaxBytes => 16 * 1024;

    public static AccountPatch Read(JsonFields body)
    {
        var displayName = body.Has("displayName") ? body.Text("displayName", 64, required: true) : null;
        var role = body.Has("role") ? AccountFields.PersonRole(body) : null;
        var jurisdictions = body.Has("jurisdictions") ? body.TextList("jurisdictions", 64, 64) : null;
        if (jurisdictions is { Count: 0 })
            body.Fail("jurisdictions", "At least one jurisdiction code.");
        var changesWorker = body.Root.TryGetProperty("workerId", out _);
        var workerId = body.OptionalText("workerId", 64);
        if (displayName is null && role is null && jurisdictions is null && !changesWorker && body.Errors.Count == 0)
            body.Fail("body", "Send at least one of displayName, role, jurisdictions, workerId.");
        return new(displayName, role, jurisdictions, changesWorker, workerId);
    }
}

public sealed record PasswordRequest(string Password) : IRequestContract<PasswordRequest>
{
    public static int MaxBytes => 4096;

    public static PasswordRequest Read(JsonFields body) => new(body.Text("password", PasswordRules.MaxLength, required: true) ?? "");
}

/// <summary>One's own new password: the current one proves it is the person, not someone at an unlocked screen.</summary>
public sealed record OwnPasswordRequest(string CurrentPassword, string Password) : IRequestContract<OwnPasswordRequest>
{
    public static int MaxBytes => 4096;

    public static OwnPasswordRequest Read(JsonFields body) => new(
        body.Text("currentPassword", PasswordRules.MaxLength, required: true) ?? "",
        body.Text("password", PasswordRules.MaxLength, required: true) ?? "");
}

/// <summary>A sign-in session as its owner and administrators see it; <see cref="Current"/>: the one this request came with.</summary>
public sealed record SignInView(Guid Id, SessionKind Kind, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt,
    string? ClientAddress, string? UserAgent, bool Current);

/// <summary>An intake integration to create or re-key: its jurisdiction, the sources it may report as, and whether it sends positions.</summary>
public sealed record IntegrationRequest(string Name, string Jurisdiction, IReadOnlyList<string> Sources, bool Positions)
    : IRequestContract<IntegrationRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static IntegrationRequest Read(JsonFields body) => new(
        AccountFields.Name(body, "name"),
        body.Text("jurisdiction", 64, required: true) ?? "",
        body.EnumList<IncidentSource>("sources") ?? [],
        body.Boolean("positions") ?? false);
}

/// <summary>The filters of <c>GET /api/audit</c> as they come in the query (checked by <see cref="AccountService.Audit"/>).</summary>
/// <see cref="Reads"/>: "true" lists only the reads of personal data (<see cref="AuditActions.Reads"/>: tracks, snapshots, contacts).
public sealed record AuditListQuery(string? Actor, string? Action, string? Target, string? From, string? To, string? Before, string? Limit,
    string? Reads = null);

/// <summary>Fields that accounts and integrations share.</summary>
internal static class AccountFields
{
    /// <summary>A new password for the account <paramref name="username"/>; a field error when it breaks <see cref="PasswordRules"/>.</summary>
    public static string NewPassword(JsonFields body, string username)
    {
        var password = body.Text("password", PasswordRules.MaxLength, required: true);
        if (password is { Length: > 0 } && PasswordRules.Problem(username, password) is { } problem)
            body.Fail("password", problem);
        return password ?? "";
    }

    /// <summary>The role of a person's account: not an integration's, not a citizen's.</summary>
    public static Role? PersonRole(JsonFields body)
    {
        var role = body.Enum<Role>("role");
        if (role == Role.Integration)
            body.Fail("role", "Integrations are created with POST /api/integrations.");
        if (role == Role.Citizen)
            body.Fail("role", "Citizens have no accounts: they rate cases through the rating link.");
        return role;
    }

    /// <summary>An account or integration name, normalized; a field error when it breaks <see cref="AccountNames"/>.</summary>
    public static string Name(JsonFields body, string field)
    {
        var name = AccountNames.Normalize(body.Text(field, AccountNames.MaxLength, required: true) ?? "");
        if (name.Length > 0 && !AccountNames.IsValid(name))
            body.Fail(field, "Lowercase letters, digits, '-', '_' and '.', starting with a letter or digit.");
        return name;
    }
}

/// <summary>
/// Administrators manage accounts (create, change, disable, enable, delete, reset passwords, end sessions) and intake
/// integrations, and read the audit log; every person sees and ends their own sessions and changes their own password.
/// A change of an account's role, jurisdictions, worker, disabled flag or password ends its sessions on every node
/// (the security stamp, <see cref="SessionGuard"/>); one's own password change keeps the session it was made in.
/// </summary>
public sealed class AccountService(AccountStore store, IntegrationKeys keys, JurisdictionDirectory directory, PoliceBindingDirectory police,
    AuditLog audit, SessionGuard sessions, Authenticator authenticator)
{
    public async Task<IReadOnlyList<AccountView>> Accounts() => (await store.List()).Select(AccountView.Of).ToList();

    public Task<IReadOnlyList<Integration>> Integrations() => store.ListIntegrations();

    public async Task<Outcome<AccountView>> Create(Actor actor, NewAccountRequest request)
    {
        if (Unknown(request.Jurisdictions, request.WorkerId) is { } unknown)
            return unknown;
        var account = new NewAccount(request.Username, request.DisplayName, request.Role, request.Jurisdictions, request.WorkerId);
        if (!await store.Create(account, Authenticator.Hash(request.Password)))
            return Refusal.Conflict("username", $"The username {request.Username} is taken.");
        police.Invalidate();
        await audit.Append(actor.Caller, AuditActions.CreateAccount, Caller.UserId(account.Username),
            detail: $"{account.Role} · {string.Join(",", account.Jurisdictions)}", clientAddress: actor.ClientAddress);
        return new AccountView(account.Username, account.DisplayName, account.Role, account.Jurisdictions, account.WorkerId, null, false);
    }

    /// <summary>Changes what the patch sends; an administrator cannot change their own role (nobody locks the county out by a slip).</summary>
    public async Task<Outcome<AccountView>> Update(Actor actor, string username, AccountPatch patch)
    {
        if (await Existing(username) is not { } current)
            return Refusal.NotFound($"No account {username}.");
        if (Unknown(patch.Jurisdictions ?? [], patch.ChangesWorker ? patch.WorkerId : null) is { } unknown)
            return unknown;
        if (IsOwn(actor, current) && patch.Role is { } role && role != current.Role)
            return Refusal.Conflict("role", "You cannot change your own role: another administrator does that.");
        var changed = new NewAccount(current.Username, patch.DisplayName ?? current.DisplayName, patch.Role ?? current.Role,
            patch.Jurisdictions ?? current.Jurisdictions, patch.ChangesWorker ? patch.WorkerId : current.WorkerId);
        if (await store.Update(current.Username, changed) is not { } updated)
            return Refusal.NotFound($"No account {username}.");
        sessions.Forget(updated.Username);
        police.Invalidate();
        await audit.Append(actor.Caller, AuditActions.UpdateAccount, Caller.UserId(updated.Username), detail: Changes(current, updated),
            clientAddress: actor.ClientAddress);
        return AccountView.Of(updated);
    }

    /// <summary>A disabled account cannot sign in, and its sessions end; nobody disables their own account.</summary>
    public Task<Outcome<AccountView>> Disable(Actor actor, string username) => SetDisabled(actor, username, true);

    public Task<Outcome<AccountView>> Enable(Actor actor, string username) => SetDisabled(actor, username, false);

    /// <summary>Deletes the account and its sessions; its audit rows stay. Nobody deletes their own account.</summary>
    public async Task<Outcome<string>> Delete(Actor actor, string username)
    {
        if (await Existing(username) is not { } current)
            return Refusal.NotFound($"No account {username}.");
        if (IsOwn(actor, current))
            return Refusal.Conflict("username", "You cannot delete your own account: another administrator does that.");
        if (!await store.Delete(current.Username))
            return Refusal.NotFound($"No account {username}.");
        sessions.Forget(current.Username);
        police.Invalidate();
        await audit.Append(actor.Caller, AuditActions.DeleteAccount, Caller.UserId(current.Username),
            detail: $"{current.Role} · {string.Join(",", current.Jurisdictions)}", clientAddress: actor.ClientAddress);
        return current.Username;
    }

    /// <summary>Creates an integration or replaces its key; the answer holds the key, shown this once.</summary>
    public async Task<Outcome<IntegrationKey>> SaveIntegration(Actor actor, IntegrationRequest request)
    {
        if (directory.Tree?.Find(request.Jurisdiction) is null)
            return Refusal.Invalid("jurisdiction", $"No jurisdiction {request.Jurisdiction}.");
        var integration = new Integration(request.Name, request.Jurisdiction, request.Sources, request.Positions);
        var key = await keys.Issue(integration);
        await audit.Append(actor.Caller, AuditActions.SaveIntegration, Caller.IntegrationId(request.Name),
            detail: $"{request.Jurisdiction} · sources {string.Join(",", integration.Sources)} · positions {integration.Positions}",
            clientAddress: actor.ClientAddress);
        return new IntegrationKey(request.Name, key);
    }

    /// <summary>A new password, which also lifts a lock (a forgotten password, a locked-out user) and ends the account's sessions.</summary>
    public async Task<Outcome<string>> SetPassword(Actor actor, string username, PasswordRequest request)
    {
        var name = AccountNames.Normalize(username);
        if (!AccountNames.IsValid(name))
            return Refusal.NotFound($"No account {username}.");
        if (PasswordRules.Problem(name, request.Password) is { } problem)
            return Refusal.Invalid("password", problem);
        if (!await store.SetPassword(name, Authenticator.Hash(request.Password)))
            return Refusal.NotFound($"No account {username}.");
        sessions.Forget(name);
        await audit.Append(actor.Caller, AuditActions.SetPassword, Caller.UserId(name), clientAddress: actor.ClientAddress);
        return name;
    }

    /// <summary>
    /// One's own new password, after the current one (checked like a sign-in: a wrong one counts towards the lock and is
    /// audited). The account's other sessions end; the one it was changed in goes on.
    /// </summary>
    public async Task<Outcome<string>> ChangeOwnPassword(Actor actor, OwnPasswordRequest request)
    {
        var name = actor.Caller.Username!;
        if (PasswordRules.Problem(name, request.Password) is { } problem)
            return Refusal.Invalid("password", problem);
        if (await authenticator.Verify(name, request.CurrentPassword, AuditActions.ChangeOwnPassword, actor.ClientAddress) is null)
            return Refusal.Invalid("currentPassword", "The current password is wrong, or the account is locked for a while after repeated failures.");
        if (!await store.SetPassword(name, Authenticator.Hash(request.Password)))
            return Refusal.NotFound($"No account {name}.");
        if (actor.Session is { } current)
            await sessions.Restamp(current);
        sessions.Forget(name, keep: actor.Session);
        return name;
    }

    /// <summary>One's own sessions that hold, newest first, marking the one this request came with.</summary>
    public async Task<IReadOnlyList<SignInView>> OwnSessions(Actor actor) => await Sessions(actor.Caller.Username!, actor.Session);

    /// <summary>Ends one of one's own sessions (another phone, a forgotten browser; or this one).</summary>
    public async Task<Outcome<Guid>> EndOwnSession(Actor actor, Guid id)
    {
        var name = actor.Caller.Username!;
        if (!await sessions.End(name, id, actor.Caller.Id, SignInRules.Reasons.EndedByOwner))
            return Refusal.NotFound($"No session {id} of yours that is still signed in.");
        await audit.Append(actor.Caller, AuditActions.EndSession, Caller.UserId(name), detail: $"{id} · {SignInRules.Reasons.EndedByOwner}",
            clientAddress: actor.ClientAddress);
        return id;
    }

    /// <summary>An account's sessions that hold, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<SignInView>>> AccountSessions(string username) =>
        await Existing(username) is { } account ? Outcome.Of(await Sessions(account.Username, null)) : Refusal.NotFound($"No account {username}.");

    /// <summary>An administrator ends one session of an account (<paramref name="id"/>), or all of them (null).</summary>
    public async Task<Outcome<int>> EndSessions(Actor actor, string username, Guid? id)
    {
        if (await Existing(username) is not { } account)
            return Refusal.NotFound($"No account {username}.");
        const string reason = SignInRules.Reasons.EndedByAdministrator;
        var ended = id is { } one
            ? await sessions.End(account.Username, one, actor.Caller.Id, reason) ? 1 : 0
            : await sessions.EndAll(account.Username, actor.Caller.Id, reason);
        if (id is not null && ended == 0)
            return Refusal.NotFound($"No session {id} of {account.Username} that is still signed in.");
        await audit.Append(actor.Caller, AuditActions.EndSession, Caller.UserId(account.Username),
            detail: $"{id?.ToString() ?? $"all ({ended})"} · {reason}", clientAddress: actor.ClientAddress);
        return ended;
    }

    /// <summary>The audit log, newest first, filtered and paged as the query says.</summary>
    public async Task<Outcome<IReadOnlyList<AuditEntry>>> Audit(AuditListQuery query)
    {
        var errors = new Dictionary<string, string[]>();
        var from = QueryTime.Read("from", query.From, errors);
        var to = QueryTime.Read("to", query.To, errors);
        long? before = null;
        if (!string.IsNullOrEmpty(query.Before))
        {
            if (long.TryParse(query.Before, out var id) && id > 0)
                before = id;
            else
                errors["before"] = ["An audit row id: a whole number above 0."];
        }
        var limit = 100;
        if (!string.IsNullOrEmpty(query.Limit) && (!int.TryParse(query.Limit, out limit) || limit is < 1 or > 500))
            errors["limit"] = ["A whole number between 1 and 500."];
        var reads = false;
        if (!string.IsNullOrEmpty(query.Reads) && !bool.TryParse(query.Reads, out reads))
            errors["reads"] = ["true or false."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        return Outcome.Of(await audit.Query(new AuditQuery(query.Actor, query.Action, query.Target, from, to, before, limit,
            reads ? AuditActions.Reads : null)));
    }

    private async Task<Outcome<AccountView>> SetDisabled(Actor actor, string username, bool disabled)
    {
        if (await Existing(username) is not { } current)
            return Refusal.NotFound($"No account {username}.");
        if (disabled && IsOwn(actor, current))
            return Refusal.Conflict("username", "You cannot disable your own account: another administrator does that.");
        if (!await store.SetDisabled(current.Username, disabled))
            return Refusal.NotFound($"No account {username}.");
        sessions.Forget(current.Username);
        await audit.Append(actor.Caller, disabled ? AuditActions.DisableAccount : AuditActions.EnableAccount, Caller.UserId(current.Username),
            clientAddress: actor.ClientAddress);
        return AccountView.Of(current with { Disabled = disabled });
    }

    private async Task<Account?> Existing(string username)
    {
        var name = AccountNames.Normalize(username);
        return AccountNames.IsValid(name) ? await store.Find(name) : null;
    }

    private async Task<IReadOnlyList<SignInView>> Sessions(string username, Guid? current) =>
        (await sessions.Holding(username))
            .Select(s => new SignInView(s.Id, s.Kind, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.ClientAddress, s.UserAgent, s.Id == current))
            .ToList();

    private Refusal? Unknown(IReadOnlyList<string> jurisdictions, string? workerId)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < jurisdictions.Count; i++)
        {
            if (directory.Tree?.Find(jurisdictions[i]) is null)
                errors[$"jurisdictions[{i}]"] = [$"No jurisdiction {jurisdictions[i]}."];
        }
        if (workerId is not null && directory.Worker(workerId) is null)
            errors["workerId"] = [$"No worker {workerId}."];
        return errors.Count > 0 ? Refusal.Invalid(errors) : null;
    }

    private static bool IsOwn(Actor actor, Account account) => actor.Caller.Id == Caller.UserId(account.Username);

    /// <summary>What a change changed, for its audit row: "role GridWorker→PatrolPolice · jurisdictions a→a,b".</summary>
    private static string Changes(Account before, Account after)
    {
        var changes = new List<string>();
        if (before.DisplayName != after.DisplayName)
            changes.Add($"name {before.DisplayName}→{after.DisplayName}");
        if (before.Role != after.Role)
            changes.Add($"role {before.Role}→{after.Role}");
        if (!before.Jurisdictions.SequenceEqual(after.Jurisdictions))
            changes.Add($"jurisdictions {string.Join(",", before.Jurisdictions)}→{string.Join(",", after.Jurisdictions)}");
        if (before.WorkerId != after.WorkerId)
            changes.Add($"worker {before.WorkerId ?? "-"}→{after.WorkerId ?? "-"}");
        return changes.Count > 0 ? string.Join(" · ", changes) : "no change";
    }
}
