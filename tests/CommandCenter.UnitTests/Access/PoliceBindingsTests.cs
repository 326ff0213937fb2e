using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Tests.Geography;

namespace CommandCenter.Tests.Access;

public sealed class PoliceBindingsTests
{
    private static JurisdictionTree Tree => DemoCountyData.Tree;

    private static Jurisdiction VillageWithThreeGrids =>
        Tree.All.First(a => a.Level == JurisdictionLevel.Village && Tree.ChildrenOf(a.Code).Count >= 3);

    private static Account Make(string username, Role role, string? workerId, params string[] jurisdictions) =>
        new(username, username, role, jurisdictions, workerId, "hash", 0, null);

    [Fact]
    public void An_officer_bound_to_a_village_is_bound_to_each_of_its_grids_and_no_other()
    {
        var village = VillageWithThreeGrids;
        var bindings = PoliceBindings.Build([Make("police-1", Role.PatrolPolice, "w-1", village.Code)], Tree);

        foreach (var grid in Tree.ChildrenOf(village.Code))
            Assert.Equal([new BoundOfficer("police-1", "w-1")], bindings.For(grid.Code));
        var elsewhere = Tree.All.First(a => a.Level == JurisdictionLevel.Grid && !Tree.IsWithin(a.Code, village.Code));
        Assert.Empty(bindings.For(elsewhere.Code));
        Assert.False(bindings.IsBound("w-1", elsewhere.Code));
        Assert.True(bindings.IsBound("w-1", Tree.ChildrenOf(village.Code)[0].Code));
    }

    [Fact]
    public void Officers_bound_to_a_grid_are_listed_by_username_and_only_patrol_police_with_a_person_count()
    {
        var grids = Tree.ChildrenOf(VillageWithThreeGrids.Code);
        var bindings = PoliceBindings.Build(
        [
            Make("police-b", Role.PatrolPolice, "w-b", grids[0].Code, grids[1].Code),
            Make("police-a", Role.PatrolPolice, "w-a", grids[0].Code),
            Make("police-nobody", Role.PatrolPolice, null, grids[0].Code),
            Make("worker-1", Role.GridWorker, "w-1", grids[0].Code),
            Make("police-gone", Role.PatrolPolice, "w-g", "620402999999999"),
        ], Tree);

        Assert.Equal(["police-a", "police-b"], bindings.For(grids[0].Code).Select(o => o.Username));
        Assert.Equal(["police-b"], bindings.For(grids[1].Code).Select(o => o.Username));
        Assert.Empty(bindings.For(grids[2].Code));
        Assert.Empty(bindings.For("620402999999999"));
    }
}
