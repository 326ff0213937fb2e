using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Precision;

namespace CommandCenter.Geography;

/// <summary>What an overlay (a cut, a join, a clip) leaves of an area: its polygons, valid.</summary>
public static class Polygonal
{
    /// <summary>
    /// The polygons of <paramref name="geometry"/> (a cut may leave lines or points along the seam), made valid; on the
    /// precision <paramref name="grid"/> when given, with the parts of at most <paramref name="minArea"/> square
    /// degrees dropped (slivers thinner than the grid).
    /// </summary>
    public static Geometry Of(Geometry geometry, PrecisionModel? grid = null, double minArea = 0)
    {
        var reduced = grid is null ? geometry : GeometryPrecisionReducer.Reduce(geometry, grid);
        var polygons = PolygonExtracter.GetPolygons(reduced).Cast<Polygon>().Where(p => p.Area > minArea).ToArray();
        Geometry result = polygons.Length == 1 ? polygons[0] : geometry.Factory.CreateMultiPolygon(polygons);
        result = result.IsValid ? result : GeometryFixer.Fix(result);
        result.SRID = geometry.SRID;
        return result;
    }
}
