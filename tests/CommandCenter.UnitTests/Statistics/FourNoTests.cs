using CommandCenter.Statistics;

namespace CommandCenter.UnitTests.Statistics;

public sealed class FourNoTests
{
    [Fact]
    public void A_village_has_each_flag_when_its_year_holds_none_of_that_kind()
    {
        var clean = FourNo.Flags(new VillageYear("V1", LitigationCases: null, CriminalCases: 0, PublicSecurityCases: 0, DisputeBacklog: 0));
        var sued = FourNo.Flags(new VillageYear("V2", LitigationCases: 2, CriminalCases: 0, PublicSecurityCases: 0, DisputeBacklog: 0));
        var backlog = FourNo.Flags(new VillageYear("V3", LitigationCases: 0, CriminalCases: 0, PublicSecurityCases: 1, DisputeBacklog: 3));

        Assert.True(clean.AllFour);
        Assert.Equal((false, true, true, true, false), (sued.NoLitigation, sued.NoCriminalCase, sued.NoPublicSecurityCase, sued.NoDisputeBacklog, sued.AllFour));
        Assert.Equal((true, true, false, false, false), (backlog.NoLitigation, backlog.NoCriminalCase, backlog.NoPublicSecurityCase, backlog.NoDisputeBacklog,
            backlog.AllFour));
    }

    [Fact]
    public void The_counts_are_like_the_Liangdang_figures()
    {
        // Liangdang 2021: of 121 villages 100 without litigation, 105 without criminal cases, 90 without public-security
        // cases, 118 without a dispute backlog, 68 with all four.
        var villages = Enumerable.Range(0, 121).Select(i => new FourNoFlags($"V{i:000}", NoLitigation: i < 100, NoCriminalCase: i >= 16,
            NoPublicSecurityCase: i < 84 || i is >= 100 and < 106, NoDisputeBacklog: i < 118)).ToList();

        var counts = FourNo.Count(villages);

        Assert.Equal((121, 100, 105, 90, 118), (counts.Villages, counts.NoLitigation, counts.NoCriminalCase, counts.NoPublicSecurityCase, counts.NoDisputeBacklog));
        Assert.Equal(68, counts.AllFour);
        Assert.Equal(68 / 121.0, counts.AllFourShare!.Value, 6);
        Assert.Null(FourNo.Count([]).AllFourShare);
    }
}
