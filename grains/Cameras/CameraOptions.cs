namespace CommandCenter.Cameras;

/// <summary>Configuration section <c>CommandCenter:Cameras</c>.</summary>
public sealed class CameraOptions
{
    /// <summary>What <see cref="AllowedHosts"/> is when configuration names none: this machine, where the demo streams run.</summary>
    public static readonly IReadOnlyList<string> DefaultHosts = ["127.0.0.1", "localhost"];

    /// <summary>
    /// Hosts camera streams may be on: an exact host name or address ("10.20.0.7", "cams.example.gov.cn"), or every
    /// subdomain of one ("*.cams.example.gov.cn"). Empty in configuration: <see cref="DefaultHosts"/>.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The hard limit of one snapshot capture (ffmpeg is killed after it).</summary>
    public TimeSpan CaptureTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a captured frame is served from Redis before the next request captures anew.</summary>
    public TimeSpan SnapshotTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Evidence: how many of the cameras nearest a new incident are captured …</summary>
    public int EvidenceCameras { get; set; } = 3;

    /// <summary>… within this distance of it.</summary>
    public double EvidenceRadiusMeters { get; set; } = 500;

    /// <summary>How many ffmpeg captures may run at once on one host.</summary>
    public int MaxConcurrentCaptures { get; set; } = 4;

    /// <summary>Whether the silos probe the cameras' streams (health: online / offline).</summary>
    public bool Probing { get; set; } = true;

    /// <summary>How often each camera with a stream address is probed (an Orleans reminder: one minute at least).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The hard limit of one probe.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many probes may run at once on one host.</summary>
    public int MaxConcurrentProbes { get; set; } = 16;

    /// <summary>Consecutive failed probes after which a camera counts as offline (its offline time starts at the first).</summary>
    public int FailuresForOffline { get; set; } = 2;

    /// <summary>A camera offline this long raises a camera-offline incident for its grid (source cameraAlarm).</summary>
    public TimeSpan OfflineAlarmAfter { get; set; } = TimeSpan.FromMinutes(10);
}
