namespace CommandCenter.Web.Api;

/// <summary>RFC 7807 answers with the field at fault in <c>errors</c>.</summary>
public static class Problems
{
    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult Unprocessable(string field, string message, string title) =>
        TypedResults.Json(
            new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Title = title,
                Status = StatusCodes.Status422UnprocessableEntity,
                Type = "https://tools.ietf.org/html/rfc4918#section-11.2",
            },
            statusCode: StatusCodes.Status422UnprocessableEntity,
            contentType: "application/problem+json");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.");
}
