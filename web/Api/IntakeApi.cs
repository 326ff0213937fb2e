using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// The intake path for integrations (12345 hotline, citizen mini-program, camera alarms, a terminal gateway):
/// an API key per integration in <c>X-Api-Key</c>, rate-limited per integration, each limited to its own sources.
/// </summary>
public static class IntakeApi
{
    public const string RateLimit = "integrations";

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/intake", "Intake");
        api.MapPost("/incidents", ReportIncident)
            .WithName("IntakeIncident")
            .WithSummary("Report an incident as an integration (X-Api-Key), as one of its sources; same body and Idempotency-Key rules as POST /api/incidents.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAccess(AccessAction.IntakeIncidents)
            .RequireRateLimiting(RateLimit);
        api.MapPost("/positions", (Body<PositionBatch> body, HttpContext http, WorkerService workers) =>
                workers.Intake(http.Actor(), Integration(http), body.Value).Answer(_ => TypedResults.NoContent()))
            .WithName("IntakePositions")
            .WithSummary("Positions from a terminal gateway integration allowed to send them: [{ workerId, lat, lng }].")
            .RequireAccess(AccessAction.IntakePositions)
            .RequireRateLimiting(RateLimit);
        return app;
    }

    private static Task<Results<Results<Created<IncidentCreated>, Ok<IncidentCreated>>, ValidationProblem, ProblemHttpResult>> ReportIncident(
        IdempotencyKey key, Body<ReportIncidentRequest> body, HttpContext http, IncidentService incidents) =>
        incidents.Intake(http.Actor(), Integration(http), key.Value, body.Value).Answer(IncidentsApi.Answer);

    /// <summary>The integration <see cref="ApiKeyHandler"/> signed in (the access rule has let only integrations through).</summary>
    private static Integration? Integration(HttpContext http) => http.Features.Get<Integration>();
}
