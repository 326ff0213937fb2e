using CommandCenter.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Access;

/// <summary>Administrators manage accounts and intake integrations; the audit log is read here too.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapApiGroup("/api/accounts", "Access");
        accounts.MapGet("/", async Task<Ok<IReadOnlyList<AccountView>>> (AccountService service) => TypedResults.Ok(await service.Accounts()))
            .WithName("ListAccounts")
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapPost("/", (Body<NewAccountRequest> body, HttpContext http, AccountService service) =>
                service.Create(http.Actor(), body.Value).Answer(account => TypedResults.Created($"/api/accounts/{account.Username}", account)))
            .WithName("CreateAccount")
            .WithSummary("Create an account bound to one jurisdiction (or several grids for a worker or officer).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapPost("/{username}/password", (string username, Body<PasswordRequest> body, HttpContext http, AccountService service) =>
                service.SetPassword(http.Actor(), username, body.Value).Answer(_ => TypedResults.NoContent()))
            .WithName("SetPassword")
            .WithSummary("Give an account a new password { password } and lift its lock (a forgotten password, a locked-out user).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);

        var integrations = app.MapApiGroup("/api/integrations", "Access");
        integrations.MapGet("/", async Task<Ok<IReadOnlyList<Integration>>> (AccountService service) => TypedResults.Ok(await service.Integrations()))
            .WithName("ListIntegrations")
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        integrations.MapPost("/", (Body<IntegrationRequest> body, HttpContext http, AccountService service) =>
                service.SaveIntegration(http.Actor(), body.Value).Answer(TypedResults.Ok))
            .WithName("SaveIntegration")
            .WithSummary("Create an intake integration, or replace its key: the answer holds the API key, shown this once.")
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);

        app.MapApiGroup("/api/audit", "Access").MapGet("/", ([AsParameters] AuditListQuery query, AccountService service) =>
                service.Audit(query).Answer(TypedResults.Ok))
            .WithName("ReadAudit")
            .WithSummary("The audit log, newest first: ?actor=&action=&target=&from=&to= (ISO 8601), pages by ?before=ID, ?limit= up to 500.")
            .RequireAccess(AccessAction.ReadAudit, AccessTarget.County);
        return app;
    }
}
