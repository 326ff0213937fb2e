using CommandCenter.Geography;

namespace CommandCenter.Jurisdictions;

/// <summary>A person on the county's books: grid chief, grid worker or patrol officer, bound to a grid; their phone where the county gave it.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] WorkerRole Role,
    [property: Id(3)] string GridCode,
    [property: Id(4)] double HomeLatitude,
    [property: Id(5)] double HomeLongitude,
    [property: Id(6)] string? Phone = null);

/// <summary>A public camera of the 雪亮工程, bound to a grid.</summary>
[GenerateSerializer, Immutable]
public sealed record CameraRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string GridCode,
    [property: Id(3)] double Latitude,
    [property: Id(4)] double Longitude);
