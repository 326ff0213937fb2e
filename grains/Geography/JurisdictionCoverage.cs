using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using static CommandCenter.Geography.JurisdictionGeoJson;

namespace CommandCenter.Geography;

/// <summary>
/// Checks the coverage topology of each parent's children: none sticks out of its parent and no two siblings overlap,
/// beyond the tolerances of <see cref="JurisdictionGeoJson"/>.
/// </summary>
internal static class JurisdictionCoverage
{
    public static void Check(List<ParsedFeature> features, List<GeoJsonProblem> problems)
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
                    CheckInsideParent(children[i], parent, problems);
                }
            }

            if (!flagged.Contains(true) && children.Count < 2)
            {
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

                    CheckSiblings(a, b, problems);
                }
            }
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

    private static void CheckInsideParent(ParsedFeature child, ParsedFeature parent, List<GeoJsonProblem> problems)
    {
        if (parent.Prepared.Covers(child.Geometry!))
        {
            return;
        }

        var outside = SafeArea(() => OverlayNGRobust.Overlay(child.Geometry!, parent.Geometry!, SpatialFunction.Difference));
        if (outside is null)
        {
            problems.Add(new GeoJsonProblem(child.Index, child.DisplayCode, "geometry", $"could not be compared with its parent {parent.Code}"));
            return;
        }

        var area = child.Geometry!.Area;
        if (outside > Math.Max(OverlapToleranceSquareDegrees, OutsideParentRelativeTolerance * area))
        {
            problems.Add(new GeoJsonProblem(child.Index, child.DisplayCode, "geometry",
                $"not inside its parent {parent.Code}: {Percent(outside.Value, area)} of its area "
                + $"({SquareMetres(outside.Value, child.Geometry)}) lies outside"));
        }
    }

    private static void CheckSiblings(ParsedFeature a, ParsedFeature b, List<GeoJsonProblem> problems)
    {
        if (!a.Prepared.Intersects(b.Geometry!))
        {
            return;
        }

        var shared = SafeArea(() => OverlayNGRobust.Overlay(a.Geometry!, b.Geometry!, SpatialFunction.Intersection));
        if (shared is null)
        {
            problems.Add(new GeoJsonProblem(b.Index, b.DisplayCode, "geometry", $"could not be compared with its sibling {a.Code} (feature {a.Index})"));
        }
        else if (shared > OverlapToleranceSquareDegrees)
        {
            problems.Add(new GeoJsonProblem(b.Index, b.DisplayCode, "geometry",
                $"overlaps its sibling {a.Code} (feature {a.Index}) by {SquareMetres(shared.Value, b.Geometry!)}"));
        }
    }

    private static double? SafeArea(Func<Geometry> overlay)
    {
        try
        {
            return overlay().Area;
        }
        catch (TopologyException)
        {
            return null;
        }
    }

    private static string Percent(double part, double whole) =>
        whole > 0 ? (100 * part / whole).ToString("0.####", CultureInfo.InvariantCulture) + "%" : "all";

    /// <summary>Rough conversion of square degrees at the geometry's latitude, for messages only.</summary>
    private static string SquareMetres(double squareDegrees, Geometry near)
    {
        var latitude = near.EnvelopeInternal.Centre.Y * Math.PI / 180;
        var m2 = squareDegrees * 111_320.0 * 111_320.0 * Math.Cos(latitude);
        return m2 >= 1e6
            ? (m2 / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " km²"
            : m2.ToString("0.#", CultureInfo.InvariantCulture) + " m²";
    }
}
