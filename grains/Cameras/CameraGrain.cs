using CommandCenter.Jurisdictions;

namespace CommandCenter.Cameras;

[GenerateSerializer]
public enum CameraStatus
{
    /// <summary>Not probed yet.</summary>
    Unknown,
    Online,
    Offline,
}

[GenerateSerializer, Immutable]
public sealed record CameraView(
    [property: Id(0)] CameraRecord Camera,
    [property: Id(1)] CameraStatus Status);

/// <summary>A public camera of the 雪亮工程. Health probing and snapshots come with the cameras issue (#6).</summary>
public interface ICameraGrain : IGrainWithStringKey
{
    Task<CameraView?> Get();
}

public sealed class CameraGrain(JurisdictionDirectory directory) : Grain, ICameraGrain
{
    public Task<CameraView?> Get() =>
        Task.FromResult(directory.Camera(this.GetPrimaryKeyString()) is { } camera
            ? new CameraView(camera, CameraStatus.Unknown)
            : null);
}
