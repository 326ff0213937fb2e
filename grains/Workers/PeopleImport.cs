using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Workers;

/// <summary>
/// Reads the county's people from a table (a CSV's records or a spreadsheet's first sheet): grid workers, grid chiefs
/// and patrol officers, each with an id, a name, a role, the grid they are bound to and a phone where the county has
/// one, and optionally the account they sign in with; headers in English or as the county's lists name them (编号,
/// 姓名, 角色, 网格, 电话, 账号). A person with an account may list several grids (an officer of 警务+网格, a chief of
/// several grids): the person is bound to the first, and the account covers them all. Every row is checked; the API
/// imports all or nothing. Each person's home position (where the demo simulator walks them from) is their grid's centre.
/// </summary>
public static class PeopleImport
{
    public const int MaxPeople = 50_000;
    public const int MaxNameLength = 32;
    public const int MaxGrids = 64;

    /// <summary>The account a row names: created for the person, or, when it is theirs already, given the row's grids.</summary>
    public sealed record PersonAccount(int Row, string Username, WorkerRecord Person, IReadOnlyList<string> Grids)
    {
        /// <summary>The account as the import makes it: the person's name, the role of their kind, their grids.</summary>
        public NewAccount ToAccount() => new(Username, Person.Name, RoleOf(Person.Role), Grids, Person.Id);
    }

    public sealed record Result(IReadOnlyList<WorkerRecord> People, IReadOnlyList<PersonAccount> Accounts, IReadOnlyList<ImportProblem> Problems);

    private static readonly (string Name, string[] Headers, bool Required)[] Columns =
    [
        ("id", ["id", "编号", "人员编号", "工号"], true), ("name", ["name", "姓名"], true), ("role", ["role", "角色", "身份"], true),
        ("grid", ["grid", "grids", "网格", "网格编码", "所属网格"], true), ("phone", ["phone", "电话", "手机", "手机号"], false),
        ("account", ["account", "username", "账号", "用户名", "登录账号"], false),
    ];

    private static readonly char[] GridSeparators = [';', '；', '、', ',', '，', '|', ' '];

    /// <summary>The account role of a kind of person.</summary>
    public static Role RoleOf(WorkerRole role) => role switch
    {
        WorkerRole.GridChief => Role.GridChief,
        WorkerRole.PatrolOfficer => Role.PatrolPolice,
        _ => Role.GridWorker,
    };

    /// <summary>The role words a list may use: the API's, and the Chinese the county's lists use.</summary>
    public static bool TryRole(string? text, out WorkerRole role)
    {
        (var known, role) = (text ?? "").Trim() switch
        {
            "gridWorker" or "网格员" or "专职网格员" or "兼职网格员" => (true, WorkerRole.GridWorker),
            "gridChief" or "网格长" => (true, WorkerRole.GridChief),
            "patrolOfficer" or "民警" or "社区民警" or "巡逻民警" or "辅警" => (true, WorkerRole.PatrolOfficer),
            _ => (false, WorkerRole.GridWorker),
        };
        return known;
    }

    public static Result ReadTable(IReadOnlyList<IReadOnlyList<string>> lines, JurisdictionTree tree)
    {
        if (lines.Count == 0)
            return new Result([], [], [new ImportProblem(0, null, "header", "Empty: the first row names the columns id, name, role, grid and phone (编号, 姓名, 角色, 网格, 电话).")]);
        var (columns, missing) = TableColumns.Find(lines[0], Columns);
        if (missing.Count > 0)
            return new Result([], [], [new ImportProblem(0, null, "header", $"Missing columns: {string.Join(", ", missing)}.")]);
        var rows = TableColumns.Rows(lines).ToList();
        if (rows.Count > MaxPeople)
            return new Result([], [], [new ImportProblem(0, null, "$", $"At most {MaxPeople} people in one import (got {rows.Count}).")]);

        var problems = new List<ImportProblem>();
        var people = new List<WorkerRecord>();
        var accounts = new List<PersonAccount>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (cells, row) in rows)
        {
            string? Cell(int column) => TableColumns.Cell(cells, columns[column]);
            var (id, name, roleText, gridCell, phone) = (Cell(0), Cell(1), Cell(2), Cell(3), Cell(4));
            var username = Cell(5) is { Length: > 0 } named ? AccountNames.Normalize(named) : null;
            var grids = (gridCell ?? "").Split(GridSeparators, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
            var grid = grids.FirstOrDefault();
            var before = problems.Count;
            void Fail(string field, string message) => problems.Add(new ImportProblem(row, id, field, message));
            if (ImportProblem.IdProblem(id, seen) is { } idProblem)
                Fail("id", idProblem);
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
                Fail("name", $"1 to {MaxNameLength} characters.");
            if (!TryRole(roleText, out var role))
                Fail("role", "One of 网格员 (gridWorker), 网格长 (gridChief), 民警 (patrolOfficer).");
            if (grids.Count == 0)
                Fail("grid", "The code of the grid the person is bound to.");
            else if (grids.FirstOrDefault(g => tree.Find(g) is not { Level: JurisdictionLevel.Grid }) is { } unknown)
                Fail("grid", $"No grid {unknown} in the county.");
            else if (grids.Count > MaxGrids)
                Fail("grid", $"At most {MaxGrids} grids.");
            else if (grids.Count > 1 && username is null)
                Fail("grid", "Several grids need the person's account (账号): the person is bound to the first, the account to all.");
            if (username is not null && !AccountNames.IsValid(username))
                Fail("account", "Lowercase letters, digits, '-', '_' and '.', starting with a letter or digit.");
            else if (username is not null && !usernames.Add(username))
                Fail("account", $"The account {username} is named by another row as well.");
            if (!string.IsNullOrEmpty(phone) && (phone.Length is < 5 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ')))
                Fail("phone", "5 to 20 characters: digits, '+', '-' and spaces.");
            if (problems.Count > before)
                continue;
            var (lat, lng) = tree.CenterOf(grid!);
            var person = new WorkerRecord(id!, name!, role, grid!, lat, lng, string.IsNullOrEmpty(phone) ? null : phone);
            people.Add(person);
            if (username is not null)
                accounts.Add(new PersonAccount(row, username, person, grids));
        }
        return problems.Count > 0 ? new Result([], [], problems) : new Result(people, accounts, []);
    }
}
