using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CommandCenter.Cameras;
using CommandCenter.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CommandCenter.Tests.Cameras;

/// <summary>
/// The stream probe against real servers on this machine: an HLS stream made by ffmpeg, a JPEG camera, servers that
/// answer wrongly, refuse, or never answer, and an RTSP server asking for Digest credentials.
/// </summary>
public sealed class StreamProbeTests : IAsyncLifetime
{
    // Short for the server that never answers, long enough for a first request under a loaded test run.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly StreamProbe _probe = new(Options.Create(new CameraOptions { AllowedHosts = [.. CameraOptions.DefaultHosts], ProbeTimeout = Timeout }));
    private HlsTestServer _hls = null!;
    private WebApplication _odd = null!;

    public async Task InitializeAsync()
    {
        _hls = await HlsTestServer.Start();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _odd = builder.Build();
        _odd.MapGet("/page", () => Results.Content("<html><body>login</body></html>", "text/html"));
        _odd.MapGet("/snapshot.jpg", () => Results.Bytes(TestImages.Jpeg(), "image/jpeg"));
        _odd.MapGet("/empty.m3u8", () => Results.Content("#EXTM3U\n#EXT-X-TARGETDURATION:2\n", "application/vnd.apple.mpegurl"));
        _odd.MapGet("/garbage.m3u8", () => Results.Content("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n/page\n", "application/vnd.apple.mpegurl"));
        _odd.MapGet("/moved", () => Results.Redirect("http://example.org/x.m3u8"));
        _odd.MapGet("/slow", async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            return Results.Ok();
        });
        await _odd.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _probe.Dispose();
        await _hls.DisposeAsync();
        await _odd.DisposeAsync();
    }

    private string Odd(string path) => _odd.Urls.First() + path;

    [Fact]
    public async Task An_hls_stream_made_by_ffmpeg_is_online()
    {
        var result = await _probe.Probe(_hls.Url);
        Assert.True(result.Ok, result.Reason);
        Assert.Null(result.Sequence); // a finished (VOD) playlist is not followed for stalls
        _hls.Frozen = true;
        var live = await _probe.Probe(_hls.Url);
        Assert.True(live.Ok, live.Reason);
        Assert.Equal(2, live.Sequence); // three one-second segments: the newest is number 2
        Assert.Equal(TimeSpan.FromSeconds(1), live.TargetDuration);
    }

    [Fact]
    public async Task A_jpeg_camera_is_online()
    {
        var result = await _probe.Probe(Odd("/snapshot.jpg"));
        Assert.True(result.Ok, result.Reason);
    }

    [Theory]
    [InlineData("/page", "it sent something that is not a video stream")]
    [InlineData("/missing.m3u8", "it answered HTTP 404")]
    [InlineData("/empty.m3u8", "its playlist lists no segments")]
    [InlineData("/garbage.m3u8", "its newest segment is not MPEG-TS or MP4 video")]
    [InlineData("/moved", "it answered HTTP 302")]
    public async Task A_server_that_answers_something_else_is_a_failure_that_says_what(string path, string reason)
    {
        var result = await _probe.Probe(Odd(path));
        Assert.Equal((false, reason), (result.Ok, result.Reason));
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_within_the_limit_and_a_refused_port_at_once()
    {
        var watch = Stopwatch.StartNew();
        var slow = await _probe.Probe(Odd("/slow"));
        Assert.Equal((false, "no answer within 2 s"), (slow.Ok, slow.Reason));
        Assert.InRange(watch.Elapsed, Timeout - TimeSpan.FromMilliseconds(50), Timeout + TimeSpan.FromSeconds(2)); // timers may fire a hair early

        var refused = await _probe.Probe($"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}/index.m3u8");
        Assert.Equal((false, "the connection was refused"), (refused.Ok, refused.Reason));
    }

    [Fact]
    public async Task An_address_outside_the_allow_list_is_not_probed()
    {
        var result = await _probe.Probe("file:///etc/passwd");
        Assert.False(result.Ok);
        Assert.DoesNotContain("passwd", result.Reason);
    }

    [Fact]
    public async Task An_rtsp_camera_asking_for_digest_credentials_is_online_with_the_right_ones_and_refused_with_others()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                await RtspCamera(client.GetStream(), "admin", "pw-1");
            }
        });

        var good = await _probe.Probe($"rtsp://admin:pw-1@127.0.0.1:{port}/Streaming/Channels/101");
        Assert.True(good.Ok, good.Reason);
        var bad = await _probe.Probe($"rtsp://admin:wrong@127.0.0.1:{port}/Streaming/Channels/101");
        Assert.Equal((false, "the camera refused the credentials (RTSP 401)"), (bad.Ok, bad.Reason));
        Assert.DoesNotContain("pw-1", bad.Reason);
        await server;
    }

    /// <summary>Answers DESCRIBE as an RTSP camera does: 401 with a Digest challenge, then the SDP when the response is right.</summary>
    private static async Task RtspCamera(NetworkStream stream, string user, string password)
    {
        const string realm = "IP Camera", nonce = "5f1e0c";
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        while (true)
        {
            var request = new List<string>();
            while (await reader.ReadLineAsync() is { Length: > 0 } line)
                request.Add(line);
            if (request.Count == 0)
                return;
            var cseq = request.First(l => l.StartsWith("CSeq:", StringComparison.Ordinal))[5..].Trim();
            var uri = request[0].Split(' ')[1];
            var authorization = request.FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.Ordinal));
            static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));
            var expected = Md5($"{Md5($"{user}:{realm}:{password}")}:{nonce}:{Md5($"DESCRIBE:{uri}")}");
            string answer;
            if (authorization?.Contains($"response=\"{expected}\"", StringComparison.Ordinal) == true)
            {
                const string sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=Camera\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
                answer = $"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nContent-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}";
            }
            else
            {
                answer = $"RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\nWWW-Authenticate: Digest realm=\"{realm}\", nonce=\"{nonce}\"\r\n\r\n";
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
            if (authorization is not null)
                return;
        }
    }
}
