using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Workers;

/// <summary>
/// Reads the county's people from a table (a CSV's records or a spreadsheet's first sheet): grid workers, grid chiefs
/// and patrol officers, each with an id, a name, a role, the grid they are bound to and a phone where the county has
/// one; headers in English or as the county's lists name them (编号, 姓名, 角色, 网格, 电话). Every row is checked; the
/// API imports all or nothing. Each person's home position (where the demo simulator walks them from) is their grid's centre.
/// </summary>
public static class PeopleImport
{
    public const int MaxPeople = 50_000;
    public const int MaxNameLength = 32;

    public sealed record Result(IReadOnlyList<WorkerRecord> People, IReadOnlyList<ImportProblem> Problems);

    private static readonly (string Name, string[] Headers, bool Required)[] Columns =
    [
        ("id", ["id", "编号", "人员编号", "工号"], true), ("name", ["name", "姓名"], true), ("role", ["role", "角色", "身份"], true),
        ("grid", ["grid", "网格", "网格编码", "所属网格"], true), ("phone", ["phone", "电话", "手机", "手机号"], false),
    ];

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
            return new Result([], [new ImportProblem(0, null, "header", "Empty: the first row names the columns id, name, role, grid and phone (编号, 姓名, 角色, 网格, 电话).")]);
        var (columns, missing) = TableColumns.Find(lines[0], Columns);
        if (missing.Count > 0)
            return new Result([], [new ImportProblem(0, null, "header", $"Missing columns: {string.Join(", ", missing)}.")]);
        var rows = TableColumns.Rows(lines).ToList();
        if (rows.Count > MaxPeople)
            return new Result([], [new ImportProblem(0, null, "$", $"At most {MaxPeople} people in one import (got {rows.Count}).")]);

        var problems = new List<ImportProblem>();
        var people = new List<WorkerRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (cells, row) in rows)
        {
            string? Cell(int column) => TableColumns.Cell(cells, columns[column]);
            var (id, name, roleText, grid, phone) = (Cell(0), Cell(1), Cell(2), Cell(3), Cell(4));
            var before = problems.Count;
            void Fail(string field, string message) => problems.Add(new ImportProblem(row, id, field, message));
            if (ImportProblem.IdProblem(id, seen) is { } idProblem)
                Fail("id", idProblem);
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
                Fail("name", $"1 to {MaxNameLength} characters.");
            if (!TryRole(roleText, out var role))
                Fail("role", "One of 网格员 (gridWorker), 网格长 (gridChief), 民警 (patrolOfficer).");
            if (tree.Find(grid ?? "") is not { Level: JurisdictionLevel.Grid })
                Fail("grid", string.IsNullOrEmpty(grid)
                    ? "The code of the grid the person is bound to."
                    : $"No grid {grid} in the county: one grid's code (an officer is bound to more grids through his account's jurisdictions).");
            if (!string.IsNullOrEmpty(phone) && (phone.Length is < 5 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ')))
                Fail("phone", "5 to 20 characters: digits, '+', '-' and spaces.");
            if (problems.Count > before)
                continue;
            var (lat, lng) = tree.CenterOf(grid!);
            people.Add(new WorkerRecord(id!, name!, role, grid!, lat, lng, string.IsNullOrEmpty(phone) ? null : phone));
        }
        return new Result(problems.Count > 0 ? [] : people, problems);
    }
}
