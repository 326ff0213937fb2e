using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Demo;

/// <summary>
/// One account per role at sensible places in the demo county (README lists them). Deterministic for a tree and
/// its people, so the README's list stays true: townships, villages and grids are taken in code order. Under the
/// demo city the county's accounts are the same, the administrator's covers the city, and the city center has a
/// commander and a duty officer of its own.
/// </summary>
public static class DemoAccounts
{
    public static IReadOnlyList<NewAccount> For(JurisdictionTree tree, IReadOnlyList<WorkerRecord> workers)
    {
        var root = DemoCounty.CountyIn(tree);
        var accounts = new List<NewAccount>
        {
            new("admin", "系统管理员", Role.Administrator, [tree.Root.Code], null),
            new("commander", $"{root.Name}指挥长", Role.Commander, [root.Code], null),
            new("duty", $"{root.Name}综治中心值班员", Role.DutyOfficer, [root.Code], null),
            new("dept", $"{root.Name}住建局", Role.Department, [root.Code], null),
        };
        if (tree.Root.Level == JurisdictionLevel.City)
        {
            accounts.Add(new NewAccount("city-commander", $"{tree.Root.Name}指挥长", Role.Commander, [tree.Root.Code], null));
            accounts.Add(new NewAccount("city-duty", $"{tree.Root.Name}社会治理中心值班员", Role.DutyOfficer, [tree.Root.Code], null));
        }

        // Demo mode may meet another county than the demo one: the accounts below need its shape and its people,
        // and are left out where it lacks them.
        var townships = tree.ChildrenOf(root.Code);
        if (townships.Count == 0)
            return accounts;
        var firstTownship = townships[0];
        if (tree.ChildrenOf(firstTownship.Code).FirstOrDefault() is { } firstVillage)
            accounts.Add(new NewAccount("village-1", firstVillage.Name, Role.VillageStation, [firstVillage.Code], null));
        accounts.AddRange(townships.Select((township, i) =>
            new NewAccount($"station-{i + 1}", $"{township.Name}综治中心", Role.TownshipStation, [township.Code], null)));

        var inFirstTownship = workers.Where(w => tree.Find(w.GridCode) is not null && tree.IsWithin(w.GridCode, firstTownship.Code))
            .OrderBy(w => w.GridCode, StringComparer.Ordinal).ThenBy(w => w.Id, StringComparer.Ordinal).ToList();
        if (inFirstTownship.FirstOrDefault(w => w.Role == WorkerRole.GridChief) is { } chief)
            accounts.Add(new NewAccount("chief-1", chief.Name, Role.GridChief, [chief.GridCode], chief.Id));
        accounts.AddRange(inFirstTownship.Where(w => w.Role == WorkerRole.GridWorker).Take(3).Select((w, i) =>
            new NewAccount($"worker-{i + 1}", w.Name, Role.GridWorker, [w.GridCode], w.Id)));

        // 警务+网格: an officer covers every grid of the village their own grid is in.
        accounts.AddRange(workers.Where(w => w.Role == WorkerRole.PatrolOfficer && tree.Find(w.GridCode)?.ParentCode is not null)
            .OrderBy(w => w.Id, StringComparer.Ordinal).Take(2).Select((w, i) =>
                new NewAccount($"police-{i + 1}", w.Name, Role.PatrolPolice,
                    tree.ChildrenOf(tree.Find(w.GridCode)!.ParentCode!).Select(g => g.Code).ToList(), w.Id)));
        return accounts;
    }
}
