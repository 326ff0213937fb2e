using CommandCenter.Jurisdictions;

namespace CommandCenter.Cameras;

[GenerateSerializer, Immutable]
public sealed record CameraView(
    [property: Id(0)] CameraRecord Camera,
    [property: Id(1)] CameraHealth Health);

/// <summary>A public camera of the 雪亮工程: its health, probed on a schedule, and its offline alarm.</summary>
public interface ICameraGrain : IGrainWithStringKey
{
    Task<CameraView?> Get();

    /// <summary>
    /// (Re)reads the camera's stream address and keeps its probe reminder registered (removed when it has none); probes
    /// at once when its health is unknown. Called for every camera with a stream when a silo starts and after imports and edits.
    /// </summary>
    [OneWay]
    Task Watch();

    /// <summary>Probes the stream now and applies what it finds (status, alarm); returns the health after it.</summary>
    Task<CameraHealth> Probe();

    /// <summary>A snapshot of this camera was decoded at <paramref name="at"/>: it is online.</summary>
    [OneWay]
    Task FrameTaken(DateTimeOffset at);
}

[GenerateSerializer]
public enum CameraStatus
{
    /// <summary>Not probed yet, or no stream address.</summary>
    Unknown,
    Online,
    Offline,
}

/// <summary>
/// A camera's health as its probes and captures leave it. <see cref="Since"/>: when the current status began (for
/// offline, the first failed probe of the run); <see cref="Failures"/>: failed probes in a row, from
/// <see cref="FailingSince"/>; <see cref="Alarm"/>: the open camera-offline incident raised for it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CameraHealth(
    [property: Id(0)] CameraStatus Status,
    [property: Id(1)] DateTimeOffset? Since = null,
    [property: Id(2)] DateTimeOffset? LastSeenAt = null,
    [property: Id(3)] DateTimeOffset? LastFrameAt = null,
    [property: Id(4)] string? Reason = null,
    [property: Id(5)] int Failures = 0,
    [property: Id(6)] DateTimeOffset? FailingSince = null,
    [property: Id(7)] Guid? Alarm = null)
{
    public static readonly CameraHealth Unknown = new(CameraStatus.Unknown);
}

