using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;

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
        var api = app.MapGroup("/api/intake").WithTags("Intake");
        api.MapPost("/incidents", ReportIncident)
            .WithName("IntakeIncident")
            .WithSummary("Report an incident as an integration (X-Api-Key), as one of its sources; same body and Idempotency-Key rules as POST /api/incidents.")
            .Accepts<IncidentsApi.ReportIncidentRequest>("application/json")
            .Produces<IncidentsApi.IncidentCreated>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAccess(AccessAction.IntakeIncidents)
            .RequireRateLimiting(RateLimit)
            .DisableAntiforgery();
        api.MapPost("/positions", ReportPositions)
            .WithName("IntakePositions")
            .WithSummary("Positions from a terminal gateway integration allowed to send them: [{ workerId, lat, lng }].")
            .Accepts<WorkersApi.PositionReport[]>("application/json")
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.IntakePositions)
            .RequireRateLimiting(RateLimit)
            .DisableAntiforgery();
        return app;
    }

    private static Task<IResult> ReportIncident(HttpContext http, JurisdictionDirectory directory,
        IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken) =>
        IncidentsApi.Report(http, http.Caller()!, AccessAction.IntakeIncidents, Integration(http)?.Sources ?? [],
            directory, grains, audit, cancellationToken);

    private static async Task<IResult> ReportPositions(HttpContext http, JurisdictionDirectory directory,
        IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Integration(http) is not { Positions: true })
            return Problems.For(AccessDecision.RoleForbidden)!;
        return await WorkersApi.ReportPositions(http, http.Caller()!, AccessAction.IntakePositions, directory, grains, cancellationToken);
    }

    /// <summary>The integration <see cref="ApiKeyHandler"/> signed in (the access rule has let only integrations through).</summary>
    private static Integration? Integration(HttpContext http) => http.Features.Get<Integration>();
}
