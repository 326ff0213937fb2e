using CommandCenter.Feeds;
using CommandCenter.Geography;

namespace CommandCenter.Jurisdictions;

[GenerateSerializer, Immutable]
public sealed record JurisdictionRef(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] JurisdictionLevel Level);

[GenerateSerializer, Immutable]
public sealed record JurisdictionOverview(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] JurisdictionLevel Level,
    [property: Id(3)] string? ParentCode,
    [property: Id(4)] IReadOnlyList<JurisdictionRef> Path,
    [property: Id(5)] IReadOnlyList<JurisdictionRef> Children,
    [property: Id(6)] int Workers,
    [property: Id(7)] int Cameras,
    [property: Id(8)] FeedCounters Counters,
    [property: Id(9)] double[] Bounds);

/// <summary>A county, township, village or grid (keyed by its code): who and what is in it, and how it is doing.</summary>
public interface IJurisdictionGrain : IGrainWithStringKey
{
    Task<JurisdictionOverview?> Get();
}

