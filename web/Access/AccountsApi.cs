using CommandCenter.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Access;

/// <summary>
/// Administrators manage accounts (their lifecycle and sessions) and intake integrations; the audit log is read here
/// too. Every person's own sessions and password are under <c>/api/auth</c> (<see cref="AuthApi"/>).
/// </summary>
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
        accounts.MapPatch("/{username}", (string username, Body<AccountPatch> body, HttpContext http, AccountService service) =>
                service.Update(http.Actor(), username, body.Value).Answer(TypedResults.Ok))
            .WithName("UpdateAccount")
            .WithSummary("Change an account's { displayName, role, jurisdictions, workerId } (only those sent); a change of role, jurisdictions or worker ends its sessions.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapPost("/{username}/disable", (string username, HttpContext http, AccountService service) =>
                service.Disable(http.Actor(), username).Answer(TypedResults.Ok))
            .WithName("DisableAccount")
            .WithSummary("Disable an account: it cannot sign in, and its sessions end (hub connections within the sweep interval).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapPost("/{username}/enable", (string username, HttpContext http, AccountService service) =>
                service.Enable(http.Actor(), username).Answer(TypedResults.Ok))
            .WithName("EnableAccount")
            .WithSummary("Enable a disabled account again (it signs in anew).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapDelete("/{username}", (string username, HttpContext http, AccountService service) =>
                service.Delete(http.Actor(), username).Answer(_ => TypedResults.NoContent()))
            .WithName("DeleteAccount")
            .WithSummary("Delete an account and its sessions; its audit rows stay.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapGet("/{username}/sessions", (string username, AccountService service) => service.AccountSessions(username).Answer(TypedResults.Ok))
            .WithName("ListAccountSessions")
            .WithSummary("The account's sessions that are signed in (browsers and tokens), newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapDelete("/{username}/sessions", (string username, HttpContext http, AccountService service) =>
                service.EndSessions(http.Actor(), username, null).Answer(_ => TypedResults.NoContent()))
            .WithName("EndAccountSessions")
            .WithSummary("End every session of the account (it signs in again).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageAccess, AccessTarget.County);
        accounts.MapDelete("/{username}/sessions/{id:guid}", (string username, Guid id, HttpContext http, AccountService service) =>
                service.EndSessions(http.Actor(), username, id).Answer(_ => TypedResults.NoContent()))
            .WithName("EndAccountSession")
            .WithSummary("End one session of the account.")
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
            .WithSummary("The audit log, newest first: ?actor=&action=&target=&from=&to= (ISO 8601), ?reads=true for the reads of personal data only (track.read, camera.snapshot, incident.readContact), pages by ?before=ID, ?limit= up to 500.")
            .RequireAccess(AccessAction.ReadAudit, AccessTarget.County);
        return app;
    }
}
