using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// A camera's HTTP server for tests: a few seconds of HLS made by the real ffmpeg (MPEG-2 video, a key frame a second),
/// served from a temporary folder. <see cref="Down"/> makes it answer 503; <see cref="Frozen"/> serves the playlist as
/// a live one (no end) that never moves on, like an encoder that stopped.
/// </summary>
public sealed class HlsTestServer : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-hls-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication _app = null!;

    public bool Down { get; set; }

    public bool Frozen { get; set; }

    /// <summary>Requests made by ffmpeg (captures: its user agent is "Lavf/…"), as opposed to probes.</summary>
    public int FfmpegRequests => _ffmpegRequests;

    private int _ffmpegRequests;

    public string Url => _app.Urls.First() + "/index.m3u8";

    /// <param name="source">The picture: an ffmpeg lavfi source without its size and rate, e.g. "color=c=0x2040ff" (default: testsrc2).</param>
    public static async Task<HlsTestServer> Start(int width = 320, int height = 240, string source = "testsrc2")
    {
        var server = new HlsTestServer();
        Directory.CreateDirectory(server._folder);
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", $"{source}{(source.Contains('=') ? ":" : "=")}size={width}x{height}:rate=10",
             "-t", "3", "-c:v", "mpeg2video", "-g", "10",
             "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", Path.Combine(server._folder, "index.m3u8")]))!;
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg exited with {ffmpeg.ExitCode}");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server._app = builder.Build();
        server._app.Use(async (context, next) =>
        {
            if (context.Request.Headers.UserAgent.ToString().StartsWith("Lavf", StringComparison.Ordinal))
                Interlocked.Increment(ref server._ffmpegRequests);
            if (server.Down)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            if (server.Frozen && context.Request.Path == "/index.m3u8")
            {
                var lines = await File.ReadAllLinesAsync(Path.Combine(server._folder, "index.m3u8"));
                context.Response.ContentType = "application/vnd.apple.mpegurl";
                await context.Response.WriteAsync(string.Join('\n',
                    lines.Where(l => !l.StartsWith("#EXT-X-ENDLIST") && !l.StartsWith("#EXT-X-PLAYLIST-TYPE"))));
                return;
            }
            await next();
        });
        server._app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(server._folder), ServeUnknownFileTypes = true });
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
