using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommandCenter.Web.Api;

/// <summary>Services' refusals as RFC 7807 problem+json, with the fields at fault in <c>errors</c>.</summary>
public static class Problems
{
    /// <summary>The HTTP answer of an outcome: <paramref name="ok"/> of its value, or its refusal as a problem.</summary>
    public static Results<TOk, ValidationProblem, ProblemHttpResult> Answer<T, TOk>(this Outcome<T> outcome, Func<T, TOk> ok) where TOk : IResult =>
        outcome.Refusal is not { } refusal ? ok(outcome.Value!)
        : refusal.Kind == RefusalKind.Invalid ? refusal.ToValidationProblem()
        : refusal.ToProblem();

    /// <inheritdoc cref="Answer{T, TOk}(Outcome{T}, Func{T, TOk})"/>
    public static async Task<Results<TOk, ValidationProblem, ProblemHttpResult>> Answer<T, TOk>(this Task<Outcome<T>> outcome, Func<T, TOk> ok)
        where TOk : IResult => (await outcome).Answer(ok);

    /// <summary>A refusal as an answer: a 400 as a validation problem, every other as a problem of its status.</summary>
    public static IResult ToHttp(this Refusal refusal) =>
        refusal.Kind == RefusalKind.Invalid ? refusal.ToValidationProblem() : refusal.ToProblem();

    public static ValidationProblem ToValidationProblem(this Refusal refusal) =>
        TypedResults.ValidationProblem(refusal.Errors ?? new Dictionary<string, string[]>(), title: refusal.Title);

    private static ProblemHttpResult ToProblem(this Refusal refusal)
    {
        var problem = refusal.Errors is { } errors ? new HttpValidationProblemDetails(errors.ToDictionary()) : new ProblemDetails();
        problem.Title = refusal.Title;
        problem.Detail = refusal.Detail;
        problem.Status = StatusOf(refusal.Kind);
        foreach (var (name, value) in refusal.Extensions ?? new Dictionary<string, object?>())
            problem.Extensions[name] = value;
        return TypedResults.Problem(problem);
    }

    private static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.Gone => StatusCodes.Status410Gone,
        RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RefusalKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        RefusalKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.BadGateway => StatusCodes.Status502BadGateway,
        RefusalKind.GatewayTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status503ServiceUnavailable,
    };
}
