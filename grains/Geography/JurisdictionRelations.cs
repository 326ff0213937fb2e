namespace CommandCenter.Geography;

/// <summary>
/// Checks how features relate: codes are unique, there is exactly one root, each parentCode names another feature one
/// level up. Links each feature that passes to its parent, for the coverage check.
/// </summary>
internal static class JurisdictionRelations
{
    public static void Check(List<ParsedFeature> features, List<GeoJsonProblem> problems)
    {
        var byCode = new Dictionary<string, ParsedFeature>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            if (f.Code is null)
            {
                continue;
            }

            if (byCode.TryGetValue(f.Code, out var first))
            {
                problems.Add(new GeoJsonProblem(f.Index, f.Code, "code", $"duplicate code {f.Code}: feature {first.Index} already has it"));
                f.IsDuplicate = true;
            }
            else
            {
                byCode.Add(f.Code, f);
            }
        }

        var roots = features.Where(f => !f.Broken && f.IsRoot).ToList();
        if (roots.Count == 0)
        {
            problems.Add(new GeoJsonProblem(-1, null, "parentCode", "no root: exactly one feature (the county, or the city above its counties) must have no parentCode"));
        }

        foreach (var extra in roots.Skip(1))
        {
            problems.Add(new GeoJsonProblem(extra.Index, extra.DisplayCode, "parentCode",
                $"parentCode is missing, but only one feature may be the root and feature {roots[0].Index} ({roots[0].DisplayCode ?? "no code"}) already is"));
        }

        foreach (var f in features)
        {
            if (f.ParentCode is null || f.IsDuplicate)
            {
                continue;
            }

            if (!byCode.TryGetValue(f.ParentCode, out var parent))
            {
                problems.Add(new GeoJsonProblem(f.Index, f.DisplayCode, "parentCode", $"unknown parentCode {f.ParentCode}: no feature has that code"));
                continue;
            }

            if (ReferenceEquals(parent, f))
            {
                problems.Add(new GeoJsonProblem(f.Index, f.DisplayCode, "parentCode", "a feature cannot be its own parent"));
                continue;
            }

            if (f.Level is { } level && parent.Level is { } parentLevel && (int)parentLevel != (int)level - 1)
            {
                var expected = level == JurisdictionLevel.City ? "a city has no parent" : $"its parent should be a {((JurisdictionLevel)((int)level - 1)).ToWord()}";
                problems.Add(new GeoJsonProblem(f.Index, f.DisplayCode, "level",
                    $"level {level.ToWord()} is not exactly one below its parent {parent.Code} ({parentLevel.ToWord()}): {expected}"));
                continue;
            }

            f.Parent = parent;
        }
    }
}
