using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using static CommandCenter.Geography.JurisdictionGeoJson;

namespace CommandCenter.Geography;

/// <summary>
/// Checks the coverage topology of each parent's children: none sticks out of its parent and no two siblings overlap,
/// beyond the tolerances of <see cref="JurisdictionGeoJson"/>. With repair (<see cref="JurisdictionImportOptions"/>),
/// within its tolerance: a child is clipped to its parent; of two overlapping siblings the later in the file loses the
/// shared part to the earlier; a sliver of the parent that no child covers goes to the child sharing the longest
/// boundary with it. Each change is recorded; anything larger is refused as without repair.
/// </summary>
internal static class JurisdictionCoverage
{
    public static void Check(List<ParsedFeature> features, List<GeoJsonProblem> problems, GeometryReading reading)
    {
        // Children are checked per parent. Fast path: the children plus the parent's complement (a frame with the
        // parent cut out) are run through NTS's CoverageValidator; when edges match exactly (a clean tiling) nothing
        // is flagged, and the children can neither overlap each other nor leave the parent. Only flagged children
        // take the slow path: overlay areas against the parent and, through an STRtree, against their siblings.
        var groups = features
            .Where(f => f.Geometry is not null && f.Parent is not null)
            .GroupBy(f => f.Parent!)
            .OrderBy(g => g.Key.Index);
        foreach (var group in groups)
        {
            var parent = group.Key;
            var children = group.OrderBy(f => f.Index).ToList();
            var flagged = FlagCoverageProblems(children, parent.Geometry);

            for (var i = 0; i < children.Count; i++)
            {
                if (flagged[i] && parent.Geometry is not null)
                {
                    CheckInsideParent(children[i], parent, problems, reading);
                }
            }

            if (!flagged.Contains(true) && children.Count < 2)
            {
                FillGaps(children, parent, reading);
                continue;
            }

            var tree = new STRtree<int>();
            for (var i = 0; i < children.Count; i++)
            {
                tree.Insert(children[i].Geometry!.EnvelopeInternal, i);
            }

            tree.Build();
            for (var i = 0; i < children.Count; i++)
            {
                var a = children[i];
                var later = tree.Query(a.Geometry!.EnvelopeInternal).Where(j => j > i).Order().ToList();
                foreach (var j in later)
                {
                    var b = children[j];
                    // Two unflagged members of a valid coverage cannot overlap, unless they are identical.
                    if (!flagged[i] && !flagged[j] && !a.Geometry!.EnvelopeInternal.Equals(b.Geometry!.EnvelopeInternal))
                    {
                        continue;
                    }

                    CheckSiblings(a, b, problems, reading);
                }
            }

            FillGaps(children, parent, reading);
        }
    }

    /// <summary>
    /// With repair: each part of the parent no child covers (a sliver left between siblings whose boundaries came
    /// from different sources) goes to the child sharing the longest boundary with it, when it is at most the
    /// tolerance of that child's area; larger parts stay uncovered, as a file may leave them.
    /// </summary>
    private static void FillGaps(List<ParsedFeature> children, ParsedFeature parent, GeometryReading reading)
    {
        if (!reading.Repair || parent.Geometry is null || children.Any(c => c.Geometry is null))
        {
            return;
        }

        Geometry gaps;
        try
        {
            var covered = OverlayNGRobust.Union(children.Select(c => c.Geometry!).ToArray());
            gaps = OverlayNGRobust.Overlay(parent.Geometry, covered, SpatialFunction.Difference);
        }
        catch (Exception ex) when (ex is TopologyException or ArgumentException)
        {
            return;
        }

        for (var g = 0; g < gaps.NumGeometries; g++)
        {
            if (gaps.GetGeometryN(g) is not Polygon gap || gap.IsEmpty)
            {
                continue;
            }

            var edge = gap.Boundary;
            var (best, shared) = children
                .Where(c => c.Geometry!.EnvelopeInternal.Intersects(gap.EnvelopeInternal))
                .Select(c => (Child: c, Shared: Overlay(edge, c.Geometry!, SpatialFunction.Intersection)?.Length ?? 0))
                .OrderByDescending(x => x.Shared)
                .ThenBy(x => x.Child.Index)
                .FirstOrDefault();
            if (best is null || shared <= 0 || gap.Area > reading.Tolerance * best.Geometry!.Area)
            {
                continue;
            }

            var before = best.Geometry;
            var after = Polygonal(Overlay(before, gap, SpatialFunction.Union));
            if (after is null)
            {
                continue;
            }

            best.Geometry = after;
            reading.Record(best.Index, best.DisplayCode, RepairKind.GapFilled, parent.Code, before, after);
        }
    }

    /// <summary>An overlay's polygonal part (lines and points of a touching boundary dropped), or null if it failed or left no area.</summary>
    private static Geometry? Polygonal(Geometry? result)
    {
        if (result is null)
        {
            return null;
        }

        var polygons = Enumerable.Range(0, result.NumGeometries).Select(result.GetGeometryN).OfType<Polygon>().Where(p => !p.IsEmpty).ToArray();
        return polygons.Length switch
        {
            0 => null,
            1 => polygons[0],
            _ => Factory.CreateMultiPolygon(polygons),
        };
    }

    /// <summary>The robust overlay of two geometries, or null when even it fails on their topology.</summary>
    private static Geometry? Overlay(Geometry a, Geometry b, SpatialFunction function)
    {
        try
        {
            return OverlayNGRobust.Overlay(a, b, function);
        }
        catch (TopologyException)
        {
            return null;
        }
    }

    /// <summary>Which children CoverageValidator flags (mismatched or crossing edges) among siblings and the parent's complement.</summary>
    private static bool[] FlagCoverageProblems(List<ParsedFeature> children, Geometry? parent)
    {
        var coverage = children.Select(c => c.Geometry!).ToList();
        if (parent is not null)
        {
            coverage.Add(Complement(parent));
        }

        try
        {
            var result = NetTopologySuite.Coverage.CoverageValidator.Validate(coverage.ToArray());
            return children.Select((_, i) => result[i] is not null).ToArray();
        }
        catch (Exception ex) when (ex is TopologyException or ArgumentException or InvalidOperationException)
        {
            return Enumerable.Repeat(true, children.Count).ToArray();
        }
    }

    /// <summary>The parent's envelope, enlarged, with the parent cut out (and the parent's holes as islands).</summary>
    private static Geometry Complement(Geometry parent)
    {
        var envelope = new Envelope(parent.EnvelopeInternal);
        envelope.ExpandBy(0.1 * Math.Max(envelope.Width, envelope.Height) + 1e-3);
        var polygons = Enumerable.Range(0, parent.NumGeometries).Select(i => (Polygon)parent.GetGeometryN(i)).ToList();
        var frame = Factory.CreatePolygon(
            Factory.CreateLinearRing(
            [
                new Coordinate(envelope.MinX, envelope.MinY), new Coordinate(envelope.MaxX, envelope.MinY),
                new Coordinate(envelope.MaxX, envelope.MaxY), new Coordinate(envelope.MinX, envelope.MaxY),
                new Coordinate(envelope.MinX, envelope.MinY),
            ]),
            polygons.Select(p => (LinearRing)p.ExteriorRing).ToArray());
        var islands = polygons.SelectMany(p => p.InteriorRings).Select(r => Factory.CreatePolygon((LinearRing)r)).ToList();
        return islands.Count == 0 ? frame : Factory.CreateMultiPolygon([frame, .. islands]);
    }

    private static void CheckInsideParent(ParsedFeature child, ParsedFeature parent, List<GeoJsonProblem> problems, GeometryReading reading)
    {
        if (parent.Prepared.Covers(child.Geometry!))
        {
            return;
        }

        var outside = Overlay(child.Geometry!, parent.Geometry!, SpatialFunction.Difference)?.Area;
        if (outside is null)
        {
            problems.Add(new GeoJsonProblem(child.Index, child.DisplayCode, "geometry", $"could not be compared with its parent {parent.Code}"));
            return;
        }

        var area = child.Geometry!.Area;
        if (outside <= Math.Max(OverlapToleranceSquareDegrees, OutsideParentRelativeTolerance * area))
        {
            return;
        }

        if (reading.Repair && outside <= reading.Tolerance * area
            && Polygonal(Overlay(child.Geometry!, parent.Geometry!, SpatialFunction.Intersection)) is { } inside)
        {
            reading.Record(child.Index, child.DisplayCode, RepairKind.ClippedToParent, parent.Code, child.Geometry!, inside);
            child.Geometry = inside;
            return;
        }

        problems.Add(new GeoJsonProblem(child.Index, child.DisplayCode, "geometry",
            $"not inside its parent {parent.Code}: {Percent(outside.Value, area)} of its area "
            + $"({SquareMetres(outside.Value, child.Geometry)}) lies outside{Beyond(reading)}"));
    }

    /// <summary>What a refusal adds about repair: that it would help, or that the change is beyond its tolerance.</summary>
    private static string Beyond(GeometryReading reading) =>
        reading.Repair
            ? $", more than the repair's tolerance of {reading.Tolerance.ToString("0.##%", CultureInfo.InvariantCulture)}"
            : $" (import with repair=true to resolve up to {JurisdictionImportOptions.DefaultTolerance.ToString("0.##%", CultureInfo.InvariantCulture)})";

    private static void CheckSiblings(ParsedFeature a, ParsedFeature b, List<GeoJsonProblem> problems, GeometryReading reading)
    {
        if (!a.Prepared.Intersects(b.Geometry!))
        {
            return;
        }

        var shared = Overlay(a.Geometry!, b.Geometry!, SpatialFunction.Intersection)?.Area;
        if (shared is null)
        {
            problems.Add(new GeoJsonProblem(b.Index, b.DisplayCode, "geometry", $"could not be compared with its sibling {a.Code} (feature {a.Index})"));
        }
        else if (shared > OverlapToleranceSquareDegrees)
        {
            if (reading.Repair && shared <= reading.Tolerance * Math.Min(a.Geometry!.Area, b.Geometry!.Area)
                && Polygonal(Overlay(b.Geometry!, a.Geometry!, SpatialFunction.Difference)) is { } rest)
            {
                reading.Record(b.Index, b.DisplayCode, RepairKind.OverlapCut, a.Code, b.Geometry!, rest);
                b.Geometry = rest;
                return;
            }

            problems.Add(new GeoJsonProblem(b.Index, b.DisplayCode, "geometry",
                $"overlaps its sibling {a.Code} (feature {a.Index}) by {SquareMetres(shared.Value, b.Geometry!)}{Beyond(reading)}"));
        }
    }


    private static string Percent(double part, double whole) =>
        whole > 0 ? (100 * part / whole).ToString("0.####", CultureInfo.InvariantCulture) + "%" : "all";

    /// <summary>Square degrees at the geometry's latitude as a text, for messages.</summary>
    private static string SquareMetres(double squareDegrees, Geometry near)
    {
        var m2 = GeometryReading.SquareMetres(squareDegrees, near);
        return m2 >= 1e6
            ? (m2 / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " km²"
            : m2.ToString("0.#", CultureInfo.InvariantCulture) + " m²";
    }
}
