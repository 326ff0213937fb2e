using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Cameras;
using CommandCenter.Feeds;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Api;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>
/// Camera health through the product: an imported camera is watched and probed at once (a real HLS server made by
/// ffmpeg), listed and counted with its status, its change pushed to the walls; evidence passes over offline cameras.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CameraStatusApiTests(WebFixture web) : IAsyncLifetime
{
    private HlsTestServer _stream = null!;

    public async Task InitializeAsync() => _stream = await HlsTestServer.Start();

    public async Task DisposeAsync() => await _stream.DisposeAsync();

    private IGrainFactory Grains => web.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Imports a camera at <paramref name="metresNorth"/> of a demo grid's centre (away from other tests' reports).</summary>
    private async Task<(string Id, string Grid, double Lat, double Lng)> Import(int grid, double metresNorth, string? streamUrl = null)
    {
        var (lat, lng, code) = Reports.InsideGrid(web, grid);
        lat += metresNorth / 111_320.0;
        var id = "W-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await web.Admin.PostAsync("/api/cameras/import",
            new StringContent($"id,name,lat,lng,streamUrl\n{id},状态测试,{lat},{lng},{streamUrl ?? _stream.Url}\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (id, code, lat, lng);
    }

    private async Task<CommandCenter.Web.Application.CameraItem> Listed(string grid, string id) =>
        (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.CameraItem>>($"/api/cameras?jurisdiction={grid}", Json.Options))!
            .Single(c => c.Id == id);

    [Fact]
    public async Task An_imported_camera_is_probed_at_once_listed_and_counted_online_and_its_change_reaches_the_wall()
    {
        var changes = new List<CameraStatusChange>();
        await using var wall = await web.ConnectWall();
        wall.Connection.On<CameraStatusChange>("cameraStatus", change => { lock (changes) changes.Add(change); });
        var (_, _, probeGrid) = Reports.InsideGrid(web, 21);
        var township = web.Directory.Tree!.PathToRoot(probeGrid)[2];
        await wall.Subscribe(township, await web.Head(township));
        // Counted in the camera's own grid, where no other test imports cameras: the township's counts also move with
        // the cameras other tests import in its other grids (one of them goes offline), whose probes run meanwhile.
        var before = (await web.Http.GetFromJsonAsync<CommandCenter.Web.Application.CameraCounts>(
            $"/api/cameras/counts?jurisdiction={probeGrid}", Json.Options))!;

        var (id, grid, _, _) = await Import(21, 60);
        Assert.Equal(probeGrid, grid);

        var item = await Poll.Until(() => Listed(grid, id), c => c.Status == CameraStatus.Online, "the camera was not probed online");
        Assert.NotNull(item.StatusSince);
        Assert.Null(item.Reason);
        var after = (await web.Http.GetFromJsonAsync<CommandCenter.Web.Application.CameraCounts>(
            $"/api/cameras/counts?jurisdiction={grid}", Json.Options))!;
        Assert.Equal((before.Online + 1, before.Offline, before.Unknown), (after.Online, after.Offline, after.Unknown));
        var online = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.CameraItem>>(
            $"/api/cameras?jurisdiction={grid}&status=online", Json.Options))!;
        Assert.Contains(online, c => c.Id == id);
        Assert.All(online, c => Assert.Equal(CameraStatus.Online, c.Status));
        var change = await Poll.Until(() => Task.FromResult(changes.ToList()), l => l.Any(c => c.CameraId == id), "no cameraStatus message");
        Assert.Contains(change, c => c.CameraId == id && c.Jurisdiction == township && c.Status == CameraStatus.Online && c.Previous == CameraStatus.Unknown);

        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand("SELECT period FROM orleansreminderstable WHERE remindername = 'probe' AND grainid LIKE '%' || $1");
        cmd.Parameters.Add(new() { Value = id });
        Assert.Equal((long)TimeSpan.FromMinutes(1).TotalMilliseconds, Convert.ToInt64(await cmd.ExecuteScalarAsync()));
    }

    [Theory]
    [InlineData("?jurisdiction=X&status=sleeping", "status", HttpStatusCode.BadRequest)]
    [InlineData("?jurisdiction=X&status=1", "status", HttpStatusCode.BadRequest)]
    [InlineData("", "jurisdiction", HttpStatusCode.BadRequest)]
    public async Task A_bad_filter_is_a_problem_naming_it(string query, string field, HttpStatusCode status)
    {
        var (_, _, grid) = Reports.InsideGrid(web, 3);
        using var response = await web.Http.GetAsync("/api/cameras" + query.Replace("=X", "=" + grid));
        await ProblemAssert.Is(response, status, field);
        using var counts = await web.Http.GetAsync("/api/cameras/counts");
        await ProblemAssert.Is(counts, HttpStatusCode.BadRequest, "jurisdiction");
    }

    [Fact]
    public async Task Evidence_passes_over_a_camera_known_to_be_offline_even_when_its_stream_would_answer_now()
    {
        await using var flaky = await HlsTestServer.Start();
        var near = await Import(23, 70);
        var offline = await Import(23, 71, flaky.Url);
        flaky.Down = true;
        var grain = Grains.GetGrain<ICameraGrain>(offline.Id);
        await Poll.Until(async () => (await grain.Probe()).Status, s => s == CameraStatus.Offline, "the camera did not go offline");
        Assert.Equal(CameraStatus.Offline, (await Listed(offline.Grid, offline.Id)).Status);
        flaky.Down = false;
        var capturesBefore = flaky.FfmpegRequests;

        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(
            new { source = "gridWorker", category = "security", title = "夜间有可疑人员徘徊", lat = near.Lat, lng = near.Lng })));

        var photos = await Poll.Until(
            async () => (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>(
                $"/api/incidents/{created.Id}/attachments", Json.Options))!,
            p => p.Count > 0, "no evidence arrived");
        Assert.Equal($"camera:{near.Id}", Assert.Single(photos).UploadedBy);
        Assert.Equal(capturesBefore, flaky.FfmpegRequests);
    }
}
