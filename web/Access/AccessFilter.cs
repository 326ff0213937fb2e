using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Access;

/// <summary>Where an endpoint's target area comes from, for <see cref="AccessPolicy.Decide"/>.</summary>
public enum AccessTarget
{
    /// <summary>County-wide actions (the audit log, accounts, importing the tree).</summary>
    County,

    /// <summary>A jurisdiction code in the route or query parameter named by the rule.</summary>
    Parameter,

    /// <summary>Not tied to a place (the working-day calendar): the role alone decides.</summary>
    Anywhere,

    /// <summary>The target depends on stored data (an incident's grid, a worker's grid): the endpoint asks the policy itself.</summary>
    Data,
}

/// <summary>Endpoint metadata: the action an endpoint performs and where its target comes from. Every API endpoint has one.</summary>
public sealed record AccessRule(AccessAction Action, AccessTarget Target, string? Parameter = null);

/// <summary>
/// Enforces an endpoint's <see cref="AccessRule"/> before the handler runs: 401 without a caller, 403 when the role
/// may not do this, 403 when the area is outside the caller's jurisdiction (404 for an unknown area, told only to
/// callers who see the whole county).
/// </summary>
public static class AccessFilter
{
    public static RouteHandlerBuilder RequireAccess(this RouteHandlerBuilder endpoint, AccessAction action,
        AccessTarget target = AccessTarget.Data, string? parameter = null)
    {
        if (target == AccessTarget.Parameter && parameter is null)
            throw new ArgumentException("AccessTarget.Parameter needs the parameter's name.", nameof(parameter));
        var rule = new AccessRule(action, target, parameter);
        return endpoint
            .WithMetadata(rule)
            .AddEndpointFilter(async (context, next) => Refuse(context.HttpContext, rule) ?? Refused(context) ?? await next(context))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>For endpoints open to anyone (signing in, the citizen's rating): their bound inputs are answered the same way.</summary>
    public static RouteHandlerBuilder ValidateInput(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) => Refused(context) ?? await next(context));

    /// <summary>The first refused input (the idempotency key, the body) in parameter order, answered once access is decided.</summary>
    private static IResult? Refused(EndpointFilterInvocationContext context) =>
        context.Arguments.OfType<IBoundInput>().Select(input => input.Refusal).FirstOrDefault(r => r is not null)?.ToHttp();

    /// <summary>The answer refusing the request under <paramref name="rule"/>, or null when the caller may go on.</summary>
    public static IResult? Refuse(HttpContext http, AccessRule rule)
    {
        var caller = http.Caller();
        var tree = http.RequestServices.GetRequiredService<JurisdictionDirectory>().Tree;
        string? code = null;
        if (rule.Target == AccessTarget.Parameter)
        {
            code = http.Request.RouteValues.TryGetValue(rule.Parameter!, out var value) ? value as string : http.Request.Query[rule.Parameter!].ToString();
            if (string.IsNullOrEmpty(code))
                code = null; // the handler reports the missing parameter; the role is still checked below
        }
        var decision = rule.Target == AccessTarget.County || code is not null
            ? AccessPolicy.Decide(caller, rule.Action, code, tree)
            : AccessPolicy.DecideRole(caller, rule.Action); // Anywhere; Data and Parameter endpoints then decide on the place themselves
        if (decision == AccessDecision.Unauthenticated)
            http.Response.Headers.WWWAuthenticate = "Bearer";
        return Refusal.For(decision, code)?.ToHttp();
    }
}
