using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>Report intake (事件上报) and reading incidents.</summary>
public static class IncidentsApi
{
    /// <summary>Overload protection: reports beyond these wait, then get 503 + Retry-After (safe to retry with the same key).</summary>
    public const string ReportLimit = "reports";
    public const int MaxConcurrentReports = 256;
    public const int MaxQueuedReports = 2048;

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/incidents", "Incidents");
        api.MapPost("/", Report)
            .WithName("ReportIncident")
            .WithSummary("Report an incident as a signed-in person, within your jurisdiction; durable before the answer. Requires an Idempotency-Key header.")
            .RequireAccess(AccessAction.ReportIncidents)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(ReportLimit);
        api.MapGet("/{id:guid}", (Guid id, HttpContext http, IncidentService incidents) =>
                incidents.Get(http.Actor(), id).Answer(TypedResults.Ok))
            .WithName("GetIncident")
            .WithSummary("The case page's incident: the reporter's contact as given to those who dispatch or handle cases where it lies (the read is audited as incident.readContact), masked (138****1234, 张**) for everyone else and in every list.")
            .RequireAccess(AccessAction.ReadIncidents)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/timeline", (Guid id, HttpContext http, IncidentService incidents) =>
                incidents.Timeline(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("IncidentTimeline")
            .WithSummary("The incident's history, oldest first: who did what, when, with the event's data.")
            .RequireAccess(AccessAction.ReadIncidents)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static Task<Results<Results<Created<IncidentCreated>, Ok<IncidentCreated>>, ValidationProblem, ProblemHttpResult>> Report(
        IdempotencyKey key, Body<ReportIncidentRequest> body, HttpContext http, IncidentService incidents) =>
        incidents.Report(http.Actor(), key.Value, body.Value).Answer(Answer);

    /// <summary>201 for a report stored now, 200 for the same report again.</summary>
    internal static Results<Created<IncidentCreated>, Ok<IncidentCreated>> Answer(Reported reported) =>
        reported.IsNew
            ? TypedResults.Created($"/api/incidents/{reported.Answer.Id}", reported.Answer)
            : TypedResults.Ok(reported.Answer);
}
