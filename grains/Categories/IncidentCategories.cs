using System.Text.RegularExpressions;

namespace CommandCenter.Categories;

/// <summary>What a category counts as in the statistics and rankings (a child counts as what it or its parent does).</summary>
public enum CategoryKind
{
    /// <summary>矛盾纠纷: 化解率, and the four-no villages' dispute backlog.</summary>
    Dispute,
    /// <summary>治安案件: the four-no villages' "no public-security case".</summary>
    PublicSecurity,
    /// <summary>刑事案件: the four-no villages' "no criminal case".</summary>
    Criminal,
    SafetyHazard,
    Petition,
}

/// <summary>
/// One category of the configured two-level list: <c>dispute</c> (矛盾纠纷) or <c>dispute.neighbor</c> (邻里纠纷), whose
/// parent is the part of the code before the dot. A retired (inactive) category keeps its name for what was reported
/// in it, and takes no new reports.
/// </summary>
public sealed record IncidentCategory(string Code, string Name, int Order, bool Active, IReadOnlyList<CategoryKind> CountsAs)
{
    /// <summary>The parent's code, or null for a top-level category.</summary>
    public string? Parent => CategoryCodes.ParentOf(Code);
}

/// <summary>The shape of category codes: lower-case letters, digits and hyphens, one dot between a parent and its child.</summary>
public static partial class CategoryCodes
{
    public const int MaxLength = 32;

    public const int MaxNameLength = 16;

    /// <summary>Where a report of an unknown category would go if it were mapped rather than refused (the migration's choice).</summary>
    public const string Other = "other";

    [GeneratedRegex("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)?$")]
    private static partial Regex Shape();

    public static bool IsWellFormed(string code) => code.Length <= MaxLength && Shape().IsMatch(code);

    public static string? ParentOf(string code) => code.IndexOf('.') is var dot and > 0 ? code[..dot] : null;

    /// <summary>Whether <paramref name="code"/> is <paramref name="ancestor"/> or one of its children.</summary>
    public static bool Within(string code, string ancestor) =>
        code == ancestor || (code.Length > ancestor.Length && code[ancestor.Length] == '.' && code.StartsWith(ancestor, StringComparison.Ordinal));
}

/// <summary>The configured list, indexed: names, what each category counts as, and the checks of a report's category and of an edit.</summary>
public sealed class CategoryList
{
    private readonly Dictionary<string, IncidentCategory> _byCode;

    public CategoryList(IEnumerable<IncidentCategory> categories)
    {
        All = categories.OrderBy(c => c.Order).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        _byCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);
    }

    public static CategoryList Empty { get; } = new([]);

    /// <summary>Every category, in list order (a parent before its children when the orders say so).</summary>
    public IReadOnlyList<IncidentCategory> All { get; }

    public IncidentCategory? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The name a page shows: the child's with its parent's, 矛盾纠纷 › 邻里纠纷; the code itself if it is not in the list.</summary>
    public string FullName(string code) =>
        Find(code) is not { } category ? code
        : category.Parent is { } parent && Find(parent) is { } top ? $"{top.Name} › {category.Name}"
        : category.Name;

    /// <summary>Whether reports of <paramref name="code"/> count as <paramref name="kind"/>: its own setting, or its parent's.</summary>
    public bool CountsAs(string code, CategoryKind kind) =>
        Find(code) is { } category
        && (category.CountsAs.Contains(kind) || (category.Parent is { } parent && Find(parent) is { } top && top.CountsAs.Contains(kind)));

    /// <summary>The codes counted as <paramref name="kind"/>, for a query.</summary>
    public IReadOnlyList<string> CodesOf(CategoryKind kind) => All.Where(c => CountsAs(c.Code, kind)).Select(c => c.Code).ToList();

    /// <summary>The code and its children's, for a filter by a category.</summary>
    public IReadOnlyList<string> CodesWithin(string code) => All.Where(c => CategoryCodes.Within(c.Code, code)).Select(c => c.Code).ToList();

    /// <summary>What a caller is told of a code that is not in the list (a report, a filter, an alert choice).</summary>
    public static string NotACategory(string code) => $"'{code}' is not a category; the categories are listed at GET /api/categories.";

    /// <summary>Why a new report may not be of <paramref name="code"/>, or null when it may.</summary>
    public string? RefusalOfReport(string code) =>
        Find(code) is not { } category
            ? All.FirstOrDefault(c => c.Name == code) is { } named
                ? $"A report names its category by code: {named.Name} is '{named.Code}'."
                : NotACategory(code)
        : !category.Active ? $"The category {category.Name} ({code}) is retired; the categories are listed at GET /api/categories."
        : null;

    /// <summary>Why <paramref name="edit"/> may not be saved into this list, or null when it may: (field, reason).</summary>
    public (string Field, string Reason)? RefusalOfEdit(IncidentCategory edit)
    {
        if (!CategoryCodes.IsWellFormed(edit.Code))
            return ("code", "A code is lower-case letters, digits and hyphens, starting with a letter, at most 32 characters; a child's is its parent's code, a dot and its own part (dispute.neighbor).");
        if (string.IsNullOrWhiteSpace(edit.Name) || edit.Name.Length > CategoryCodes.MaxNameLength)
            return ("name", $"A name of 1 to {CategoryCodes.MaxNameLength} characters is required.");
        if (edit.Parent is { } parent && Find(parent) is null)
            return ("code", $"The parent category '{parent}' does not exist; add it first.");
        if (All.FirstOrDefault(c => c.Code != edit.Code && c.Parent == edit.Parent && c.Name == edit.Name.Trim()) is { } twin)
            return ("name", $"The name {twin.Name} is already that of {twin.Code}.");
        if (edit.CountsAs.Distinct().Count() != edit.CountsAs.Count)
            return ("countsAs", "Each kind may be given once.");
        return null;
    }

    /// <summary>The list with <paramref name="edit"/> saved (added, or replacing the category of its code).</summary>
    public CategoryList With(IncidentCategory edit) => new(All.Where(c => c.Code != edit.Code).Append(edit));
}
