using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Video;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using CommandCenter.Web.Video;

namespace CommandCenter.Web.Api;

/// <summary>
/// Video over HTTP: a command session's conference (join for a ticket to the media server, who is in it, the floor,
/// muting, failures), and the media server's own events (Janus' event handler posts them here).
/// </summary>
public static class VideoApi
{
    public const string EventsPath = "/api/video/events";
    public const string EventsUser = "janus";

    /// <summary>The largest batch of events Janus posts at once.</summary>
    public const int MaxEventBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapVideoApi(this IEndpointRouteBuilder app)
    {
        var conference = app.MapApiGroup("/api/command-sessions/{id:guid}/conference", "Video");
        conference.MapPost("/join", (Guid id, Body<JoinConferenceRequest> body, HttpContext http, ConferenceService video) =>
                video.Join(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("JoinConference")
            .WithSummary("A ticket to the session's video conference: { station? } (needed only when one's account covers several participants); answers the media server address with the ticket (good for a minute), who one is there and whether one may publish.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        conference.MapGet("/", (Guid id, HttpContext http, ConferenceService video) => video.State(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("GetConference")
            .WithSummary("Who is in the session's conference now (their feeds) and who has the floor.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);
        conference.MapPost("/floor", (Guid id, Body<FloorRequest> body, HttpContext http, ConferenceService video) =>
                video.Floor(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("GiveConferenceFloor")
            .WithSummary("发言: give the floor to one of the session's stations ({ station }), or take it back ({ }); every page shows that station large.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        conference.MapPost("/mute", (Guid id, Body<MuteRequest> body, HttpContext http, ConferenceService video) =>
                video.Mute(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("MuteInConference")
            .WithSummary("Mute a station's microphone in the conference ({ station, muted? = true }), or lift it (muted: false); the media server enforces it.")
            .RequireAccess(AccessAction.CommandEmergencies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        conference.MapPost("/failures", (Guid id, Body<ConferenceFailureRequest> body, HttpContext http, ConferenceService video) =>
                video.Failed(http.Actor(), id, body.Value).Answer(TypedResults.Ok))
            .WithName("ReportConferenceFailure")
            .WithSummary("What kept one's page from taking part ({ reason }: no camera, publishing refused), for the session's log.")
            .RequireAccess(AccessAction.JoinCommandSessions)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost(EventsPath, Events)
            .WithTags("Video")
            .WithName("ReceiveMediaServerEvents")
            .WithSummary("Janus' event handler (sampleevh) posts its events here, with HTTP basic auth (janus and its events secret); not for people.")
            .AllowAnonymous()
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Events(HttpContext http, Lazy<JanusSecrets> secrets, VideoEventService events, ILoggerFactory logs)
    {
        if (!Authorized(http.Request.Headers.Authorization.ToString(), secrets.Value.EventsSecret))
            return Results.Problem("Only the media server posts here.", statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in.");
        var bytes = await RequestBody.ReadAtMost(http.Request, MaxEventBytes, http.RequestAborted);
        if (bytes is null)
            return Refusal.TooLarge("$", $"At most {MaxEventBytes} bytes of events at once.").ToHttp();
        JsonElement posted;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            posted = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Refusal.Invalid("$", $"Malformed JSON: {e.Message}").ToHttp();
        }
        await events.Handle(JanusEvents.Read(posted));
        return Results.NoContent();
    }

    /// <summary>Whether the header is HTTP basic auth of <see cref="EventsUser"/> with the secret (compared in constant time).</summary>
    public static bool Authorized(string header, string secret)
    {
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[prefix.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes($"{EventsUser}:{secret}"));
    }
}
