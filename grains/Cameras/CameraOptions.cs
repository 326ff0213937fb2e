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

    /// <summary>
    /// How long a captured frame answers snapshot requests as it is ("warm"); after that it is answered as "stale" while
    /// one capture takes the next.
    /// </summary>
    public TimeSpan SnapshotFreshFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a captured frame is kept in Redis at all (to answer stale).</summary>
    public TimeSpan SnapshotKeptFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Evidence: frames of this many of the cameras nearest a new incident (with a stream, not offline) …</summary>
    public int EvidenceCameras { get; set; } = 3;

    /// <summary>… within this distance of it.</summary>
    public double EvidenceRadiusMeters { get; set; } = 500;

    /// <summary>Evidence uses a camera's kept frame when it was taken at most this long before the report; else it captures one.</summary>
    public TimeSpan EvidenceFrameAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many evidence captures may run at once on one host, apart from snapshot requests' <see cref="MaxConcurrentCaptures"/>.
    /// Evidence never waits for one: with all taken, a camera gives no frame ("busy") for that incident.
    /// </summary>
    public int EvidenceCaptures { get; set; } = 2;

    /// <summary>How many snapshot requests' ffmpeg captures may run at once on one host (a request waits for one within its time limit).</summary>
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
