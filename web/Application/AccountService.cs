using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Application;

public sealed record AccountView(string Username, string DisplayName, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId,
    DateTimeOffset? LockedUntil);

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
        var role = body.Enum<Role>("role");
        var jurisdictions = body.TextList("jurisdictions", 64, 64);
        var workerId = body.OptionalText("workerId", 64);
        var password = AccountFields.NewPassword(body);
        if (role == Role.Integration)
            body.Fail("role", "Integrations are created with POST /api/integrations.");
        if (role == Role.Citizen)
            body.Fail("role", "Citizens have no accounts: they rate cases through the rating link.");
        if (jurisdictions is { Count: 0 })
            body.Fail("jurisdictions", "At least one jurisdiction code.");
        return new(username, displayName, role ?? default, jurisdictions ?? [], workerId, password);
    }
}

public sealed record PasswordRequest(string Password) : IRequestContract<PasswordRequest>
{
    public static int MaxBytes => 4096;

    public static PasswordRequest Read(JsonFields body) => new(AccountFields.NewPassword(body));
}

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
public sealed record AuditListQuery(string? Actor, string? Action, string? Target, string? From, string? To, string? Before, string? Limit);

/// <summary>Fields that accounts and integrations share.</summary>
internal static class AccountFields
{
    public const int MinPasswordLength = 10;

    public static string NewPassword(JsonFields body)
    {
        var password = body.Text("password", Authenticator.MaxPasswordLength, required: true);
        if (password is { Length: > 0 and < MinPasswordLength })
            body.Fail("password", $"At least {MinPasswordLength} characters.");
        return password ?? "";
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

/// <summary>Administrators manage accounts and intake integrations, and read the audit log.</summary>
public sealed class AccountService(AccountStore store, IntegrationKeys keys, JurisdictionDirectory directory, PoliceBindingDirectory police,
    AuditLog audit)
{
    public const int MinPasswordLength = AccountFields.MinPasswordLength;

    public async Task<IReadOnlyList<AccountView>> Accounts() =>
        (await store.List()).Select(a => new AccountView(a.Username, a.DisplayName, a.Role, a.Jurisdictions, a.WorkerId, a.LockedUntil)).ToList();

    public Task<IReadOnlyList<Integration>> Integrations() => store.ListIntegrations();

    public async Task<Outcome<AccountView>> Create(Actor actor, NewAccountRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < request.Jurisdictions.Count; i++)
        {
            if (directory.Tree?.Find(request.Jurisdictions[i]) is null)
                errors[$"jurisdictions[{i}]"] = [$"No jurisdiction {request.Jurisdictions[i]}."];
        }
        if (request.WorkerId is { } workerId && directory.Worker(workerId) is null)
            errors["workerId"] = [$"No worker {workerId}."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);

        var account = new NewAccount(request.Username, request.DisplayName, request.Role, request.Jurisdictions, request.WorkerId);
        if (!await store.Create(account, Authenticator.Hash(request.Password)))
            return Refusal.Conflict("username", $"The username {request.Username} is taken.");
        police.Invalidate();
        await audit.Append(actor.Caller, AuditActions.CreateAccount, Caller.UserId(account.Username),
            detail: $"{account.Role} · {string.Join(",", account.Jurisdictions)}", clientAddress: actor.ClientAddress);
        return new AccountView(account.Username, account.DisplayName, account.Role, account.Jurisdictions, account.WorkerId, null);
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

    /// <summary>A new password, which also lifts a lock (a forgotten password, a locked-out user).</summary>
    public async Task<Outcome<string>> SetPassword(Actor actor, string username, PasswordRequest request)
    {
        var name = AccountNames.Normalize(username);
        if (!AccountNames.IsValid(name) || !await store.SetPassword(name, Authenticator.Hash(request.Password)))
            return Refusal.NotFound($"No account {username}.");
        await audit.Append(actor.Caller, AuditActions.SetPassword, Caller.UserId(name), clientAddress: actor.ClientAddress);
        return name;
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
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        return Outcome.Of(await audit.Query(new AuditQuery(query.Actor, query.Action, query.Target, from, to, before, limit)));
    }
}
