using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>
/// The administrator's edits of the tree, plain code: renaming an area, and moving a grid to a neighbouring village
/// (区划调整), whose outline then takes the grid from its old village (and township, up to the area both share) and
/// adds it to the new one's. The tree they make is imported like a file (with repair, so that the outlines' seams
/// from the cut and the join are tidied within the tolerance), so a move also moves the grid's open cases.
/// </summary>
public static class JurisdictionEdits
{
    /// <summary>The longest name of an area.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Why <paramref name="name"/> cannot name an area, or null.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A name is needed."
        : name.Trim().Length > MaxNameLength ? $"At most {MaxNameLength} characters."
        : name.Any(char.IsControl) ? "A name has no control characters."
        : null;

    /// <summary>The villages other than its own whose outline touches the grid: where it may move.</summary>
    public static IReadOnlyList<Jurisdiction> Neighbours(JurisdictionTree tree, string grid)
    {
        if (tree.Find(grid) is not { Level: JurisdictionLevel.Grid } area)
            return [];
        var envelope = area.Geometry.EnvelopeInternal;
        return tree.All
            .Where(v => v.Level == JurisdictionLevel.Village && v.Code != area.ParentCode
                && v.Geometry.EnvelopeInternal.Intersects(envelope) && v.Geometry.Intersects(area.Geometry))
            .ToList();
    }

    /// <summary>
    /// The areas of the tree with <paramref name="grid"/> under <paramref name="village"/>: the old village and its
    /// ancestors below the area both villages share lose the grid's outline, the new village and its ancestors there
    /// gain it. Null with the field at fault and why when the grid may not move there.
    /// </summary>
    public static (IReadOnlyList<Jurisdiction>? Areas, string Field, string Problem) MoveGrid(JurisdictionTree tree, string grid, string village)
    {
        if (tree.Find(grid) is not { Level: JurisdictionLevel.Grid } area)
            return (null, "code", $"{grid} is not a grid.");
        if (tree.Find(village) is not { Level: JurisdictionLevel.Village } target)
            return (null, "parentCode", $"{village} is not a village.");
        if (area.ParentCode == village)
            return (null, "parentCode", $"The grid is in {target.Name} already.");
        if (tree.ChildrenOf(area.ParentCode!).Count == 1)
            return (null, "code", $"The grid is the only one of {tree.NameOf(area.ParentCode!)}: a village keeps at least one grid.");
        if (!Neighbours(tree, grid).Any(v => v.Code == village))
            return (null, "parentCode", $"{target.Name} does not border the grid: a grid moves to a neighbouring village.");

        var shared = tree.PathToRoot(village).ToHashSet(StringComparer.Ordinal);
        var losing = tree.PathToRoot(area.ParentCode!).TakeWhile(code => !shared.Contains(code)).ToHashSet(StringComparer.Ordinal);
        var common = tree.PathToRoot(area.ParentCode!).First(shared.Contains);
        var gaining = tree.PathToRoot(village).TakeWhile(code => code != common).ToHashSet(StringComparer.Ordinal);
        var areas = tree.All.Select(a =>
            a.Code == grid ? a with { ParentCode = village }
            : losing.Contains(a.Code) ? a with { Geometry = Polygonal.Of(a.Geometry.Difference(area.Geometry)) }
            : gaining.Contains(a.Code) ? a with { Geometry = Polygonal.Of(a.Geometry.Union(area.Geometry)) }
            : a).ToList();
        return (areas, "", "");
    }
}
