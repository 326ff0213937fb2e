using System.Text.Json.Nodes;
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
    private static async Task<JanusSocket> Connect(Uri url, string protocol = JanusSocket.Protocol) =>
        (await JanusSocket.Open(url, protocol: protocol)).Socket ?? throw new InvalidOperationException($"Janus refused a socket on {url}");

    private static JsonObject Request(string janus, string? token = null, string? adminSecret = null)
    {
        var request = new JsonObject { ["janus"] = janus };
        if (token is not null)
            request["token"] = token;
        if (adminSecret is not null)
            request["admin_secret"] = adminSecret;
        return request;
    }

    [Fact]
    public async Task Janus_runs_the_videoroom_only_and_opens_a_session_only_with_a_token_we_signed()
    {
        var secrets = TestEnvironment.JanusSecrets;
        await using var socket = await Connect(TestEnvironment.Janus);
        Assert.True(TestEnvironment.Janus.IsLoopback);

        var info = await socket.Ask(Request("info"));
        Assert.Equal(("server_info", "CommandCenter"), ((string?)info["janus"], (string?)info["server-name"]));
        Assert.Equal([JanusTokens.VideoRoom], info["plugins"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["janus.transport.websockets"], info["transports"]!.AsObject().Select(p => p.Key));

        // Janus answers 403 "Unauthorized request (wrong or missing secret/token)".
        Assert.Equal(403, JanusSocket.ErrorCode(await socket.Ask(Request("create"))));
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(403, JanusSocket.ErrorCode(await socket.Ask(Request("create", JanusTokens.Sign("not-our-secret", now.AddMinutes(5), JanusTokens.VideoRoom)))));
        Assert.Equal(403, JanusSocket.ErrorCode(await socket.Ask(Request("create",
            JanusTokens.Sign(secrets["JANUS_TOKEN_SECRET"], now.AddMinutes(-1), JanusTokens.VideoRoom)))));

        var created = await socket.Ask(Request("create", JanusTokens.Sign(secrets["JANUS_TOKEN_SECRET"], now.AddMinutes(5), JanusTokens.VideoRoom)));
        Assert.Equal("success", (string?)created["janus"]);
        Assert.True(created["data"]!["id"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task The_admin_api_answers_only_with_its_own_secret()
    {
        await using var admin = await Connect(TestEnvironment.JanusAdmin, "janus-admin-protocol");
        Assert.True(TestEnvironment.JanusAdmin.IsLoopback);
        Assert.Equal(403, JanusSocket.ErrorCode(await admin.Ask(Request("list_sessions"))));
        Assert.Equal(403, JanusSocket.ErrorCode(await admin.Ask(Request("list_sessions", adminSecret: "janusoverlord"))));
        var listed = await admin.Ask(Request("list_sessions", adminSecret: TestEnvironment.JanusSecrets["JANUS_ADMIN_SECRET"]));
        Assert.Equal("success", (string?)listed["janus"]);
    }
}
