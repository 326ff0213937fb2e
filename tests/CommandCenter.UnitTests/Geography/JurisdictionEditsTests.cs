using CommandCenter.Geography;

namespace CommandCenter.Tests.Geography;

/// <summary>
/// Moving a grid of the tiny county to a neighbouring village: 西村第2网格 (G2, [104.005, 104.010]) borders 东村 (V2,
/// from 104.010); the villages' and townships' outlines follow it, and the tree it makes imports without repair.
/// </summary>
public sealed class JurisdictionEditsTests
{
    private static readonly JurisdictionTree Tree = TinyCounty.Parse(TinyCounty.Collection()).Tree!;

    [Fact]
    public void A_grid_moves_to_a_bordering_village_and_both_branches_outlines_follow_it_up_to_the_county()
    {
        Assert.Equal(["V2"], JurisdictionEdits.Neighbours(Tree, "G2").Select(v => v.Code));
        Assert.Empty(JurisdictionEdits.Neighbours(Tree, "G1"));

        var (areas, _, problem) = JurisdictionEdits.MoveGrid(Tree, "G2", "V2");

        Assert.True(areas is not null, problem);
        var moved = JurisdictionGeoJson.Parse(JurisdictionGeoJson.Write(areas));
        Assert.True(moved.Succeeded, string.Join("; ", moved.Problems));
        var tree = moved.Tree!;
        Assert.Equal(["G2", "V2", "T2", "C"], tree.PathToRoot("G2"));
        Assert.Equal(["G1"], tree.ChildrenOf("V1").Select(g => g.Code));
        Assert.Equal(Tree.Find("G1")!.Geometry.Area, tree.Find("V1")!.Geometry.Area, 12);
        Assert.Equal(Tree.Find("G1")!.Geometry.Area, tree.Find("T1")!.Geometry.Area, 12);
        Assert.Equal(Tree.Find("V2")!.Geometry.Area + Tree.Find("G2")!.Geometry.Area, tree.Find("T2")!.Geometry.Area, 12);
        Assert.Equal(Tree.Find("C")!.Geometry.Area, tree.Find("C")!.Geometry.Area, 12);
        Assert.Equal("G2", tree.LocateGrid(36.005, 104.007)!.Code);
    }

    [Fact]
    public void A_grid_does_not_move_to_a_village_it_does_not_border_nor_leave_its_village_without_grids()
    {
        Assert.Equal(("parentCode", "东村 does not border the grid: a grid moves to a neighbouring village."), Refusal("G1", "V2"));
        Assert.Equal(("code", "The grid is the only one of 东村: a village keeps at least one grid."), Refusal("G3", "V1"));
        Assert.Equal(("parentCode", "The grid is in 西村 already."), Refusal("G2", "V1"));
        Assert.Equal(("parentCode", "T2 is not a village."), Refusal("G2", "T2"));
        Assert.Equal(("code", "V1 is not a grid."), Refusal("V1", "V2"));
    }

    private static (string, string) Refusal(string grid, string village)
    {
        var (areas, field, problem) = JurisdictionEdits.MoveGrid(Tree, grid, village);
        Assert.Null(areas);
        return (field, problem);
    }

    [Theory]
    [InlineData("", "A name is needed.")]
    [InlineData("   ", "A name is needed.")]
    [InlineData("第一\n网格", "A name has no control characters.")]
    public void A_name_is_refused_blank_too_long_or_with_control_characters(string name, string problem) =>
        Assert.Equal(problem, JurisdictionEdits.NameProblem(name));

    [Fact]
    public void A_name_of_up_to_64_characters_is_taken()
    {
        Assert.Null(JurisdictionEdits.NameProblem(new string('村', 64)));
        Assert.Equal("At most 64 characters.", JurisdictionEdits.NameProblem(new string('村', 65)));
    }
}
