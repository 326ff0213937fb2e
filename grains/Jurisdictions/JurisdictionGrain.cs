using CommandCenter.Feeds;
using CommandCenter.Geography;

namespace CommandCenter.Jurisdictions;

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
