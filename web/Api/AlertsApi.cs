using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>Grid alerts over HTTP (警务+网格): one's own alerts and their 签收, the categories one is alerted of, an area's alerts.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/alerts", "Alerts");
        api.MapGet("/mine", (HttpContext http, AlertService alerts) => alerts.Mine(http.Actor().Caller).Answer(TypedResults.Ok))
            .WithName("MyAlerts")
            .WithSummary("The caller's alerts (new incidents in the grids they cover, cases dispatched to them), the unacknowledged first; reading marks them delivered.")
            .RequireAccess(AccessAction.ReceiveAlerts, AccessTarget.Anywhere);
        api.MapPost("/{id:guid}/acknowledge", (Guid id, HttpContext http, AlertService alerts) =>
                alerts.Acknowledge(http.Actor(), id).Answer(TypedResults.Ok))
            .WithName("AcknowledgeAlert")
            .WithSummary("签收: sign one of one's own alerts (signed already: answered as it is).")
            .RequireAccess(AccessAction.ReceiveAlerts, AccessTarget.Anywhere)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/categories", (HttpContext http, AlertService alerts) => alerts.Categories(http.Actor().Caller).Answer(TypedResults.Ok))
            .WithName("MyAlertCategories")
            .WithSummary("The categories the caller is alerted of: { categories } (null: every category).")
            .RequireAccess(AccessAction.ReceiveAlerts, AccessTarget.Anywhere);
        api.MapPut("/categories", (Body<AlertCategoriesRequest> body, HttpContext http, AlertService alerts) =>
                alerts.SetCategories(http.Actor(), body.Value).Answer(TypedResults.Ok))
            .WithName("SetMyAlertCategories")
            .WithSummary("Choose the categories one is alerted of: { categories: [...] }, or { categories: null } for every category.")
            .RequireAccess(AccessAction.ReceiveAlerts, AccessTarget.Anywhere);
        api.MapGet("/", (string? jurisdiction, string? state, int? limit, AlertService alerts) =>
                alerts.InArea(jurisdiction, state, limit).Answer(TypedResults.Ok))
            .WithName("ListAlerts")
            .WithSummary("The alerts of ?jurisdiction=CODE's grids, newest first; ?state= open | acknowledged | escalated; ?limit= 1–500 (50).")
            .RequireAccess(AccessAction.DispatchIncidents, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
