using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Video;

namespace CommandCenter.Tests.Video;

/// <summary>
/// The Janus test.sh starts (deploy/lib.sh cc_start_janus) as its configuration promises: the VideoRoom plugin only,
/// no session without one of our signed tokens (one that expired, or signed with another secret, is refused), the
/// admin API only with its own secret, both on loopback.
/// </summary>
public sealed class JanusServerTests
{
    private static async Task<ClientWebSocket> Connect(Uri url, string protocol = "janus-protocol")
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(url, timeout.Token);
        return socket;
    }

    /// <summary>Sends one request and answers Janus' reply to its transaction (skipping anything else that comes).</summary>
    private static async Task<JsonElement> Ask(ClientWebSocket socket, object request)
    {
        var transaction = Guid.NewGuid().ToString("N");
        var json = JsonSerializer.SerializeToElement(request);
        var body = json.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        body["transaction"] = transaction;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(body), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            var answer = JsonDocument.Parse(text.ToArray()).RootElement.Clone();
            if (answer.TryGetProperty("transaction", out var t) && t.GetString() == transaction)
                return answer;
        }
    }

    private static int? ErrorCode(JsonElement answer) =>
        answer.GetProperty("janus").GetString() == "error" ? answer.GetProperty("error").GetProperty("code").GetInt32() : null;

    [Fact]
    public async Task Janus_runs_the_videoroom_only_and_opens_a_session_only_with_a_token_we_signed()
    {
        var secrets = TestEnvironment.JanusSecrets;
        using var socket = await Connect(TestEnvironment.Janus);
        Assert.True(TestEnvironment.Janus.IsLoopback);

        var info = await Ask(socket, new { janus = "info" });
        Assert.Equal(("server_info", "CommandCenter"), (info.GetProperty("janus").GetString(), info.GetProperty("server-name").GetString()));
        Assert.Equal([JanusTokens.VideoRoom], info.GetProperty("plugins").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["janus.transport.websockets"], info.GetProperty("transports").EnumerateObject().Select(p => p.Name));

        // Janus answers 403 "Unauthorized request (wrong or missing secret/token)".
        Assert.Equal(403, ErrorCode(await Ask(socket, new { janus = "create" })));
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(403, ErrorCode(await Ask(socket, new { janus = "create", token = JanusTokens.Sign("not-our-secret", now.AddMinutes(5), JanusTokens.VideoRoom) })));
        Assert.Equal(403, ErrorCode(await Ask(socket, new { janus = "create", token = JanusTokens.Sign(secrets["JANUS_TOKEN_SECRET"], now.AddMinutes(-1), JanusTokens.VideoRoom) })));

        var created = await Ask(socket, new { janus = "create", token = JanusTokens.Sign(secrets["JANUS_TOKEN_SECRET"], now.AddMinutes(5), JanusTokens.VideoRoom) });
        Assert.Equal("success", created.GetProperty("janus").GetString());
        Assert.True(created.GetProperty("data").GetProperty("id").GetInt64() > 0);
    }

    [Fact]
    public async Task The_admin_api_answers_only_with_its_own_secret()
    {
        using var admin = await Connect(TestEnvironment.JanusAdmin, "janus-admin-protocol");
        Assert.True(TestEnvironment.JanusAdmin.IsLoopback);
        Assert.Equal(403, ErrorCode(await Ask(admin, new { janus = "list_sessions" })));
        Assert.Equal(403, ErrorCode(await Ask(admin, new { janus = "list_sessions", admin_secret = "janusoverlord" })));
        var listed = await Ask(admin, new { janus = "list_sessions", admin_secret = TestEnvironment.JanusSecrets["JANUS_ADMIN_SECRET"] });
        Assert.Equal("success", listed.GetProperty("janus").GetString());
    }
}
