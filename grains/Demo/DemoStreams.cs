using CommandCenter.Cameras;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Demo;

/// <summary>Configuration section <c>CommandCenter:DemoStreams</c>: the local test streams of the demo cameras (run.sh).</summary>
public sealed class DemoStreamOptions
{
    /// <summary>Where ffmpeg writes the streams (camNN/index.m3u8); served at /demo-streams/. No demo streams when empty.</summary>
    public string? Folder { get; set; }

    /// <summary>The address the streams are reached at, e.g. http://127.0.0.1:5080/demo-streams.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How many streams there are (cam01 … camNN).</summary>
    public int Count { get; set; } = 16;

    /// <summary>Every this-many-th camera points at an address nobody listens on, so the offline path is visible.</summary>
    public int DeadEvery { get; set; } = 97;
}

/// <summary>
/// Demo mode with demo streams: points every camera without a stream address at one of the local test streams,
/// in turn, and a few at a dead address (port 9 of this machine, refused). Runs after the registry is loaded.
/// </summary>
public sealed class DemoStreams(JurisdictionDirectory directory, JurisdictionStore store, IOptions<DemoStreamOptions> options,
    ILogger<DemoStreams> log) : IHostedService
{
    public const string DeadAddress = "http://127.0.0.1:9/demo-streams/offline/index.m3u8";

    /// <summary>The stream address of the <paramref name="index"/>th camera (in id order).</summary>
    public static string AddressOf(int index, DemoStreamOptions settings) =>
        settings.DeadEvery > 0 && index % settings.DeadEvery == settings.DeadEvery - 1
            ? DeadAddress
            : $"{settings.BaseUrl!.TrimEnd('/')}/cam{index % settings.Count + 1:00}/index.m3u8";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.Folder) || string.IsNullOrEmpty(settings.BaseUrl) || settings.Count < 1 || directory.Tree is not { } tree)
            return;
        var cameras = directory.CamerasIn(tree.Root.Code).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var withoutStream = await store.CamerasWithoutStream();
        var entries = cameras
            .Select((camera, index) => (camera, index))
            .Where(c => withoutStream.Contains(c.camera.Id))
            .Select(c => new CameraEntry(c.camera.Id, c.camera.Name, c.camera.Latitude, c.camera.Longitude, AddressOf(c.index, settings), c.camera.GridCode))
            .ToList();
        if (entries.Count == 0)
            return;
        await store.UpsertCameras(entries);
        await directory.Refresh(force: true);
        log.LogInformation("Demo streams: {Count} cameras now point at the {Streams} local test streams", entries.Count, settings.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
