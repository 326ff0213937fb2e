using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Api;

/// <summary>The video roll call over HTTP (视频点名): start (in a session or on its own), what rings at a station, delivery, joining, ending, the report, its export, the list and a station's history.</summary>
public static class RollCallsApi
{
    public static IEndpointRouteBuilder MapRollCallsApi(this IEndpointRouteBuilder app)
    {
        const string start = "{ stations: [station codes], answerWithin?: seconds (10–600, 60), title? }; each station's walls and consoles ring; the same Idempotency-Key again answers the stored one.";
        app.MapApiGroup("/api/command-sessions/{id:guid}/roll-calls", "Roll calls")
            .MapPost("/", (Guid id, IdempotencyKey key, Body<RollCallRequest> body, HttpContext http, RollCallService rollCalls) =>
                rollCalls.Start(http.Actor(), key.Value, id, body.Value).Answer(TypedResults.Ok))
            .WithName("StartSessionRollCall")
            .WithSummary("A video roll call (视频点名) in a session one commands: " + start)
            .RequireAccess(AccessAction.StartRollCalls)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var calls = app.MapApiGroup("/api/roll-calls", "Roll calls");
        calls.MapPost("/", (IdempotencyKey key, Body<RollCallRequest> body, HttpContext http, RollCallService rollCalls) =>
                rollCalls.Start(http.Actor(), key.Value, null, body.Value).Answer(TypedResults.Ok))
            .WithName("StartRollCall")
            .WithSummary("A video roll call (视频点名) on its own, a routine duty check: " + start)
            .RequireAccess(AccessAction.StartRollCalls)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        calls.MapGet("/", (string? jurisdiction, string? from, string? to, HttpContext http, RollCallService rollCalls) =>
                rollCalls.List(http.Actor().Caller, jurisdiction, from, to).Answer(TypedResults.Ok))
            .WithName("ListRollCalls")
            .WithSummary("The roll calls of stations within ?jurisdiction=CODE started from ?from= to ?to= (YYYY-MM-DD, CST; the last 30 days), the latest first, at most 200.")
            .RequireAccess(AccessAction.ReadRollCalls, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapGet("/ringing", (string? station, HttpContext http, RollCallService rollCalls) =>
                rollCalls.Ringing(http.Actor().Caller, station).Answer(TypedResults.Ok))
            .WithName("RingingRollCalls")
            .WithSummary("The roll calls ringing now at one's own stations (or ?station=CODE of one's own): answer by, late until.")
            .RequireAccess(AccessAction.AnswerRollCalls);
        calls.MapGet("/history", (string? station, string? from, string? to, HttpContext http, RollCallService rollCalls) =>
                rollCalls.History(http.Actor().Caller, station, from, to).Answer(TypedResults.Ok))
            .WithName("StationRollCallHistory")
            .WithSummary("A station's roll calls from ?from= to ?to= (YYYY-MM-DD, CST; the last 30 days): counts per outcome, answer and on-time rates, median and p90 response, and each of them.")
            .RequireAccess(AccessAction.ReadRollCalls, AccessTarget.Parameter, "station")
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapGet("/{id:guid}", (Guid id, HttpContext http, RollCallService rollCalls) => rollCalls.Get(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("GetRollCall")
            .WithSummary("The roll call's report: each station's delivery, first frame, response (seconds) and outcome (pending, onTime, late, notAnswered, offline).")
            .RequireAccess(AccessAction.ReadRollCalls)
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapGet("/{id:guid}/report.csv", (Guid id, HttpContext http, RollCallService rollCalls) =>
                rollCalls.Export(http.Actor().Caller, id).Answer(file => TypedResults.File(file.Bytes, file.ContentType, file.FileName)))
            .WithName("ExportRollCall")
            .WithSummary("The roll call's report as CSV (UTF-8): a row per station, Chinese headers, names, China Standard Time.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireAccess(AccessAction.ReadRollCalls)
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapPost("/{id:guid}/delivered", (Guid id, Body<RollCallStationRequest> body, HttpContext http, RollCallService rollCalls) =>
                rollCalls.Delivered(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("RollCallDelivered")
            .WithSummary("The call rings at one's station ({ station? }): the first time counts, the answer is timed from it.")
            .RequireAccess(AccessAction.AnswerRollCalls)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        calls.MapPost("/{id:guid}/join", (Guid id, Body<RollCallStationRequest> body, HttpContext http, RollCallService rollCalls) =>
                rollCalls.Join(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("JoinRollCall")
            .WithSummary("A ticket to the roll call's room ({ station? }): a called station publishes its camera (its answer is its first frame there); those who may start roll calls for the area watch.")
            .RequireAccess(AccessAction.ReadRollCalls)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        calls.MapPost("/{id:guid}/end", (Guid id, HttpContext http, RollCallService rollCalls) => rollCalls.End(http.Actor(), id).Answer(TypedResults.Ok))
            .WithName("EndRollCall")
            .WithSummary("End the roll call now: stations not answered are not answered (the call reached them) or offline; ended already: as it is.")
            .RequireAccess(AccessAction.StartRollCalls)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
