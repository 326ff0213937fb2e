using CommandCenter.Jurisdictions;
using CommandCenter.Web.Cameras;

namespace CommandCenter.Tests.Cameras;

/// <summary>Which cameras an incident's evidence comes from: the nearest, within the radius.</summary>
public sealed class EvidenceTests
{
    private static CameraRecord At(string id, double northMeters) => new(id, id, "G", 36.5 + northMeters / 111_320.0, 104.2);

    [Fact]
    public void The_nearest_cameras_within_the_radius_come_first()
    {
        CameraRecord[] cameras = [At("far", 800), At("c", 300), At("a", 10), At("b", -120), At("edge", 499)];

        var chosen = EvidenceCollector.Nearest(cameras, 36.5, 104.2, radiusMeters: 500, count: 3);

        Assert.Equal(["a", "b", "c"], chosen.Select(c => c.Id));
        Assert.Equal(["a", "b", "c", "edge"], EvidenceCollector.Nearest(cameras, 36.5, 104.2, 500, 10).Select(c => c.Id));
        Assert.Empty(EvidenceCollector.Nearest(cameras, 36.5, 104.2, 5, 3));
    }
}
