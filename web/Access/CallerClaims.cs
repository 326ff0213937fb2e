using System.Security.Claims;
using CommandCenter.Access;

namespace CommandCenter.Web.Access;

/// <summary>How a <see cref="Caller"/> travels in cookies, bearer tokens and API-key sign-ins: as claims.</summary>
public static class CallerClaims
{
    public const string Jurisdiction = "cc:jurisdiction";
    public const string Worker = "cc:worker";

    /// <summary>The session a person's cookie or token belongs to (<see cref="SessionGuard"/>); integrations have none.</summary>
    public const string Session = "cc:session";

    public static ClaimsPrincipal ToPrincipal(this Caller caller, string authenticationType, Guid? session = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.Id),
            new(ClaimTypes.Name, caller.Name),
            new(ClaimTypes.Role, caller.Role.ToString()),
        };
        claims.AddRange(caller.Jurisdictions.Select(code => new Claim(Jurisdiction, code)));
        if (caller.WorkerId is { } worker)
            claims.Add(new Claim(Worker, worker));
        if (session is { } id)
            claims.Add(new Claim(Session, id.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    /// <summary>The caller behind an authenticated principal, or null (anonymous, or claims that do not make a caller).</summary>
    public static Caller? ToCaller(this ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id
            || !Enum.TryParse<Role>(principal.FindFirstValue(ClaimTypes.Role), out var role))
            return null;
        return new Caller(id, principal.FindFirstValue(ClaimTypes.Name) ?? id, role,
            principal.FindAll(Jurisdiction).Select(c => c.Value).ToList(), principal.FindFirstValue(Worker));
    }

    public static Caller? Caller(this HttpContext context) => context.User.ToCaller();

    /// <summary>The session a principal's cookie or token names, or null (an integration, or a sign-in from before sessions).</summary>
    public static Guid? SessionOf(this ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(Session), out var id) ? id : null;

    /// <summary>The signed-in caller as a service's <see cref="Application.Actor"/>; endpoints behind the access filter always have one.</summary>
    public static Application.Actor Actor(this HttpContext context) =>
        new(context.Caller() ?? throw new InvalidOperationException("No caller: the endpoint lacks its access rule."), context.ClientAddress(),
            context.User.SessionOf());
}

/// <summary>The client's address as audit rows record it.</summary>
public static class ClientAddresses
{
    public static string? ClientAddress(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
