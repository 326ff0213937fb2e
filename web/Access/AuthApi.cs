using CommandCenter.Access;
using CommandCenter.Web.Api;
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

    public sealed record TokenRequest(string Username, string Password);

    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueToken)
            .WithTags("Auth")
            .WithName("IssueToken")
            .WithSummary("Exchange { username, password } for a bearer token; SignalR clients send it as access_token on the query string.")
            .Accepts<TokenRequest>("application/json")
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .RequireRateLimiting(SignInLimit)
            .DisableAntiforgery();
        app.MapPost("/signout", SignOut)
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    private static async Task<IResult> IssueToken(HttpContext http, Authenticator authenticator, TimeProvider clock,
        IOptionsMonitor<BearerTokenOptions> bearer, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonObject(http.Request, 4096, cancellationToken);
        if (body is null)
            return error!;
        var username = body.Text("username", 64, required: true);
        var password = body.Text("password", Authenticator.MaxPasswordLength, required: true);
        if (!body.IsValid)
            return Problems.Validation(body.Errors);

        if (await authenticator.SignIn(username!, password!, AuditActions.IssueToken, http.ClientAddress()) is not { } caller)
            return SignInFailed();
        var options = bearer.Get(BearerTokenDefaults.AuthenticationScheme);
        var now = clock.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(caller.ToPrincipal(BearerTokenDefaults.AuthenticationScheme), properties, BearerTokenDefaults.AuthenticationScheme);
        return TypedResults.Ok(new TokenResponse(options.BearerTokenProtector.Protect(ticket), properties.ExpiresUtc.Value));
    }

    /// <summary>The same answer for an unknown user, a wrong password and a locked account.</summary>
    public static IResult SignInFailed() => TypedResults.Problem(
        "The username or password is wrong, or the account is locked for a while after repeated failures.",
        statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.");

    /// <summary>A form post from the pages (antiforgery-checked); back to the sign-in page.</summary>
    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery, AuditLog audit)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return Problems.Validation("__RequestVerificationToken", "The form expired; reload the page and sign out again.");
        if (http.Caller() is { } caller)
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            await audit.Append(caller, AuditActions.SignOut, caller.Id, clientAddress: http.ClientAddress());
        }
        return TypedResults.Redirect("/signin");
    }
}
