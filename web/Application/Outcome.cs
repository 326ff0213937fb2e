using CommandCenter.Access;
using CommandCenter.Incidents;

namespace CommandCenter.Web.Application;

/// <summary>Why a service did not do what was asked; the endpoints turn it into RFC 7807 problem+json.</summary>
public enum RefusalKind
{
    /// <summary>400: a field is wrong.</summary>
    Invalid,

    /// <summary>401: nobody signed in.</summary>
    Unauthenticated,

    /// <summary>403: the role may not do this, the area or a field's value is outside the caller's jurisdiction.</summary>
    Forbidden,

    /// <summary>404: unknown, or outside the caller's jurisdiction (ids must not reveal what exists elsewhere).</summary>
    NotFound,

    /// <summary>409: taken, or not allowed in the incident's current status.</summary>
    Conflict,

    /// <summary>410: no longer there for anyone (an expired rating link).</summary>
    Gone,

    /// <summary>413: the body is larger than allowed.</summary>
    TooLarge,

    /// <summary>415: content of a type not accepted here.</summary>
    UnsupportedMediaType,

    /// <summary>422: well-formed but not possible (an idempotency key reused, a point outside every grid).</summary>
    Unprocessable,

    /// <summary>502: a camera's stream failed.</summary>
    BadGateway,

    /// <summary>503: not ready (no county imported yet).</summary>
    Unavailable,

    /// <summary>504: a camera did not answer in time.</summary>
    GatewayTimeout,
}

/// <summary>
/// A refusal: its kind, a title and detail for people, the fields at fault (<see cref="Errors"/>, keyed by JSON path)
/// and any extra members of the problem (the 409 of a workflow action names the status and the actions allowed in it).
/// </summary>
public sealed record Refusal(
    RefusalKind Kind,
    string Title,
    string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static Refusal Invalid(string field, string message) => Invalid(One(field, message));

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "The request is not valid.", Errors: errors);

    public static Refusal NotFound(string detail) => new(RefusalKind.NotFound, "Not found.", detail);

    public static Refusal Unavailable(string detail) => new(RefusalKind.Unavailable, "Not ready.", detail);

    /// <summary>503 for a report while PostgreSQL does not answer (see <see cref="StoreCircuit"/>).</summary>
    public static readonly Refusal StoreUnavailable = new(RefusalKind.Unavailable, "Not stored.",
        "PostgreSQL does not answer right now, so the report may not be stored. Retry with the same Idempotency-Key: it is never stored twice.");

    /// <summary>403 naming the field whose value is not allowed for this caller.</summary>
    public static Refusal Forbidden(string field, string message) => Forbidden(One(field, message));

    public static Refusal Forbidden(IReadOnlyDictionary<string, string[]> errors) => new(RefusalKind.Forbidden, "Not allowed for you.", Errors: errors);

    public static Refusal Conflict(string field, string message) => new(RefusalKind.Conflict, "Conflict.", Errors: One(field, message));

    public static Refusal Unprocessable(string field, string message, string title) =>
        new(RefusalKind.Unprocessable, title, Errors: One(field, message));

    public static Refusal TooLarge(string field, string message) => new(RefusalKind.TooLarge, "Too large.", Errors: One(field, message));

    public static Refusal UnsupportedMediaType(string field, string message) =>
        new(RefusalKind.UnsupportedMediaType, "Unsupported media type.", Errors: One(field, message));

    /// <summary>409 for a workflow action the incident's status does not allow: names the status and the allowed actions.</summary>
    public static Refusal NotNow(IncidentStatus status, IReadOnlyList<IncidentAction> allowed, string message) =>
        new(RefusalKind.Conflict, "Not allowed in this status.", message, One("action", message),
            new Dictionary<string, object?> { ["incidentStatus"] = Json.Word(status), ["allowed"] = allowed.Select(a => Json.Word(a)).ToArray() });

    /// <summary>The refusal for a refused <see cref="AccessDecision"/>, or null when allowed.</summary>
    public static Refusal? For(AccessDecision decision, string? area = null) => decision switch
    {
        AccessDecision.Allowed => null,
        AccessDecision.Unauthenticated => new(RefusalKind.Unauthenticated, "Not signed in.",
            "Sign in: send a bearer token from POST /api/auth/token (or the sign-in cookie, or an integration's X-Api-Key)."),
        AccessDecision.NotFound => NotFound($"No jurisdiction {area}."),
        AccessDecision.RoleForbidden => new(RefusalKind.Forbidden, "Forbidden.", "Your role may not do this."),
        _ => new(RefusalKind.Forbidden, "Outside your jurisdiction.",
            area is null ? "This is outside your jurisdiction." : $"{area} is outside your jurisdiction."),
    };

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };
}

/// <summary>What a service answers: the value it produced, or why it refused.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    public T? Value { get; }

    public Refusal? Refusal { get; }

    /// <summary>The outcome of <paramref name="next"/> on the value, or this refusal.</summary>
    public async Task<Outcome<TNext>> Then<TNext>(Func<T, Task<Outcome<TNext>>> next) => Refusal is { } refusal ? refusal : await next(Value!);

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

/// <summary>Makes outcomes where the value's type is an interface (C# converts no interface implicitly).</summary>
public static class Outcome
{
    public static Outcome<T> Of<T>(T value) => value;
}
