using CommandCenter.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Access;

/// <summary>Signing in for API, mobile and SignalR clients (bearer tokens), and signing out of the pages.</summary>
public static class AuthApi
{
    public const string SignInLimit = "sign-in";

    public sealed record TokenRequest(string Username, string Password) : IRequestContract<TokenRequest>
    {
        public static int MaxBytes => 4096;

        public static TokenRequest Read(JsonFields body) =>
            new(body.Text("username", 64, required: true) ?? "", body.Text("password", Authenticator.MaxPasswordLength, required: true) ?? "");
    }

    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/auth", "Auth").MapPost("/token", IssueToken)
            .WithName("IssueToken")
            .WithSummary("Exchange { username, password } for a bearer token; SignalR clients send it as access_token on the query string.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .ValidateInput()
            .RequireRateLimiting(SignInLimit);
        var own = app.MapApiGroup("/api/auth", "Auth");
        own.MapGet("/sessions", async Task<Ok<IReadOnlyList<SignInView>>> (HttpContext http, AccountService service) =>
                TypedResults.Ok(await service.OwnSessions(http.Actor())))
            .WithName("ListOwnSessions")
            .WithSummary("Your own sessions that are signed in (browsers and tokens), newest first; current marks the one of this request.")
            .RequireAccess(AccessAction.ManageOwnAccount, AccessTarget.Anywhere);
        own.MapDelete("/sessions/{id:guid}", (Guid id, HttpContext http, AccountService service) =>
                service.EndOwnSession(http.Actor(), id).Answer(_ => TypedResults.NoContent()))
            .WithName("EndOwnSession")
            .WithSummary("End one of your own sessions (a lost phone, a browser left signed in); it is refused from then on.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAccess(AccessAction.ManageOwnAccount, AccessTarget.Anywhere);
        own.MapPost("/password", (Body<OwnPasswordRequest> body, HttpContext http, AccountService service) =>
                service.ChangeOwnPassword(http.Actor(), body.Value).Answer(_ => TypedResults.NoContent()))
            .WithName("ChangeOwnPassword")
            .WithSummary("Change your own password { currentPassword, password }: your other sessions end, this one goes on.")
            .RequireAccess(AccessAction.ManageOwnAccount, AccessTarget.Anywhere)
            .RequireRateLimiting(SignInLimit);
        app.MapPost("/signout", SignOut)
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(Body<TokenRequest> body, HttpContext http,
        Authenticator authenticator, TimeProvider clock, IOptionsMonitor<BearerTokenOptions> bearer)
    {
        var request = body.Value;
        if (await authenticator.SignIn(request.Username, request.Password, AuditActions.IssueToken, http.ClientAddress(), SessionKind.Token,
                http.Request.Headers.UserAgent.ToString()) is not { } signedIn)
            return SignInFailed();
        var options = bearer.Get(BearerTokenDefaults.AuthenticationScheme);
        var now = clock.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(signedIn.Caller.ToPrincipal(BearerTokenDefaults.AuthenticationScheme, signedIn.Session), properties,
            BearerTokenDefaults.AuthenticationScheme);
        return TypedResults.Ok(new TokenResponse(options.BearerTokenProtector.Protect(ticket), properties.ExpiresUtc.Value));
    }

    /// <summary>The same answer for an unknown user, a wrong password and a locked account.</summary>
    public static ProblemHttpResult SignInFailed() => TypedResults.Problem(
        "The username or password is wrong, or the account is locked for a while after repeated failures.",
        statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.");

    /// <summary>A form post from the pages (antiforgery-checked); back to the sign-in page.</summary>
    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery, Authenticator authenticator)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return Refusal.Invalid("__RequestVerificationToken", "The form expired; reload the page and sign out again.").ToHttp();
        if (http.Caller() is { } caller)
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            await authenticator.SignedOut(caller, http.User.SessionOf(), http.ClientAddress());
        }
        return TypedResults.Redirect("/signin");
    }
}
