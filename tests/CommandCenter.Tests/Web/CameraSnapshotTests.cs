using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using CommandCenter.Cameras;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Cameras;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
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

        // The next request while the frame is fresh is served from Redis: no new capture reaches the stream.
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
            try
            {
                while (true)
                    held.Add(await silent.AcceptTcpClientAsync());
            }
            catch (SocketException)
            {
                // The listener stopped at the end of the test (an exception left in this task would go unobserved).
            }
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
        var port = TestEnvironment.FreeTcpPort();
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
            new { source = "gridWorker", category = "security", title = "夜间有可疑人员徘徊", lat, lng })));

        var photo = Assert.Single(await Poll.Until(() => Photos(created.Id), p => p.Count > 0, "no evidence arrived"));
        Assert.Equal(($"camera:{camera}", "image/jpeg"), (photo.UploadedBy, photo.MediaType));
        Assert.Equal((Width, Height), JpegSize(await web.Http.GetByteArrayAsync(photo.Url)));
        var timeline = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.TimelineEntry>>(
            $"/api/incidents/{created.Id}/timeline", Json.Options))!;
        Assert.Contains(timeline, e => e.Kind == "attached" && e.Actor == $"camera:{camera}");
    }

    [Fact]
    public async Task An_expired_frame_is_answered_at_once_as_stale_while_one_capture_takes_the_next()
    {
        var id = await Camera(StreamAddress);
        var old = TestImages.Jpeg();
        var takenAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        await web.Services.GetRequiredService<SnapshotCache>().Keep(id, old, takenAt);

        // The first request finds the expired frame: nothing else can have taken a newer one yet.
        using var first = await web.Http.GetAsync($"/api/cameras/{id}/snapshot");
        Assert.Equal((HttpStatusCode.OK, "stale", takenAt), (first.StatusCode, Header(first, "X-Snapshot"), TakenAt(first)));
        Assert.Equal(old, await first.Content.ReadAsByteArrayAsync());
        // Those that come while the capture runs get the same; one that comes after it, the new frame.
        var more = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => web.Http.GetAsync($"/api/cameras/{id}/snapshot")));
        foreach (var answer in more)
        {
            var jpeg = await answer.Content.ReadAsByteArrayAsync();
            Assert.True(Header(answer, "X-Snapshot") == "stale" ? jpeg.SequenceEqual(old) && TakenAt(answer) == takenAt : !jpeg.SequenceEqual(old),
                $"{Header(answer, "X-Snapshot")} at {TakenAt(answer):O}");
        }

        var fresh = await Poll.Until(() => web.Http.GetAsync($"/api/cameras/{id}/snapshot"), a => Header(a, "X-Snapshot") == "warm",
            "no fresh frame replaced the expired one");
        Assert.Equal((Width, Height), JpegSize(await fresh.Content.ReadAsByteArrayAsync()));
        Assert.True(TakenAt(fresh) > takenAt);
        Assert.Equal(1, _playlistRequests);
    }

    [Fact]
    public async Task With_the_evidence_budget_full_a_burst_of_reports_near_a_camera_is_busy_and_then_shares_one_capture()
    {
        var camera = await Camera(StreamAddress, grid: 13);
        var (lat, lng) = Spot(13);
        var evidence = web.Services.GetRequiredService<EvidenceCollector>();
        using var outcomes = new OutcomeCounts("cc.evidence");
        const int burst = 12;

        // Every evidence capture slot taken (as by captures of other cameras): no frame, at once, for any of them.
        var held = 0;
        while (evidence.Captures.TryTake())
            held++;
        Assert.Equal(2, held);
        List<Guid> busy;
        try
        {
            busy = await Burst(burst, lat, lng);
            await Poll.Until(() => Task.FromResult(outcomes.Total), n => n >= burst, "the busy burst's evidence was not counted");
        }
        finally
        {
            for (var i = 0; i < held; i++)
                evidence.Captures.Release();
        }
        Assert.Equal(burst, outcomes[Json.Word(EvidenceOutcome.Busy)]);
        Assert.Equal(0, _playlistRequests);

        // With the budget free: one capture, shared by the reports that come while it runs, kept for those after it.
        var shared = await Burst(burst, lat, lng);
        await Poll.Until(() => Task.FromResult(outcomes.Total), n => n >= 2 * burst, "the second burst's evidence was not counted");
        Assert.Equal((burst, burst), (outcomes[Json.Word(EvidenceOutcome.Busy)], outcomes[Json.Word(EvidenceOutcome.Captured)] + outcomes[Json.Word(EvidenceOutcome.Warm)]));
        Assert.True(outcomes[Json.Word(EvidenceOutcome.Captured)] >= 1);
        Assert.Equal(1, _playlistRequests);
        var photos = await Task.WhenAll(shared.Select(id => Poll.Until(() => Photos(id), p => p.Count > 0, "a frame was not stored")));
        Assert.All(photos, p => Assert.Equal($"camera:{camera}", Assert.Single(p).UploadedBy));
        Assert.Single(photos.Select(p => p[0].Sha256).Distinct());
        Assert.All(await Task.WhenAll(busy.Select(Photos)), Assert.Empty);
        Assert.Equal(0, evidence.Captures.InUse);
    }

    /// <summary>Reports at once at the point, each answered 201; their ids.</summary>
    private async Task<List<Guid>> Burst(int count, double lat, double lng)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => web.Http.SendAsync(Reports.Post(
            new { source = "gridWorker", category = "security", title = "路口有人聚集", lat, lng }))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        return [.. (await Task.WhenAll(answers.Select(Reports.Created))).Select(c => c.Id)];
    }

    private async Task<List<CommandCenter.Web.Application.AttachmentInfo>> Photos(Guid incident) =>
        (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>($"/api/incidents/{incident}/attachments", Json.Options))!;

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private static DateTimeOffset TakenAt(HttpResponseMessage response) =>
        DateTimeOffset.Parse(Header(response, "X-Snapshot-At"), CultureInfo.InvariantCulture);

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
