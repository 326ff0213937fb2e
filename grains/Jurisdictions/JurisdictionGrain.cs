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

public sealed class JurisdictionGrain(JurisdictionDirectory directory) : Grain, IJurisdictionGrain
{
    public async Task<JurisdictionOverview?> Get()
    {
        var code = this.GetPrimaryKeyString();
        if (directory.Tree is not { } tree || tree.Find(code) is not { } area)
            return null;

        var snapshot = await GrainFactory.GetGrain<IFeedGrain>(code).Snapshot();
        var envelope = area.Geometry.EnvelopeInternal;
        return new JurisdictionOverview(
            area.Code, area.Name, area.Level, area.ParentCode,
            tree.PathToRoot(code).Reverse().Select(c => Ref(tree.Find(c)!)).ToList(),
            tree.ChildrenOf(code).Select(Ref).ToList(),
            directory.WorkersIn(code).Count,
            directory.CamerasIn(code).Count,
            snapshot.Counters,
            [envelope.MinY, envelope.MinX, envelope.MaxY, envelope.MaxX]);
    }

    private static JurisdictionRef Ref(Jurisdiction j) => new(j.Code, j.Name, j.Level);
}
