using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Video;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Video;

/// <summary>Janus refused a request: its error code and reason (VideoRoom's own codes, or Janus' core codes).</summary>
public sealed class JanusException(int code, string reason) : Exception($"Janus error {code}: {reason}")
{
    public int Code { get; } = code;
}

/// <summary>
/// Our server's own requests to Janus' VideoRoom: it creates rooms (with the admin key only we hold), lets a
/// connection's token into one room, mutes a publisher and destroys rooms. Each call is one short conversation over
/// Janus' WebSocket API (a Janus session with a VideoRoom handle, closed again), signed with a token of a minute.
/// A room's secret (what moderating and destroying it takes) is derived from the admin key, so every node knows it.
/// </summary>
public sealed class JanusClient(IOptions<VideoOptions> options, Lazy<JanusSecrets> secrets, TimeProvider clock)
{
    public const string Protocol = "janus-protocol";

    /// <summary>VideoRoom: no such room; a room of that name exists already.</summary>
    public const int NoSuchRoom = 426;
    public const int RoomExists = 427;

    /// <summary>
    /// Makes the room unless it exists (private, with our secret, a token list that admits only the tokens let in, VP8
    /// with simulcast, Opus) and lets <paramref name="token"/> in, if given.
    /// </summary>
    public async Task Prepare(string room, string description, string? token, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        await using var janus = await Open(cancellationToken);
        try
        {
            await janus.Plugin(new JsonObject
            {
                ["request"] = "create", ["room"] = room, ["admin_key"] = secrets.Value.RoomAdminKey, ["secret"] = RoomSecret(room),
                ["description"] = description, ["is_private"] = true, ["permanent"] = false, ["publishers"] = o.Publishers,
                ["bitrate"] = o.Bitrate, ["fir_freq"] = 5, ["videocodec"] = "vp8", ["audiocodec"] = "opus", ["notify_joining"] = true,
                ["allowed"] = new JsonArray(),
            });
        }
        catch (JanusException e) when (e.Code == RoomExists)
        {
        }
        if (token is not null)
            await janus.Plugin(new JsonObject
            {
                ["request"] = "allowed", ["room"] = room, ["secret"] = RoomSecret(room), ["action"] = "add", ["allowed"] = new JsonArray(token),
            });
    }

    /// <summary>Mutes (or unmutes) one stream of a publisher in the room (VideoRoom moderate).</summary>
    public async Task Moderate(string room, string feed, string mid, bool mute, CancellationToken cancellationToken = default)
    {
        await using var janus = await Open(cancellationToken);
        await janus.Plugin(new JsonObject
        {
            ["request"] = "moderate", ["room"] = room, ["secret"] = RoomSecret(room), ["id"] = feed, ["mid"] = mid, ["mute"] = mute,
        });
    }

    /// <summary>Destroys the room (and so ends everyone's part in it); a room that is gone already is fine.</summary>
    public async Task Destroy(string room, CancellationToken cancellationToken = default)
    {
        await using var janus = await Open(cancellationToken);
        try
        {
            await janus.Plugin(new JsonObject { ["request"] = "destroy", ["room"] = room, ["secret"] = RoomSecret(room) });
        }
        catch (JanusException e) when (e.Code == NoSuchRoom)
        {
        }
    }

    /// <summary>Whether the room exists now.</summary>
    public async Task<bool> Exists(string room, CancellationToken cancellationToken = default)
    {
        await using var janus = await Open(cancellationToken);
        var data = await janus.Plugin(new JsonObject { ["request"] = "exists", ["room"] = room });
        return data.TryGetProperty("exists", out var exists) && exists.GetBoolean();
    }

    /// <summary>A Janus token for one connection of a participant: until <paramref name="expiry"/>, for the VideoRoom only, unique (a nonce among its fields).</summary>
    public string ConnectionToken(DateTimeOffset expiry) =>
        JanusTokens.Sign(secrets.Value.TokenSecret, expiry, JanusTokens.VideoRoom, "cc-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));

    public Uri Address => new(options.Value.Janus ?? throw new InvalidOperationException("CommandCenter:Video:Janus is not set."));

    private string RoomSecret(string room) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets.Value.RoomAdminKey), Encoding.UTF8.GetBytes("room:" + room)));

    private async Task<Conversation> Open(CancellationToken cancellationToken)
    {
        var token = JanusTokens.Sign(secrets.Value.TokenSecret, clock.GetUtcNow().AddMinutes(1), JanusTokens.VideoRoom);
        return await Conversation.Open(Address, token, options.Value.RequestTimeout, cancellationToken);
    }

    /// <summary>One Janus session with a VideoRoom handle over its own WebSocket; disposing destroys the session and closes the socket.</summary>
    private sealed class Conversation : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly string _token;
        private readonly CancellationTokenSource _timeout;
        private long _session;
        private long _handle;

        private Conversation(ClientWebSocket socket, string token, CancellationTokenSource timeout)
        {
            _socket = socket;
            _token = token;
            _timeout = timeout;
        }

        public static async Task<Conversation> Open(Uri url, string token, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol(Protocol);
            var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var conversation = new Conversation(socket, token, limit);
            try
            {
                await socket.ConnectAsync(url, limit.Token);
                conversation._session = (await conversation.Ask(new JsonObject { ["janus"] = "create" })).GetProperty("data").GetProperty("id").GetInt64();
                conversation._handle = (await conversation.Ask(new JsonObject
                {
                    ["janus"] = "attach", ["session_id"] = conversation._session, ["plugin"] = JanusTokens.VideoRoom,
                })).GetProperty("data").GetProperty("id").GetInt64();
                return conversation;
            }
            catch
            {
                await conversation.DisposeAsync();
                throw;
            }
        }

        /// <summary>A synchronous VideoRoom request: its answer's data, or a <see cref="JanusException"/> with the plugin's error.</summary>
        public async Task<JsonElement> Plugin(JsonObject body)
        {
            var answer = await Ask(new JsonObject { ["janus"] = "message", ["session_id"] = _session, ["handle_id"] = _handle, ["body"] = body });
            var data = answer.GetProperty("plugindata").GetProperty("data");
            if (data.TryGetProperty("error_code", out var code))
                throw new JanusException(code.GetInt32(), data.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "");
            return data;
        }

        private async Task<JsonElement> Ask(JsonObject request)
        {
            var transaction = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            request["transaction"] = transaction;
            request["token"] = _token;
            await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, _timeout.Token);
            var buffer = new byte[16 * 1024];
            while (true)
            {
                using var text = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _timeout.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                        throw new JanusException(0, "Janus closed the connection.");
                    text.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var answer = JsonDocument.Parse(text.ToArray()).RootElement.Clone();
                if (!answer.TryGetProperty("transaction", out var t) || t.GetString() != transaction || answer.GetProperty("janus").GetString() == "ack")
                    continue;
                if (answer.GetProperty("janus").GetString() == "error")
                {
                    var error = answer.GetProperty("error");
                    throw new JanusException(error.GetProperty("code").GetInt32(), error.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "");
                }
                return answer;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_session != 0 && _socket.State == WebSocketState.Open)
                    await Ask(new JsonObject { ["janus"] = "destroy", ["session_id"] = _session });
                if (_socket.State == WebSocketState.Open)
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, _timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or JanusException)
            {
                // Janus ends a session whose socket went away by itself.
            }
            finally
            {
                _socket.Dispose();
                _timeout.Dispose();
            }
        }
    }
}
