using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>
/// How one file is read: its coordinates' system (each position converted to WGS-84 as it is read), whether and how
/// much to repair (<see cref="JurisdictionImportOptions"/>), and the repairs made so far.
/// </summary>
internal sealed class GeometryReading(JurisdictionImportOptions options, CoordinateSystem crs, List<JurisdictionRepair> repairs)
{
    public bool Repair => options.Repair;

    public double Tolerance => options.Tolerance;

    /// <summary>A position of the file in WGS-84.</summary>
    public Coordinate Position(double longitude, double latitude)
    {
        var (lng, lat) = crs == CoordinateSystem.Gcj02 ? ChinaDatum.ToWgs84(longitude, latitude) : (longitude, latitude);
        return new Coordinate(lng, lat);
    }

    /// <summary>Notes that feature <paramref name="index"/>'s geometry became <paramref name="after"/>.</summary>
    public void Record(int index, string? code, RepairKind kind, string? other, Geometry before, Geometry after) =>
        repairs.Add(new JurisdictionRepair(index, code ?? "", kind, other, Math.Round(SquareMetres(before.Area, before), 1),
            Math.Round(SquareMetres(after.Area, after), 1), before.NumGeometries, after.NumGeometries, before.NumPoints, after.NumPoints));

    /// <summary>Square degrees as square metres at the geometry's latitude (a spherical approximation, good to a fraction of a percent at a county's size).</summary>
    public static double SquareMetres(double squareDegrees, Geometry near) =>
        squareDegrees * 111_320.0 * 111_320.0 * Math.Cos(near.EnvelopeInternal.Centre.Y * Math.PI / 180);
}
