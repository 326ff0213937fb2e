using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>One code a re-import drops and one area of the new tree that takes over from it (a split lists several).</summary>
public sealed record Succession(string Code, string Successor);

/// <summary>
/// Where the areas a re-import drops went (a grid split in two, two grids merged, a village's new code): the rule of
/// a re-import without loss. Every code of the current tree that the new tree lacks must be named here with its
/// successors, areas of the new tree at the same level; a code still in the new tree takes none. What was bound to a
/// dropped grid goes to the successor at its place (a person's home, a camera's or a case's position), or, when no
/// successor contains that place, to the nearest one. Plain code: the store checks a request with it inside the
/// import's transaction, and the incidents are moved by it after the commit.
/// </summary>
public sealed class JurisdictionSuccessors
{
    /// <summary>The request parameter and the field its problems name.</summary>
    public const string Field = "successors";

    public static readonly JurisdictionSuccessors None = new(new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _byCode;

    private JurisdictionSuccessors(IReadOnlyDictionary<string, IReadOnlyList<string>> byCode) => _byCode = byCode;

    /// <summary>The dropped codes, each with its successors in the order named.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ByCode => _byCode;

    public bool IsEmpty => _byCode.Count == 0;

    /// <summary>
    /// Reads <c>old=new</c> pairs separated by commas, semicolons or line breaks (<c>G7=G7a,G7=G7b</c> splits G7;
    /// <c>G8=G9,G10=G9</c> merges G8 and G10 into G9). Null with the problems when a pair is not of that form.
    /// </summary>
    public static (IReadOnlyList<Succession>? Pairs, IReadOnlyList<GeoJsonProblem> Problems) Parse(string? text)
    {
        var pairs = new List<Succession>();
        var problems = new List<GeoJsonProblem>();
        foreach (var part in (text ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var sides = part.Split('=', StringSplitOptions.TrimEntries);
            if (sides.Length != 2 || sides[0].Length == 0 || sides[1].Length == 0 || sides.Any(s => s.Any(char.IsWhiteSpace)))
                problems.Add(new GeoJsonProblem(-1, null, Field, $"'{part}' is not a pair old=new (for a split, one pair per successor: G7=G7a,G7=G7b)."));
            else if (!pairs.Contains(new Succession(sides[0], sides[1])))
                pairs.Add(new Succession(sides[0], sides[1]));
        }
        return problems.Count > 0 ? (null, problems) : (pairs, []);
    }

    /// <summary>
    /// Checks <paramref name="pairs"/> against the current tree's codes and levels (<paramref name="current"/>) and the
    /// new tree: every code the new tree drops is named, each with successors of its own level in the new tree, and
    /// no code still there is. Null with every problem otherwise.
    /// </summary>
    public static (JurisdictionSuccessors? Successors, IReadOnlyList<GeoJsonProblem> Problems) Check(IReadOnlyList<Succession> pairs,
        IReadOnlyDictionary<string, JurisdictionLevel> current, JurisdictionTree next)
    {
        var problems = new List<GeoJsonProblem>();
        foreach (var pair in pairs)
        {
            if (!current.TryGetValue(pair.Code, out var level))
                problems.Add(new GeoJsonProblem(-1, pair.Code, Field, $"{pair.Code} is not an area of the current tree."));
            else if (next.Find(pair.Code) is not null)
                problems.Add(new GeoJsonProblem(-1, pair.Code, Field, $"{pair.Code} is still in the new tree: only the codes it drops take successors."));
            else if (next.Find(pair.Successor) is not { } successor)
                problems.Add(new GeoJsonProblem(-1, pair.Code, Field, $"{pair.Code}'s successor {pair.Successor} is not in the new tree."));
            else if (successor.Level != level)
            {
                problems.Add(new GeoJsonProblem(-1, pair.Code, Field,
                    $"{pair.Code} is a {Json.Word(level)} but its successor {pair.Successor} a {Json.Word(successor.Level)}."));
            }
        }
        var named = pairs.Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var (code, level) in current.OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (next.Find(code) is null && !named.Contains(code))
            {
                problems.Add(new GeoJsonProblem(-1, code, Field,
                    $"The {Json.Word(level)} {code} is missing from the new tree: name its successors ({Field}={code}=<new code>), so that what is bound to it moves there."));
            }
        }
        if (problems.Count > 0)
            return (null, problems);
        return (new JurisdictionSuccessors(pairs.GroupBy(p => p.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Successor).ToList(), StringComparer.Ordinal)), []);
    }

    /// <summary>The successors recorded by earlier imports (code and successor rows), to find a dropped grid's heir later.</summary>
    public static JurisdictionSuccessors Of(IEnumerable<Succession> recorded) =>
        new(recorded.GroupBy(p => p.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Successor).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal));

    /// <summary>
    /// The grid of <paramref name="tree"/> for what was bound to <paramref name="grid"/> at the place given: the grid
    /// itself while the tree has it, else its successor (followed on while that one is dropped too) at the place, or
    /// the nearest; null when the grid was dropped without a successor.
    /// </summary>
    public string? GridFor(string grid, double latitude, double longitude, JurisdictionTree tree)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var code = grid;
        while (tree.Find(code) is null)
        {
            if (!seen.Add(code) || !_byCode.TryGetValue(code, out var successors) || successors.Count == 0)
                return null;
            code = Nearest(successors, latitude, longitude, tree);
        }
        return code;
    }

    /// <summary>A jurisdiction list (an account's scope) with each dropped code replaced by its successors.</summary>
    public IReadOnlyList<string> Scope(IReadOnlyList<string> codes)
    {
        if (!codes.Any(_byCode.ContainsKey))
            return codes;
        return codes.SelectMany(c => _byCode.TryGetValue(c, out var successors) ? successors : [c]).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Where a case's levels go when its grid and path change: each code keeps its place on the path (the grid
    /// first), so a case lying with its old village lies with its new one; a code that is not on the old path stays.
    /// </summary>
    public static string Level(string code, IReadOnlyList<string> oldPath, IReadOnlyList<string> newPath)
    {
        var index = -1;
        for (var i = 0; i < oldPath.Count; i++)
        {
            if (oldPath[i] == code)
                index = i;
        }
        return index < 0 ? code : newPath[Math.Min(index, newPath.Count - 1)];
    }

    private static string Nearest(IReadOnlyList<string> successors, double latitude, double longitude, JurisdictionTree tree)
    {
        if (tree.LocateGrid(latitude, longitude) is { } here && successors.Contains(here.Code))
            return here.Code;
        var point = new Point(longitude, latitude);
        return successors.Where(s => tree.Find(s) is not null)
            .OrderBy(s => tree.Find(s)!.Geometry.Distance(point))
            .DefaultIfEmpty(successors[0])
            .First();
    }
}
