using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Api;

namespace CommandCenter.Web.Access;

/// <summary>Administrators manage accounts and intake integrations; the audit log is read here too.</summary>
public static class AccountsApi
{
    public const int MinPasswordLength = 10;

    public sealed record AccountView(string Username, string DisplayName, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId, DateTimeOffset? LockedUntil);

    public sealed record NewAccountRequest(string Username, string DisplayName, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId, string Password);

    public sealed record PasswordRequest(string Password);

    public sealed record IntegrationRequest(string Name, string Jurisdiction, IReadOnlyList<IncidentSource> Sources, bool Positions);

    public sealed record IntegrationKey(string Name, string ApiKey);

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Access");
        accounts.MapGet("/", async (AccountStore store) => TypedResults.Ok((await store.List())
                .Select(a => new AccountView(a.Username, a.DisplayName, a.Role, a.Jurisdictions, a.WorkerId, a.LockedUntil))))
            .WithName("ListAccounts")
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapPost("/", CreateAccount)
            .WithName("CreateAccount")
            .WithSummary("Create an account bound to one jurisdiction (or several grids for a worker or officer).")
            .Accepts<NewAccountRequest>("application/json")
            .Produces<AccountView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status409Conflict)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County)
            .DisableAntiforgery();

        accounts.MapPost("/{username}/password", SetPassword)
            .WithName("SetPassword")
            .WithSummary("Give an account a new password { password } and lift its lock (a forgotten password, a locked-out user).")
            .Accepts<PasswordRequest>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County)
            .DisableAntiforgery();

        var integrations = app.MapGroup("/api/integrations").WithTags("Access");
        integrations.MapGet("/", async (AccountStore store) => TypedResults.Ok(await store.ListIntegrations()))
            .WithName("ListIntegrations")
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        integrations.MapPost("/", SaveIntegration)
            .WithName("SaveIntegration")
            .WithSummary("Create an intake integration, or replace its key: the answer holds the API key, shown this once.")
            .Accepts<IntegrationRequest>("application/json")
            .Produces<IntegrationKey>()
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County)
            .DisableAntiforgery();

        app.MapGet("/api/audit", Audit)
            .WithTags("Access")
            .WithName("ReadAudit")
            .WithSummary("The audit log, newest first: ?actor=&action=&target=&from=&to= (ISO 8601), pages by ?before=ID, ?limit= up to 500.")
            .Produces<IReadOnlyList<AuditEntry>>()
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ReadAudit, AccessTarget.County);
        return app;
    }

    private static async Task<IResult> CreateAccount(HttpContext http, AccountStore store, JurisdictionDirectory directory, AuditLog audit, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonObject(http.Request, 16 * 1024, cancellationToken);
        if (body is null)
            return error!;
        var username = Name(body, "username");
        var displayName = body.Text("displayName", 64, required: true);
        var role = body.Enum<Role>("role");
        var jurisdictions = body.TextList("jurisdictions", 64, 64);
        var workerId = body.Text("workerId", 64, required: false);
        var password = NewPassword(body);
        if (role == Role.Integration)
            body.Fail("role", "Integrations are created with POST /api/integrations.");
        if (role == Role.Citizen)
            body.Fail("role", "Citizens have no accounts: they rate cases through the rating link.");
        for (var i = 0; i < (jurisdictions?.Count ?? 0); i++)
        {
            if (directory.Tree?.Find(jurisdictions![i]) is null)
                body.Fail($"jurisdictions[{i}]", $"No jurisdiction {jurisdictions![i]}.");
        }
        if (jurisdictions is { Count: 0 })
            body.Fail("jurisdictions", "At least one jurisdiction code.");
        if (!string.IsNullOrEmpty(workerId) && directory.Worker(workerId) is null)
            body.Fail("workerId", $"No worker {workerId}.");
        if (!body.IsValid)
            return Problems.Validation(body.Errors);

        var account = new NewAccount(username, displayName!, role!.Value, jurisdictions!, string.IsNullOrEmpty(workerId) ? null : workerId);
        if (!await store.Create(account, Authenticator.Hash(password!)))
            return Problems.Conflict("username", $"The username {username} is taken.");
        await audit.Append(http.Caller(), AuditActions.CreateAccount, Caller.UserId(username),
            detail: $"{account.Role} · {string.Join(",", account.Jurisdictions)}", clientAddress: http.ClientAddress());
        return TypedResults.Created($"/api/accounts/{username}",
            new AccountView(username, account.DisplayName, account.Role, account.Jurisdictions, account.WorkerId, null));
    }

    private static async Task<IResult> SaveIntegration(HttpContext http, IntegrationKeys keys, JurisdictionDirectory directory, AuditLog audit, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonObject(http.Request, 16 * 1024, cancellationToken);
        if (body is null)
            return error!;
        var name = Name(body, "name");
        var jurisdiction = body.Text("jurisdiction", 64, required: true);
        var sources = body.EnumList<IncidentSource>("sources");
        var positions = body.Boolean("positions");
        if (!string.IsNullOrEmpty(jurisdiction) && directory.Tree?.Find(jurisdiction) is null)
            body.Fail("jurisdiction", $"No jurisdiction {jurisdiction}.");
        if (!body.IsValid)
            return Problems.Validation(body.Errors);

        var integration = new Integration(name, jurisdiction!, sources!, positions!.Value);
        var key = await keys.Issue(integration);
        await audit.Append(http.Caller(), AuditActions.SaveIntegration, Caller.IntegrationId(name),
            detail: $"{jurisdiction} · sources {string.Join(",", integration.Sources)} · positions {integration.Positions}", clientAddress: http.ClientAddress());
        return TypedResults.Ok(new IntegrationKey(name, key));
    }

    private static async Task<IResult> SetPassword(string username, HttpContext http, AccountStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonObject(http.Request, 4096, cancellationToken);
        if (body is null)
            return error!;
        var password = NewPassword(body);
        if (!body.IsValid)
            return Problems.Validation(body.Errors);
        var name = AccountNames.Normalize(username);
        if (!AccountNames.IsValid(name) || !await store.SetPassword(name, Authenticator.Hash(password!)))
            return Problems.NotFound($"No account {username}.");
        await audit.Append(http.Caller(), AuditActions.SetPassword, Caller.UserId(name), clientAddress: http.ClientAddress());
        return TypedResults.NoContent();
    }

    private static string? NewPassword(RequestBody body)
    {
        var password = body.Text("password", Authenticator.MaxPasswordLength, required: true);
        if (password is { Length: > 0 and < MinPasswordLength })
            body.Fail("password", $"At least {MinPasswordLength} characters.");
        return password;
    }

    /// <summary>An account or integration name, normalized; a field error when it breaks <see cref="AccountNames"/>.</summary>
    private static string Name(RequestBody body, string field)
    {
        var name = AccountNames.Normalize(body.Text(field, AccountNames.MaxLength, required: true) ?? "");
        if (name.Length > 0 && !AccountNames.IsValid(name))
            body.Fail(field, "Lowercase letters, digits, '-', '_' and '.', starting with a letter or digit.");
        return name;
    }

    private static async Task<IResult> Audit(HttpContext http, AuditLog audit)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        DateTimeOffset? Time(string name)
        {
            if (string.IsNullOrEmpty(query[name]))
                return null;
            if (DateTimeOffset.TryParse(query[name], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
                return time.ToUniversalTime();
            errors[name] = ["An ISO 8601 time, such as 2026-11-23T08:00:00+08:00."];
            return null;
        }
        var from = Time("from");
        var to = Time("to");
        long? before = null;
        if (!string.IsNullOrEmpty(query["before"]))
        {
            if (long.TryParse(query["before"], out var id) && id > 0)
                before = id;
            else
                errors["before"] = ["An audit row id: a whole number above 0."];
        }
        var limit = 100;
        if (!string.IsNullOrEmpty(query["limit"]) && (!int.TryParse(query["limit"], out limit) || limit is < 1 or > 500))
            errors["limit"] = ["A whole number between 1 and 500."];
        if (errors.Count > 0)
            return Problems.Validation(errors);
        return TypedResults.Ok(await audit.Query(new AuditQuery(query["actor"], query["action"], query["target"], from, to, before, limit)));
    }
}
