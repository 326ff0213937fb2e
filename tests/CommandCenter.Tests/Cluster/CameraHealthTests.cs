using CommandCenter.Access;
using CommandCenter.Cameras;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Cluster;

/// <summary>
/// Camera health on a real silo: the Camera grain probes a real HLS server (made by ffmpeg) that goes down and comes
/// back, while the test moves the grain's clock (the reminder service's) instead of waiting. Offline for the
/// configured time (10 minutes) raises one camera-offline incident for the camera's grid; back online clears it.
/// </summary>
[Collection(DeadlineClusterCollection.Name)]
public sealed class CameraHealthTests(DeadlineClusterFixture fixture) : IAsyncLifetime
{
    private static readonly Lazy<NpgsqlDataSource> Database = new(() => NpgsqlDataSource.Create(DeadlineClusterFixture.Postgres));

    private static NpgsqlDataSource Db => Database.Value;
    private HlsTestServer _stream = null!;

    private IGrainFactory Grains => fixture.Cluster.Client;

    public async Task InitializeAsync() => _stream = await HlsTestServer.Start();

    public async Task DisposeAsync()
    {
        DeadlineClusterFixture.Clock.Shift = TimeSpan.Zero;
        await _stream.DisposeAsync();
    }

    private static void MoveTo(DateTimeOffset instant) =>
        DeadlineClusterFixture.Clock.Shift = instant - TimeProvider.System.GetUtcNow();

    /// <summary>A new camera of a demo grid pointing at the test stream, written to the registry as an import would.</summary>
    private async Task<(ICameraGrain Grain, string Id, string Grid)> NewCamera()
    {
        var store = new JurisdictionStore(Db);
        var tree = (await store.Load()).Tree!;
        var grid = tree.All.Where(j => j.Level == JurisdictionLevel.Grid).OrderBy(j => j.Code, StringComparer.Ordinal).ElementAt(7);
        var (lat, lng) = tree.CenterOf(grid.Code);
        var id = "H-" + Guid.NewGuid().ToString("N")[..8];
        await store.UpsertCameras([new CameraEntry(id, "健康测试摄像头", lat, lng, _stream.Url, grid.Code)]);
        return (Grains.GetGrain<ICameraGrain>(id), id, grid.Code);
    }

    [Fact]
    public async Task Offline_for_the_configured_time_raises_one_alarm_for_the_grid_and_back_online_closes_it()
    {
        var (camera, id, grid) = await NewCamera();
        var start = TimeProvider.System.GetUtcNow();
        MoveTo(start);
        Assert.Equal(CameraStatus.Online, (await camera.Probe()).Status);

        _stream.Down = true;
        MoveTo(start.AddMinutes(1));
        var once = await camera.Probe();
        Assert.Equal(CameraStatus.Online, once.Status); // one failure is not offline yet (FailuresForOffline 2)
        Assert.Equal(1, once.Failures);
        Assert.Equal("it answered HTTP 503", once.Reason);

        MoveTo(start.AddMinutes(2));
        var offline = await camera.Probe();
        Assert.Equal(CameraStatus.Offline, offline.Status);
        var since = offline.Since!.Value;
        Assert.InRange(since, start.AddMinutes(1).AddSeconds(-1), start.AddMinutes(1).AddSeconds(5)); // from the first failure
        Assert.Null(offline.Alarm);

        MoveTo(since.AddMinutes(10).AddSeconds(-5));
        Assert.Null((await camera.Probe()).Alarm);

        MoveTo(since.AddMinutes(10).AddSeconds(1));
        var alarmed = await camera.Probe();
        var alarm = Assert.IsType<Guid>(alarmed.Alarm);
        MoveTo(since.AddMinutes(11));
        Assert.Equal(alarm, (await camera.Probe()).Alarm); // still one alarm

        var incident = (await Grains.GetGrain<IIncidentGrain>(alarm).Get())!;
        Assert.Equal(IncidentSource.CameraAlarm, incident.Source);
        Assert.Equal(grid, incident.GridCode);
        Assert.Equal(IncidentStatus.Reported, incident.Status);
        Assert.Contains("健康测试摄像头", incident.Title);
        Assert.Contains("HTTP 503", incident.Description);
        var reported = (await Grains.GetGrain<IIncidentGrain>(alarm).Timeline())[0];
        Assert.Equal(CameraGrain.ActorPrefix + id, reported.Actor);
        Assert.Equal(1, await Count("SELECT count(*) FROM cc_audit WHERE action = 'incident.report' AND target = $1 AND actor = $2",
            alarm.ToString(), "camera:" + id));
        Assert.Equal(1, await Count("SELECT count(*) FROM cc_incident WHERE id = $1 AND source = 'cameraAlarm' AND grid_code = $2", alarm, grid));

        _stream.Down = false;
        MoveTo(since.AddMinutes(12));
        var back = await camera.Probe();
        Assert.Equal(CameraStatus.Online, back.Status);
        Assert.Null(back.Alarm);
        var closed = (await Grains.GetGrain<IIncidentGrain>(alarm).Get())!;
        Assert.Equal(IncidentStatus.FedBack, closed.Status);
        Assert.Contains("恢复在线", closed.Feedback);
        var resolved = (await Grains.GetGrain<IIncidentGrain>(alarm).Timeline())[^1];
        Assert.Equal((IncidentEventKinds.Resolved, "camera:" + id), (resolved.Kind, resolved.Actor));

        var stored = await new CameraHealthStore(Db).Load(id);
        Assert.Equal((CameraStatus.Online, (Guid?)null), (stored!.Status, stored.Alarm));
    }

    [Fact]
    public async Task A_camera_back_after_its_alarm_was_taken_up_leaves_the_case_to_its_people_and_says_so_on_the_timeline()
    {
        var (camera, id, grid) = await NewCamera();
        var start = TimeProvider.System.GetUtcNow();
        _stream.Down = true;
        MoveTo(start);
        await camera.Probe();
        await camera.Probe();
        MoveTo(start.AddMinutes(15));
        var alarm = Assert.IsType<Guid>((await camera.Probe()).Alarm);

        var incident = Grains.GetGrain<IIncidentGrain>(alarm);
        var path = (await incident.Get())!.Path;
        var station = new Caller("user:camera-station", "测试综治中心", Role.TownshipStation, [path[2]]);
        Assert.Equal(ActionOutcome.Done, (await incident.Act(new IncidentCommand(IncidentAction.Verify, station, Guid.NewGuid().ToString()))).Outcome);

        _stream.Down = false;
        MoveTo(start.AddMinutes(20));
        Assert.Equal(CameraStatus.Online, (await camera.Probe()).Status);
        Assert.Equal(IncidentStatus.Verified, (await incident.Get())!.Status);
        var last = (await incident.Timeline())[^1];
        Assert.Equal((IncidentEventKinds.CameraRecovered, "camera:" + id), (last.Kind, last.Actor));
        Assert.Contains("恢复在线", System.Text.Json.JsonDocument.Parse(last.Data).RootElement.GetProperty("note").GetString());
        Assert.Equal(grid, (await incident.Get())!.GridCode);
    }

    [Fact]
    public async Task A_live_playlist_that_stops_moving_on_or_ends_is_a_failing_probe()
    {
        var (camera, _, _) = await NewCamera();
        _stream.Frozen = true;
        var start = TimeProvider.System.GetUtcNow();
        MoveTo(start);
        Assert.Equal(CameraStatus.Online, (await camera.Probe()).Status);
        MoveTo(start.AddSeconds(2)); // within three segment lengths: not stalled yet
        Assert.Equal(0, (await camera.Probe()).Failures);
        MoveTo(start.AddMinutes(1));
        var stalled = await camera.Probe();
        Assert.Equal(1, stalled.Failures);
        Assert.StartsWith("its playlist has not moved on", stalled.Reason);

        _stream.Frozen = false; // the playlist now ends, as ffmpeg's does when it is stopped
        MoveTo(start.AddMinutes(2));
        var ended = await camera.Probe();
        Assert.Equal((CameraStatus.Offline, "its live stream has ended"), (ended.Status, ended.Reason));
    }

    private static async Task<long> Count(string sql, params object[] values)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var value in values)
            cmd.Parameters.Add(new() { Value = value });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
