using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Patrol duties over HTTP (一巡、三查): the phone's patrol, check-ins and visits; an area's windows and outcomes.</summary>
public static class PatrolsApi
{
    public static IEndpointRouteBuilder MapPatrolsApi(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;
        var api = app.MapApiGroup("/api/patrols", "Patrols");
        api.MapGet("/", (string? jurisdiction, string? date, string? outcome, PatrolService patrols) =>
                patrols.Day(jurisdiction, date, outcome).Answer(TypedResults.Ok))
            .WithName("ListPatrols")
            .WithSummary("Each grid of ?jurisdiction=CODE with its patrol windows on ?date=YYYY-MM-DD (CST, today by default) and their outcomes; ?outcome=missed lists only those.")
            .RequireAccess(AccessAction.ReadPatrols, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/mine", (HttpContext http, PatrolService patrols) => patrols.Mine(http.Actor().Caller).Answer(TypedResults.Ok))
            .WithName("GetMyPatrol")
            .WithSummary("The caller's grid today: their patrol, its windows with the progress so far, its checkpoints and today's check-ins.")
            .RequireAccess(AccessAction.PatrolOwnGrid, AccessTarget.Anywhere);
        api.MapPost("/start", (HttpContext http, PatrolService patrols) => patrols.Start(http.Actor()).Answer(TypedResults.Ok))
            .WithName("StartPatrol")
            .WithSummary("Start patrolling one's own grid: the duty status on patrol, a patrol session from now (already on patrol: nothing changes).")
            .RequireAccess(AccessAction.PatrolOwnGrid, AccessTarget.Anywhere);
        api.MapPost("/stop", (HttpContext http, PatrolService patrols) => patrols.Stop(http.Actor()).Answer(TypedResults.Ok))
            .WithName("StopPatrol")
            .WithSummary("Stop the patrol: the duty status on duty, the session ends now (not on patrol: nothing changes).")
            .RequireAccess(AccessAction.PatrolOwnGrid, AccessTarget.Anywhere)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/checkins", CheckIn)
            .WithName("CheckIn")
            .WithSummary("A check-in with GPS in one's own grid: { kind: checkpoint | rentalHousing | keyPerson | specialPlace, lat, lng, note? } (a visit needs its note).")
            .RequireAccess(AccessAction.PatrolOwnGrid)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/checkins", (string? jurisdiction, string? date, string? kind, PatrolService patrols) =>
                patrols.CheckIns(jurisdiction, date, kind).Answer(TypedResults.Ok))
            .WithName("ListCheckIns")
            .WithSummary("The check-ins and visits in the grids of ?jurisdiction=CODE on ?date=YYYY-MM-DD (CST, today by default), oldest first; ?kind= one kind.")
            .RequireAccess(AccessAction.ReadPatrols, AccessTarget.Parameter, "jurisdiction")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/checkins/{id:guid}/photos", AddPhoto)
            .WithName("AttachToCheckIn")
            .WithSummary("A photo of one's own check-in: the raw body is the image, JPEG, PNG or HEIC as its bytes show.")
            .RequireAccess(AccessAction.PatrolOwnGrid)
            .AcceptsPhoto(maxBytes);
        api.MapGet("/photos/{id:guid}", Photo)
            .WithName("GetCheckInPhoto")
            .WithSummary("A check-in's photo without location or device metadata (JPEG or PNG); ?original=true: the upload as it came, for the roles that may.")
            .RequireAccess(AccessAction.ReadPatrols)
            .ServesPhoto();
        return app;
    }

    private static Task<Results<Results<Created<CheckInInfo>, Ok<CheckInInfo>>, ValidationProblem, ProblemHttpResult>> CheckIn(
        IdempotencyKey key, Body<CheckInRequest> body, HttpContext http, PatrolService patrols) =>
        patrols.CheckIn(http.Actor(), key.Value, body.Value).Answer(checkedIn => checkedIn.IsNew
            ? (Results<Created<CheckInInfo>, Ok<CheckInInfo>>)TypedResults.Created($"/api/patrols/checkins/{checkedIn.CheckIn.Id}", checkedIn.CheckIn)
            : TypedResults.Ok(checkedIn.CheckIn));

    private static async Task<Results<Created<PatrolPhotoInfo>, ValidationProblem, ProblemHttpResult>> AddPhoto(Guid id, HttpContext http,
        PatrolService patrols, IOptions<AttachmentOptions> options, CancellationToken cancellationToken) =>
        await patrols.AddPhoto(http.Actor(), id, await UploadedPhoto.Read(http.Request, options.Value.MaxBytes, cancellationToken))
            .Answer(photo => TypedResults.Created(photo.Url, photo));

    private static Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Photo(Guid id, string? original,
        HttpContext http, PatrolService patrols) =>
        AttachmentsApi.ServePhoto(http, id, original, wanted => patrols.Photo(http.Actor(), id, wanted));
}
