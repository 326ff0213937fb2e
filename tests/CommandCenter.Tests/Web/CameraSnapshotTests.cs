using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using CommandCenter.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;

namespace CommandCenter.Tests.Web;

/// <summary>
/// Snapshots with the real ffmpeg: a camera whose stream is a local HLS stream made by ffmpeg, one that accepts
/// connections and never answers, and one nobody listens for.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CameraSnapshotTests(WebFixture web) : IAsyncLifetime
{
    private const int Width = 320;
    private const int Height = 240;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-stream-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication _streams = null!;
    private int _playlistRequests;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=10", "-t", "3", "-c:v", "mpeg2video", "-g", "10",
             "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", Path.Combine(_folder, "index.m3u8")]))!;
        await ffmpeg.WaitForExitAsync();
        Assert.Equal(0, ffmpeg.ExitCode);

        // A camera's HTTP server: the playlist answers after 500 ms, so that captures overlap. Only ffmpeg's fetches
        // (user agent "Lavf/…") are counted: the camera's health probe reads the playlist too.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _streams = builder.Build();
        _streams.Use(async (context, next) =>
        {
            if (context.Request.Path == "/index.m3u8")
            {
                if (context.Request.Headers.UserAgent.ToString().StartsWith("Lavf", StringComparison.Ordinal))
                    Interlocked.Increment(ref _playlistRequests);
                await Task.Delay(500);
            }
            await next();
        });
        _streams.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(_folder),
            ServeUnknownFileTypes = true,
        });
        await _streams.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _streams.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string StreamAddress => _streams.Urls.First() + "/index.m3u8";

    /// <summary>Where the cameras of these tests stand: 50 m north of a demo grid's centre, where no other test reports.</summary>
    private (double Lat, double Lng) Spot(int grid)
    {
        var (lat, lng, _) = Reports.InsideGrid(web, grid);
        return (lat + 50 / 111_320.0, lng);
    }

    /// <summary>A new camera pointing at <paramref name="streamUrl"/> (see <see cref="Spot"/>), imported as the administrator.</summary>
    private async Task<string> Camera(string streamUrl, int grid = 11)
    {
        var (lat, lng) = Spot(grid);
        var id = "S-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await web.Admin.PostAsync("/api/cameras/import",
            new StringContent($"id,name,lat,lng,streamUrl\n{id},快照测试,{lat},{lng},{streamUrl}\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return id;
    }

    [Fact]
    public async Task A_snapshot_of_a_real_stream_is_a_jpeg_of_the_streams_size_and_concurrent_requests_share_one_capture()
    {
        var id = await Camera(StreamAddress);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => web.Http.GetAsync($"/api/cameras/{id}/snapshot")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers, a => Assert.Equal("image/jpeg", a.Content.Headers.ContentType!.MediaType));
        var jpegs = await Task.WhenAll(answers.Select(a => a.Content.ReadAsByteArrayAsync()));
        Assert.Equal((Width, Height), JpegSize(jpegs[0]));
        Assert.All(jpegs, j => Assert.Equal(jpegs[0], j));
        Assert.Equal(1, _playlistRequests);
        Assert.Contains(answers, a => a.Headers.GetValues("X-Snapshot").Single() == "captured");

        // The next request within the time to live is served from Redis: no new capture reaches the stream.
        using var warm = await web.Http.GetAsync($"/api/cameras/{id}/snapshot");
        Assert.Equal(("warm", 1), (warm.Headers.GetValues("X-Snapshot").Single(), _playlistRequests));
        Assert.Equal(jpegs[0], await warm.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_stream_that_never_answers_times_out_within_the_limit_and_leaves_no_ffmpeg_behind()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
                held.Add(await silent.AcceptTcpClientAsync());
        });
        var id = await Camera($"http://127.0.0.1:{port}/live.m3u8");

        var clock = Stopwatch.StartNew();
        using var response = await web.Http.GetAsync($"/api/cameras/{id}/snapshot");
        clock.Stop();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.InRange(clock.Elapsed, WebFixture.CaptureTimeout - TimeSpan.FromMilliseconds(200), WebFixture.CaptureTimeout + TimeSpan.FromSeconds(3));
        Assert.NotEmpty(held);
        await Task.Delay(500);
        Assert.Empty(FfmpegProcessesReading($"127.0.0.1:{port}"));
    }

    [Fact]
    public async Task A_refused_connection_is_a_502_saying_so_without_the_address()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var id = await Camera($"http://127.0.0.1:{port}/live.m3u8");

        using var response = await web.Http.GetAsync($"/api/cameras/{id}/snapshot");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("the connection was refused", problem);
        Assert.DoesNotContain($"127.0.0.1:{port}", problem); // the address may carry credentials: never in the answer
    }

    [Fact]
    public async Task A_camera_outside_the_jurisdiction_or_without_a_stream_is_not_found()
    {
        var id = await Camera(StreamAddress, grid: 0);
        var township = web.Directory.Tree!.PathToRoot(web.Directory.Camera(id)!.GridCode)[^2];
        var other = web.Directory.Tree.ChildrenOf(web.CountyCode)
            .Select((t, i) => (t.Code, Station: $"station-{i + 1}"))
            .First(s => s.Code != township).Station;
        using var outside = await (await web.ClientAs(other)).GetAsync($"/api/cameras/{id}/snapshot");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        using var inside = await web.Http.GetAsync($"/api/cameras/{id}/snapshot");
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);

        await using var db = Npgsql.NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var query = db.CreateCommand("SELECT id FROM cc_camera WHERE stream_url IS NULL ORDER BY id LIMIT 1");
        var demoCamera = (string)(await query.ExecuteScalarAsync())!;
        using var noStream = await web.Http.GetAsync($"/api/cameras/{demoCamera}/snapshot");
        Assert.Equal(HttpStatusCode.NotFound, noStream.StatusCode);
    }

    [Fact]
    public async Task A_new_incident_gets_the_nearest_cameras_frame_as_evidence_on_its_timeline_after_its_answer()
    {
        var camera = await Camera(StreamAddress, grid: 12);
        var (lat, lng) = Spot(12);

        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(
            new { source = "gridWorker", category = "治安隐患", title = "夜间有可疑人员徘徊", lat, lng })));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<CommandCenter.Web.Application.AttachmentInfo> photos;
        while ((photos = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>(
                   $"/api/incidents/{created.Id}/attachments", Json.Options))!).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no evidence arrived");
            await Task.Delay(200);
        }
        var photo = Assert.Single(photos);
        Assert.Equal(($"camera:{camera}", "image/jpeg"), (photo.UploadedBy, photo.MediaType));
        Assert.Equal((Width, Height), JpegSize(await web.Http.GetByteArrayAsync(photo.Url)));
        var timeline = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.TimelineEntry>>(
            $"/api/incidents/{created.Id}/timeline", Json.Options))!;
        Assert.Contains(timeline, e => e.Kind == "attached" && e.Actor == $"camera:{camera}");
    }

    /// <summary>The width and height in a JPEG's start-of-frame segment.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        Assert.True(jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG");
        for (var i = 2; i + 8 < jpeg.Length;)
        {
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is >= 0xC0 and <= 0xC3)
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            i += 2 + length;
        }
        throw new Xunit.Sdk.XunitException("no start-of-frame segment");
    }

    /// <summary>ffmpeg processes whose command line mentions <paramref name="address"/> (from /proc).</summary>
    private static List<int> FfmpegProcessesReading(string address) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0)
            .Where(p =>
            {
                try
                {
                    var command = File.ReadAllText(Path.Combine(p.Dir, "cmdline")).Replace('\0', ' ');
                    return command.Contains("ffmpeg") && command.Contains(address);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(p => p.Pid)
            .ToList();
}
