using CommandCenter.Access;

namespace CommandCenter.Web.Api;

/// <summary>RFC 7807 answers with the field at fault in <c>errors</c>.</summary>
public static class Problems
{
    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult Unprocessable(string field, string message, string title) =>
        Field(StatusCodes.Status422UnprocessableEntity, title, "https://tools.ietf.org/html/rfc4918#section-11.2",
            new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>403 naming the field whose value is not allowed for this caller.</summary>
    public static IResult Forbidden(string field, string message) =>
        Forbidden(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Forbidden(IDictionary<string, string[]> errors) =>
        Field(StatusCodes.Status403Forbidden, "Not allowed for you.", "https://tools.ietf.org/html/rfc9110#section-15.5.4", errors);

    public static IResult Conflict(string field, string message) =>
        Field(StatusCodes.Status409Conflict, "Conflict.", "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>409 for a workflow action the incident's status does not allow: names the status (incidentStatus) and the allowed actions.</summary>
    public static IResult NotNow(Incidents.IncidentStatus status, IReadOnlyList<Incidents.IncidentAction> allowed, string message) =>
        TypedResults.Json(
            new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["action"] = [message] })
            {
                Title = "Not allowed in this status.",
                Status = StatusCodes.Status409Conflict,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                Detail = message,
                Extensions = { ["incidentStatus"] = Json.Word(status), ["allowed"] = allowed.Select(a => Json.Word(a)).ToArray() },
            },
            statusCode: StatusCodes.Status409Conflict,
            contentType: "application/problem+json");
    /// <summary>413 naming the field (the body) that is larger than allowed.</summary>
    public static IResult TooLarge(string field, string message) =>
        Field(StatusCodes.Status413PayloadTooLarge, "Too large.", "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>415 naming the field whose content is of a type not accepted here.</summary>
    public static IResult UnsupportedMediaType(string field, string message) =>
        Field(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The answer for a refused <see cref="AccessDecision"/>, or null when allowed.</summary>
    public static IResult? For(AccessDecision decision, string? area = null) => decision switch
    {
        AccessDecision.Allowed => null,
        AccessDecision.Unauthenticated => TypedResults.Problem(
            "Sign in: send a bearer token from POST /api/auth/token (or the sign-in cookie, or an integration's X-Api-Key).",
            statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in."),
        AccessDecision.NotFound => NotFound($"No jurisdiction {area}."),
        AccessDecision.RoleForbidden => TypedResults.Problem(
            "Your role may not do this.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden."),
        _ => TypedResults.Problem(area is null ? "This is outside your jurisdiction." : $"{area} is outside your jurisdiction.",
            statusCode: StatusCodes.Status403Forbidden, title: "Outside your jurisdiction."),
    };

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.");

    private static IResult Field(int status, string title, string type, IDictionary<string, string[]> errors) =>
        TypedResults.Json(
            new HttpValidationProblemDetails(errors) { Title = title, Status = status, Type = type },
            statusCode: status,
            contentType: "application/problem+json");
}
