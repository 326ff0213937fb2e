using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommandCenter.Tests.Video;

/// <summary>A test's WebSocket speaking Janus' API (janus-protocol), straight to Janus or through our /api/video/janus proxy.</summary>
public sealed class JanusSocket : IAsyncDisposable
{
    public const string Protocol = "janus-protocol";

    private readonly ClientWebSocket _socket;

    private JanusSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>Opens the socket (the admin API's subprotocol is janus-admin-protocol); null and the HTTP status when the server refused the upgrade.</summary>
    public static async Task<(JanusSocket? Socket, HttpStatusCode Status)> Open(Uri url, string? bearer = null, string protocol = Protocol)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null)
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
            return (new JanusSocket(socket), socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
    }

    public long Session { get; private set; }

    public long Handle { get; private set; }

    /// <summary>Creates a Janus session with a VideoRoom handle on it.</summary>
    public async Task Attach()
    {
        Session = (await Ask(new JsonObject { ["janus"] = "create" }))["data"]!["id"]!.GetValue<long>();
        Handle = (await Ask(new JsonObject { ["janus"] = "attach", ["session_id"] = Session, ["plugin"] = "janus.plugin.videoroom" }))["data"]!["id"]!
            .GetValue<long>();
    }

    /// <summary>A VideoRoom request on the handle: the answer to its transaction (ack skipped; an async request's event follows with the same transaction).</summary>
    public Task<JsonObject> Message(JsonObject body) =>
        Ask(new JsonObject { ["janus"] = "message", ["session_id"] = Session, ["handle_id"] = Handle, ["body"] = body });

    /// <summary>Sends one request and answers the first reply to its transaction that is not an ack.</summary>
    public async Task<JsonObject> Ask(JsonObject request)
    {
        var transaction = Guid.NewGuid().ToString("N");
        request["transaction"] = transaction;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            var answer = JsonNode.Parse(text.ToArray())!.AsObject();
            if ((string?)answer["transaction"] == transaction && (string?)answer["janus"] != "ack")
                return answer;
        }
    }

    /// <summary>The error code of an answer (Janus' own, or the proxy's 403), or null when it is no error.</summary>
    public static int? ErrorCode(JsonObject answer) =>
        (string?)answer["janus"] == "error" ? answer["error"]!["code"]!.GetValue<int>()
        : answer["plugindata"]?["data"]?["error_code"]?.GetValue<int>();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (WebSocketException)
            {
                // Closed by the other side meanwhile.
            }
        }
        _socket.Dispose();
    }
}
