using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Geography;
using CommandCenter.Workers;

namespace CommandCenter.Tests.Workers;

/// <summary>The county's people lists as it keeps them (Chinese headers and roles, its own order of columns), every bad row named.</summary>
public sealed class PeopleImportTests
{
    private static readonly JurisdictionTree Tree = DemoCountyData.Tree;

    private static string Grid(int index) => DemoCountyData.AtLevel(JurisdictionLevel.Grid).ElementAt(index).Code;

    private static IReadOnlyList<IReadOnlyList<string>> Table(params string[][] rows) => rows;

    [Fact]
    public void A_list_with_chinese_headers_and_roles_gives_each_person_their_grid_role_phone_and_home_at_the_grids_centre()
    {
        var result = PeopleImport.ReadTable(Table(
            ["姓名", "人员编号", "手机", "所属网格", "身份"],
            ["张三", "P-001", "13900000001", Grid(0), "专职网格员"],
            ["", "", "", "", ""],
            ["李四", "P-002", "", Grid(1), "网格长"],
            ["王警官", "P-003", "0943-8221234", Grid(2), "社区民警"]), Tree);

        Assert.Empty(result.Problems);
        Assert.Equal(
            [("P-001", "张三", WorkerRole.GridWorker, Grid(0), (string?)"13900000001"), ("P-002", "李四", WorkerRole.GridChief, Grid(1), null),
             ("P-003", "王警官", WorkerRole.PatrolOfficer, Grid(2), "0943-8221234")],
            result.People.Select(p => (p.Id, p.Name, p.Role, p.GridCode, p.Phone)));
        Assert.Equal(Tree.CenterOf(Grid(1)), (result.People[1].HomeLatitude, result.People[1].HomeLongitude));
    }

    [Fact]
    public void Every_bad_row_is_named_by_its_row_and_field_and_nobody_is_taken()
    {
        var village = DemoCountyData.AtLevel(JurisdictionLevel.Village).First().Code;
        var result = PeopleImport.ReadTable(Table(
            ["id", "name", "role", "grid", "phone"],
            ["P-1", "好人", "gridWorker", Grid(0), ""],
            ["P-1", "重号", "gridWorker", Grid(0), ""],
            ["P 2", "", "书记", village, "call me"],
            ["P-3", "多网格民警", "民警", $"{Grid(0)};{Grid(1)}", ""]), Tree);

        Assert.Empty(result.People);
        Assert.Equal(
            [(2, "id"), (3, "id"), (3, "name"), (3, "role"), (3, "grid"), (3, "phone"), (4, "grid")],
            result.Problems.Select(p => (p.Row, p.Field)));
        Assert.Contains("account", result.Problems[^1].Message);
    }

    [Fact]
    public void A_list_without_its_columns_is_refused_by_its_header()
    {
        var result = PeopleImport.ReadTable(Table(["编号", "姓名", "电话"], ["P-1", "张三", "139"]), Tree);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((0, "header"), (problem.Row, problem.Field));
        Assert.Contains("role, grid", problem.Message);
    }

    [Fact]
    public void An_officer_with_an_account_covers_several_grids_and_is_bound_to_the_first()
    {
        var result = PeopleImport.ReadTable(Table(
            ["编号", "姓名", "角色", "网格", "账号"],
            ["P-010", "赵警官", "民警", $"{Grid(4)}、{Grid(5)};{Grid(6)}", "Zhao.Police"],
            ["P-011", "钱网格长", "网格长", Grid(7), "qian-chief"],
            ["P-012", "孙网格员", "网格员", Grid(8), ""]), Tree);

        Assert.Empty(result.Problems);
        Assert.Equal(Grid(4), result.People[0].GridCode);
        var officer = result.Accounts[0].ToAccount();
        Assert.Equal(("zhao.police", "赵警官", CommandCenter.Access.Role.PatrolPolice, "P-010"), (officer.Username, officer.DisplayName, officer.Role, officer.WorkerId));
        Assert.Equal([Grid(4), Grid(5), Grid(6)], officer.Jurisdictions);
        Assert.Equal((2, CommandCenter.Access.Role.GridChief), (result.Accounts[1].Row, result.Accounts[1].ToAccount().Role));
        Assert.Equal(2, result.Accounts.Count);
    }

    [Fact]
    public void Several_grids_without_an_account_a_bad_account_name_or_one_named_twice_are_refused_by_row()
    {
        var result = PeopleImport.ReadTable(Table(
            ["id", "name", "role", "grid", "account"],
            ["P-020", "甲", "patrolOfficer", $"{Grid(1)};{Grid(2)}", ""],
            ["P-021", "乙", "patrolOfficer", Grid(3), "not a name"],
            ["P-022", "丙", "gridWorker", Grid(3), "bing"],
            ["P-023", "丁", "gridWorker", $"{Grid(3)};NOPE", "bing"]), Tree);

        Assert.Empty(result.People);
        Assert.Empty(result.Accounts);
        Assert.Equal([(1, "grid"), (2, "account"), (4, "grid"), (4, "account")], result.Problems.Select(p => (p.Row, p.Field)));
        Assert.Contains("need the person's account", result.Problems[0].Message);
        Assert.Equal("No grid NOPE in the county.", result.Problems[2].Message);
        Assert.Equal("The account bing is named by another row as well.", result.Problems[3].Message);
    }
}
