using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Access;
using CommandCenter.Video;
using CommandCenter.Web.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Video;

/// <summary>
/// The only way a page reaches the media server: a WebSocket on /api/video/janus?ticket=… (subprotocol janus-protocol,
/// what janus.js speaks). The ticket (<see cref="VideoTickets"/>) must be the signed-in person's own and fresh; the
/// connection then gets a Janus token of its own, let into the ticket's room only, and every request it sends is
/// checked and rewritten by <see cref="JanusRequestRules"/> on its way to Janus. Janus itself listens on loopback.
/// </summary>
public static class JanusProxy
{
    public const string Path = "/api/video/janus";

    /// <summary>The largest request a page may send (an SDP offer with simulcast is a few kB).</summary>
    public const int MaxRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapJanusProxy(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Connect)
            .WithTags("Video")
            .WithName("ConnectMediaServer")
            .WithSummary("The media server (Janus, janus-protocol) as a WebSocket, with a ticket from a conference or roll-call join: ?ticket=.")
            .RequireAccess(AccessAction.JoinCommandSessions, AccessTarget.Anywhere)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> Connect(HttpContext http, string? ticket, VideoTickets tickets, JanusClient janus, IOptions<VideoOptions> options,
        TimeProvider clock, ILoggerFactory logs)
    {
        if (!options.Value.IsConfigured)
            return Refusal.Unavailable("There is no media server (CommandCenter:Video:Janus).").ToHttp();
        if (!http.WebSockets.IsWebSocketRequest)
            return Refusal.Invalid("Upgrade", "Open it as a WebSocket (subprotocol janus-protocol).").ToHttp();
        var caller = http.Actor().Caller;
        if (tickets.Read(ticket, caller.Id) is not { } admitted)
            return Refusal.Forbidden("ticket", "No ticket of yours, or it expired: join the conference again.").ToHttp();
        var log = logs.CreateLogger(typeof(JanusProxy));
        var grant = new VideoGrant(janus.ConnectionToken(clock.GetUtcNow() + options.Value.ConnectionLifetime), admitted.Room, admitted.Participant,
            admitted.Participant + "#" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)), admitted.Display, admitted.Publish);
        using var upstream = new ClientWebSocket();
        upstream.Options.AddSubProtocol(JanusClient.Protocol);
        try
        {
            await janus.Prepare(admitted.Room, admitted.Room, grant.Token, http.RequestAborted);
            using var connectLimit = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            connectLimit.CancelAfter(options.Value.RequestTimeout);
            await upstream.ConnectAsync(janus.Address, connectLimit.Token);
        }
        catch (Exception e) when (e is WebSocketException or JanusException or OperationCanceledException or IOException)
        {
            log.LogWarning(e, "The media server did not take {Participant} into {Room}", admitted.Participant, admitted.Room);
            return Refusal.Unavailable("The media server does not answer; try again in a moment.").ToHttp();
        }
        using var page = await http.WebSockets.AcceptWebSocketAsync(JanusClient.Protocol);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        lifetime.CancelAfter(options.Value.ConnectionLifetime);
        try
        {
            var first = await Task.WhenAny(FromPage(page, upstream, grant, log, lifetime.Token), ToPage(upstream, page, lifetime.Token));
            await first;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            log.LogDebug(e, "Media server connection of {Participant} in {Room} ended", admitted.Participant, admitted.Room);
        }
        finally
        {
            await lifetime.CancelAsync();
            await Close(upstream);
            await Close(page);
        }
        return Results.Empty;
    }

    /// <summary>The page's requests, each checked and rewritten, to Janus; a refused one is answered to the page as Janus would (an error of its transaction).</summary>
    private static async Task FromPage(WebSocket page, WebSocket upstream, VideoGrant grant, ILogger log, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await page.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxRequestBytes)
                {
                    await page.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Request too large.", cancellationToken);
                    return;
                }
            }
            while (!result.EndOfMessage);
            JsonObject? request;
            try
            {
                request = JsonNode.Parse(message.ToArray()) as JsonObject;
            }
            catch (JsonException)
            {
                request = null;
            }
            var (forward, refused) = request is null ? (null, "Not a JSON object.") : JanusRequestRules.Inspect(request, grant);
            if (forward is not null)
            {
                await upstream.SendAsync(Encoding.UTF8.GetBytes(forward.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
                continue;
            }
            log.LogInformation("Refused a media-server request of {Participant} in {Room}: {Reason}", grant.Participant, grant.Room, refused);
            var error = new JsonObject
            {
                ["janus"] = "error", ["transaction"] = request?["transaction"]?.DeepClone(), ["session_id"] = request?["session_id"]?.DeepClone(),
                ["error"] = new JsonObject { ["code"] = 403, ["reason"] = refused },
            };
            await page.SendAsync(Encoding.UTF8.GetBytes(error.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        }
    }

    /// <summary>Janus' answers and events to the page, as they are.</summary>
    private static async Task ToPage(WebSocket upstream, WebSocket page, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await upstream.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return;
            await page.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, cancellationToken);
        }
    }

    private static async Task Close(WebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, limit.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The other side is gone already.
        }
    }
}
