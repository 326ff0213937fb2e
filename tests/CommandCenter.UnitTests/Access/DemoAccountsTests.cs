using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Geography;

namespace CommandCenter.Tests.Access;

public sealed class DemoAccountsTests
{
    private static readonly Lazy<IReadOnlyList<WorkerRecord>> LazyWorkers = new(() =>
        DemoCounty.Workers(DemoCountyData.Tree).Select(w => new WorkerRecord(w.Id, w.Name, w.Role, w.GridCode, w.Latitude, w.Longitude)).ToList());

    private static readonly Lazy<IReadOnlyList<NewAccount>> LazyAccounts = new(() => DemoAccounts.For(DemoCountyData.Tree, Workers));

    private static IReadOnlyList<WorkerRecord> Workers => LazyWorkers.Value;

    private static IReadOnlyList<NewAccount> Accounts => LazyAccounts.Value;

    private static NewAccount Named(string username) => Assert.Single(Accounts, a => a.Username == username);

    [Fact]
    public void A_county_without_people_still_gets_the_county_and_station_accounts()
    {
        var accounts = DemoAccounts.For(DemoCountyData.Tree, []);

        Assert.Equal(["admin", "commander", "duty", "dept", "village-1", .. Enumerable.Range(1, 10).Select(i => $"station-{i}")],
            accounts.Select(a => a.Username));
    }

    [Fact]
    public void Usernames_are_the_ones_the_README_lists_in_order()
    {
        string[] expected =
        [
            "admin", "commander", "duty", "dept", "village-1",
            .. Enumerable.Range(1, 10).Select(i => $"station-{i}"),
            "chief-1", "worker-1", "worker-2", "worker-3", "police-1", "police-2",
        ];

        Assert.Equal(expected, Accounts.Select(a => a.Username));
    }

    [Fact]
    public void Every_role_but_Integration_and_Citizen_has_an_account_and_they_have_none()
    {
        var roles = Accounts.Select(a => a.Role).ToHashSet();

        Assert.Equal(Enum.GetValues<Role>().Where(r => r is not (Role.Integration or Role.Citizen)).ToHashSet(), roles);
    }

    [Theory]
    [InlineData("admin", Role.Administrator)]
    [InlineData("commander", Role.Commander)]
    [InlineData("duty", Role.DutyOfficer)]
    [InlineData("dept", Role.Department)]
    public void County_wide_accounts_are_bound_to_the_root_with_their_role(string username, Role role)
    {
        var account = Named(username);

        Assert.Equal(role, account.Role);
        Assert.Equal([DemoCountyData.Tree.Root.Code], account.Jurisdictions);
    }

    [Fact]
    public void Each_township_has_one_station_account_bound_to_it_in_code_order()
    {
        var townships = DemoCountyData.Tree.ChildrenOf(DemoCountyData.Tree.Root.Code);
        Assert.Equal(10, townships.Count);

        for (var i = 0; i < townships.Count; i++)
        {
            var station = Named($"station-{i + 1}");
            Assert.Equal(Role.TownshipStation, station.Role);
            Assert.Equal([townships[i].Code], station.Jurisdictions);
        }

        Assert.Equal(
            townships.Select(t => t.Code).Order(StringComparer.Ordinal),
            Accounts.Where(a => a.Role == Role.TownshipStation).Select(a => Assert.Single(a.Jurisdictions)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Village_account_is_a_village_station_bound_to_a_village_of_the_first_township()
    {
        var village = Named("village-1");
        var code = Assert.Single(village.Jurisdictions);
        var area = DemoCountyData.Tree.Find(code);

        Assert.Equal(Role.VillageStation, village.Role);
        Assert.NotNull(area);
        Assert.Equal(JurisdictionLevel.Village, area!.Level);
        Assert.True(DemoCountyData.Tree.IsWithin(code, Named("station-1").Jurisdictions[0]));
    }

    [Fact]
    public void Every_jurisdiction_of_every_account_exists_in_the_tree()
    {
        foreach (var account in Accounts)
        {
            Assert.NotEmpty(account.Jurisdictions);
            foreach (var code in account.Jurisdictions)
            {
                Assert.True(DemoCountyData.Tree.Find(code) is not null, $"{account.Username}: unknown jurisdiction {code}");
            }
        }
    }

    [Fact]
    public void Usernames_are_unique_and_valid_account_names()
    {
        Assert.Equal(Accounts.Count, Accounts.Select(a => a.Username).Distinct(StringComparer.Ordinal).Count());
        foreach (var account in Accounts)
        {
            Assert.True(AccountNames.IsValid(account.Username), account.Username);
            Assert.Equal(account.Username, AccountNames.Normalize(account.Username));
        }
    }

    [Fact]
    public void Field_accounts_name_a_worker_of_the_matching_role_whose_grid_is_in_their_jurisdictions()
    {
        var byId = Workers.ToDictionary(w => w.Id, StringComparer.Ordinal);
        var expectedRole = new Dictionary<Role, WorkerRole>
        {
            [Role.GridChief] = WorkerRole.GridChief,
            [Role.GridWorker] = WorkerRole.GridWorker,
            [Role.PatrolPolice] = WorkerRole.PatrolOfficer,
        };

        var field = Accounts.Where(a => expectedRole.ContainsKey(a.Role)).ToList();
        Assert.Equal(6, field.Count);
        foreach (var account in field)
        {
            Assert.NotNull(account.WorkerId);
            Assert.True(byId.TryGetValue(account.WorkerId!, out var worker), $"{account.Username}: no worker {account.WorkerId}");
            Assert.Equal(expectedRole[account.Role], worker!.Role);
            Assert.Equal(worker.Name, account.DisplayName);
            Assert.Contains(worker.GridCode, account.Jurisdictions);
        }

        Assert.Equal(field.Count, field.Select(a => a.WorkerId).Distinct().Count());
        Assert.All(Accounts.Except(field), a => Assert.Null(a.WorkerId));
    }

    [Fact]
    public void Chief_and_workers_are_bound_to_one_grid_of_the_first_township()
    {
        var firstTownship = Named("station-1").Jurisdictions[0];

        foreach (var username in new[] { "chief-1", "worker-1", "worker-2", "worker-3" })
        {
            var grid = Assert.Single(Named(username).Jurisdictions);
            Assert.Equal(JurisdictionLevel.Grid, DemoCountyData.Tree.Find(grid)!.Level);
            Assert.True(DemoCountyData.Tree.IsWithin(grid, firstTownship), $"{username}: {grid} outside {firstTownship}");
        }
    }

    [Fact]
    public void Police_accounts_cover_every_grid_of_their_village_and_more_than_one()
    {
        foreach (var username in new[] { "police-1", "police-2" })
        {
            var police = Named(username);
            Assert.Equal(Role.PatrolPolice, police.Role);
            Assert.True(police.Jurisdictions.Count > 1, $"{username} has {police.Jurisdictions.Count} grid(s)");

            var village = DemoCountyData.Tree.Find(police.Jurisdictions[0])!.ParentCode!;
            Assert.Equal(DemoCountyData.Tree.ChildrenOf(village).Select(g => g.Code), police.Jurisdictions);
        }
    }

    [Fact]
    public void Every_account_as_a_caller_may_view_its_own_jurisdictions()
    {
        foreach (var account in Accounts)
        {
            var caller = new Account(account.Username, account.DisplayName, account.Role, account.Jurisdictions, account.WorkerId, "hash", 0, null).ToCaller();
            foreach (var code in account.Jurisdictions)
            {
                var decision = AccessPolicy.Decide(caller, AccessAction.ViewJurisdictions, code, DemoCountyData.Tree);
                Assert.True(decision == AccessDecision.Allowed, $"{account.Username} on {code}: {decision}");
            }
        }
    }

    [Fact]
    public void The_result_is_deterministic()
    {
        var first = DemoAccounts.For(DemoCountyData.Tree, Workers);
        var second = DemoAccounts.For(DemoCountyData.Tree, Workers.Reverse().ToList());

        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal(Describe(Accounts), Describe(first));
    }

    private static IEnumerable<string> Describe(IEnumerable<NewAccount> accounts) =>
        accounts.Select(a => $"{a.Username} {a.Role} {a.WorkerId} [{string.Join(",", a.Jurisdictions)}]");
}
