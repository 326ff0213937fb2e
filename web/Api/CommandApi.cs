using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Remote emergency command over HTTP (应急指挥): command sessions and their log, the shared view (领屏) with its markup and what a session shares, instructions with 签收 and 回执.</summary>
public static class CommandApi
{
    public static IEndpointRouteBuilder MapCommandApi(this IEndpointRouteBuilder app)
    {
        var maxPhotoBytes = app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;
        var sessions = app.MapApiGroup("/api/command-sessions", "Command");
        sessions.MapPost("/", (IdempotencyKey key, Body<OpenSessionRequest> body, HttpContext http, CommandService command) =>
                command.Open(http.Actor(), key.Value, body.Value).Answer(TypedResults.Ok))
            .WithName("OpenCommandSession")
            .WithSummary("Open a command session: { title, incident? | incidents?, area, level: particularlyMajor | major | large | general, participants: [station codes] }; the same Idempotency-Key again answers the stored one.")
            .RequireAccess(AccessAction.CommandEmergencies);
        sessions.MapGet("/", (bool? open, HttpContext http, CommandService command) => command.List(http.Actor().Caller, open).Answer(TypedResults.Ok))
            .WithName("ListCommandSessions")
            .WithSummary("The sessions of one's jurisdiction and those one's station takes part in, newest first; ?open=true only the running ones.")
            .RequireAccess(AccessAction.JoinCommandSessions, AccessTarget.Anywhere);
        sessions.MapGet("/{id:guid}", (Guid id, HttpContext http, CommandService command) => command.Board(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("GetCommandSession")
            .WithSummary("The session's board: the session, its instructions with each recipient's progress (of one's jurisdiction), and its running time.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapGet("/{id:guid}/log", (Guid id, long? after, int? max, HttpContext http, CommandService command) =>
                command.Log(http.Actor().Caller, id, after, max).Answer(TypedResults.Ok))
            .WithName("GetCommandSessionLog")
            .WithSummary("The session's log after ?after=N (0), oldest first, at most ?max= 1–500 (500), with the head: numbered without a gap.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapGet("/{id:guid}/log.csv", (Guid id, HttpContext http, CommandService command) =>
                command.ExportLog(http.Actor().Caller, id).Answer(csv => TypedResults.File(csv, Csv.MediaType, $"command-log-{id:N}.csv")))
            .WithName("ExportCommandSessionLog")
            .WithSummary("The session's whole log as CSV (UTF-8): 序号, 时间 (China Standard Time), 事项, 操作人, 站点, 内容.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/{id:guid}/close", (Guid id, Body<CloseSessionRequest> body, HttpContext http, ConferenceService video) =>
                video.CloseSession(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("CloseCommandSession")
            .WithSummary("Close the session with { summary } (closed already: answered as it is).")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/{id:guid}/instructions", (Guid id, IdempotencyKey key, Body<IssueInstructionRequest> body, HttpContext http, CommandService command) =>
                command.Issue(http.Actor(), key.Value, id, body.Value).Answer(TypedResults.Ok))
            .WithName("IssueSessionInstruction")
            .WithSummary("Issue an instruction in the session: { text, recipients? (the participants when empty), ackWithin? (minutes, 5), reportWithin? (30), broadcast? }.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id:guid}/lead", (Guid id, HttpContext http, CommandService command) => command.Lead(http.Actor(), id).Answer(TypedResults.Ok))
            .WithName("LeadCommandView")
            .WithSummary("领屏: lead the session's shared view from now on (taking it over from whoever led it); then share views over the hub (ShareView).")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapDelete("/{id:guid}/lead", (Guid id, HttpContext http, CommandService command) => command.Release(http.Actor(), id).Answer(TypedResults.Ok))
            .WithName("ReleaseCommandView")
            .WithSummary("Release the lead of the session's view: nobody leads it then.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id:guid}/markup", (Guid id, IdempotencyKey key, Body<MarkupRequest> body, HttpContext http, CommandService command) =>
                command.Mark(http.Actor(), key.Value, id, body.Value).Answer(TypedResults.Ok))
            .WithName("DrawCommandMarkup")
            .WithSummary("标绘 on the session's map: { kind: line | circle | polygon, points: [[lat, lng], …], radius? (metres, circles), label }; the same Idempotency-Key again answers the stored one.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapDelete("/{id:guid}/markup/{markup:guid}", (Guid id, Guid markup, HttpContext http, CommandService command) =>
                command.Unmark(http.Actor(), id, markup).Answer(TypedResults.Ok))
            .WithName("RemoveCommandMarkup")
            .WithSummary("Take markup off the session's map.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id:guid}/share", (Guid id, Body<ShareRequest> body, HttpContext http, CommandService command) =>
                command.Share(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("ShareWithCommandSession")
            .WithSummary("Share incidents and cameras of one's jurisdiction with every participant: { incidents?: [ids], cameras?: [ids] }; answers what the session shares.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapGet("/{id:guid}/shared", (Guid id, HttpContext http, CommandService command) => command.Shared(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("GetCommandSessionShared")
            .WithSummary("What the session shows every participant's wall: who leads, the view last shared, its area's outline, the incidents and cameras it shares, its markup.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapGet("/{id:guid}/cameras/{camera}/snapshot", (Guid id, string camera, HttpContext http, CameraService cameras, CommandService command) =>
                CamerasApi.Jpeg(cameras.SharedSnapshot(http.Actor(), command, id, camera), http))
            .WithName("CommandSessionCameraSnapshot")
            .WithSummary("The latest frame of a camera the session shares (as GET /api/cameras/{id}/snapshot), for its participants whatever their jurisdiction.")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        var instructions = app.MapApiGroup("/api/instructions", "Command");
        instructions.MapPost("/", (IdempotencyKey key, Body<IssueInstructionRequest> body, HttpContext http, CommandService command) =>
                command.Issue(http.Actor(), key.Value, null, body.Value).Answer(TypedResults.Ok))
            .WithName("IssueInstruction")
            .WithSummary("Issue an instruction outside a session: { text, recipients: [codes], ackWithin?, reportWithin?, broadcast? (each code for every station in it) }.")
            .RequireAccess(AccessAction.CommandEmergencies);
        instructions.MapGet("/", (Guid? session, string? recipient, string? state, int? limit, HttpContext http, CommandService command) =>
                command.Query(http.Actor().Caller, session, recipient, state, limit).Answer(TypedResults.Ok))
            .WithName("ListInstructions")
            .WithSummary("Instructions newest first: ?session=ID, ?recipient=CODE, ?state= issued | delivered | signed | reported | done, ?limit= 1–200 (50); recipients of one's jurisdiction.")
            .RequireAccess(AccessAction.JoinCommandSessions, AccessTarget.Anywhere)
            .ProducesProblem(StatusCodes.Status404NotFound);
        instructions.MapGet("/mine", (HttpContext http, CommandService command) => command.Mine(http.Actor().Caller).Answer(TypedResults.Ok))
            .WithName("MyInstructions")
            .WithSummary("The instructions to one's own station, newest first; reading them marks them delivered.")
            .RequireAccess(AccessAction.ReceiveInstructions, AccessTarget.Anywhere);
        instructions.MapPost("/{id:guid}/sign", (Guid id, Body<SignInstructionRequest> body, HttpContext http, CommandService command) =>
                command.Sign(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("SignInstruction")
            .WithSummary("签收 for one's own station: { recipient? } (signed already: answered as it is).")
            .RequireAccess(AccessAction.ReceiveInstructions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        instructions.MapPost("/{id:guid}/report", (Guid id, IdempotencyKey key, Body<ReportInstructionRequest> body, HttpContext http, CommandService command) =>
                command.Report(http.Actor(), key.Value, id, body.Value).Answer(TypedResults.Ok))
            .WithName("ReportInstruction")
            .WithSummary("回执 for one's own station: { text, lat?, lng?, done?, recipient? }; the same Idempotency-Key again answers the stored one.")
            .RequireAccess(AccessAction.ReceiveInstructions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        instructions.MapPost("/{id:guid}/remind", (Guid id, Body<RemindInstructionRequest> body, HttpContext http, CommandService command) =>
                command.Remind(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("RemindInstruction")
            .WithSummary("催办 a recipient station: { recipient }; its walls hear of the instruction again (to sign, else to report back).")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        instructions.MapGet("/{id:guid}/reports", (Guid id, HttpContext http, CommandService command) =>
                command.Reports(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("InstructionReports")
            .WithSummary("The instruction's report-backs (回执), oldest first, of the recipients one may see, each with its photos' addresses.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        instructions.MapPost("/{id:guid}/reports/{report:guid}/photos", AddPhoto)
            .WithName("AttachToInstructionReport")
            .WithSummary("A photo of one's own station's report-back (回执照片): the raw body is the image, JPEG, PNG or HEIC as its bytes show.")
            .RequireAccess(AccessAction.ReceiveInstructions)
            .AcceptsPhoto(maxPhotoBytes);
        app.MapApiGroup("/api/instruction-photos", "Command").MapGet("/{id:guid}", Photo)
            .WithName("GetInstructionPhoto")
            .WithSummary("A report-back's photo without location or device metadata (JPEG or PNG), for those who may see the station's part of the instruction; ?original=true: the upload as it came, for the roles that may.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ServesPhoto();
        instructions.MapPost("/{id:guid}/escalate", (Guid id, Body<RemindInstructionRequest> body, HttpContext http, CommandService command) =>
                command.Escalate(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("EscalateInstruction")
            .WithSummary("上级督办: send a recipient station that missed a deadline up to its superior level { recipient }; its walls list it until it reports back.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        instructions.MapGet("/escalated", (string? jurisdiction, HttpContext http, CommandService command) =>
                command.Escalated(http.Actor().Caller, jurisdiction).Answer(TypedResults.Ok))
            .WithName("EscalatedInstructions")
            .WithSummary("The instructions with a recipient escalated to ?jurisdiction= (上级督办) that has not reported back since: what its walls list.")
            .RequireAccess(AccessAction.JoinCommandSessions, AccessTarget.Parameter, "jurisdiction");
        return app;
    }

    private static async Task<Results<Created<InstructionPhotoInfo>, ValidationProblem, ProblemHttpResult>> AddPhoto(Guid id, Guid report,
        HttpContext http, CommandService command, IOptions<AttachmentOptions> options, CancellationToken cancellationToken) =>
        await command.AddPhoto(http.Actor(), id, report, await UploadedPhoto.Read(http.Request, options.Value.MaxBytes, cancellationToken))
            .Answer(photo => TypedResults.Created(photo.Url, photo));

    private static Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Photo(Guid id, string? original,
        HttpContext http, CommandService command) =>
        AttachmentsApi.ServePhoto(http, id, original, wanted => command.Photo(http.Actor(), id, wanted));
}
