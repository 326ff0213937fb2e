using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;
using static CommandCenter.Geography.JurisdictionGeoJson;

namespace CommandCenter.Geography;

/// <summary>
/// Reads a feature's geometry: a valid, non-empty Polygon or MultiPolygon of closed rings of [longitude, latitude]
/// positions (converted to WGS-84 from the file's system), made valid when asked and within the tolerance, or the
/// reason it is not one.
/// </summary>
internal static class JurisdictionGeometryReader
{
    public static Geometry? Read(JsonElement element, out string? error, GeometryReading reading, int index, string? code)
    {
        error = null;
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            error = "geometry is missing";
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"geometry must be a GeoJSON geometry object, found a JSON {Describe(element.ValueKind)}";
            return null;
        }

        var type = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            error = type is null
                ? "geometry has no \"type\""
                : $"geometry type {Shorten(type)} is not accepted: an area must be a Polygon or MultiPolygon";
            return null;
        }

        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            error = $"{type} has no \"coordinates\" array";
            return null;
        }

        Geometry geometry;
        try
        {
            if (type == "Polygon")
            {
                geometry = ReadPolygon(coordinates, "coordinates", reading);
            }
            else
            {
                var polygons = new List<Polygon>();
                var i = 0;
                foreach (var polygon in coordinates.EnumerateArray())
                {
                    polygons.Add(ReadPolygon(polygon, $"coordinates[{i}]", reading));
                    i++;
                }

                geometry = Factory.CreateMultiPolygon(polygons.ToArray());
            }
        }
        catch (FormatException ex)
        {
            error = $"{type}: {ex.Message}";
            return null;
        }

        if (geometry.IsEmpty)
        {
            error = $"{type} is empty";
            return null;
        }

        var validity = new IsValidOp(geometry);
        if (validity.IsValid)
        {
            return geometry;
        }

        var problem = validity.ValidationError;
        var where = problem.Coordinate is { } c
            ? $" at ({c.X.ToString("R", CultureInfo.InvariantCulture)}, {c.Y.ToString("R", CultureInfo.InvariantCulture)})"
            : "";
        if (!reading.Repair)
        {
            error = $"invalid {type}: {problem.Message}{where} (import with repair=true to make it valid)";
            return null;
        }

        return MadeValid(geometry, $"invalid {type}: {problem.Message}{where}", out error, reading, index, code);
    }

    /// <summary>
    /// The geometry made valid (NTS's GeometryFixer: self-intersections split at their crossings, collapsed parts
    /// dropped, overlapping parts merged), when that changes its area by at most the tolerance.
    /// </summary>
    private static Geometry? MadeValid(Geometry geometry, string invalid, out string? error, GeometryReading reading, int index, string? code)
    {
        error = null;
        var fixedGeometry = GeometryFixer.Fix(geometry);
        if (fixedGeometry is not (Polygon or MultiPolygon) || fixedGeometry.IsEmpty)
        {
            error = $"{invalid}; made valid it is no longer an area";
            return null;
        }

        var change = geometry.Area > 0 ? Math.Abs(fixedGeometry.Area - geometry.Area) / geometry.Area : 1;
        if (change > reading.Tolerance)
        {
            error = $"{invalid}; made valid its area would change by {change.ToString("0.##%", CultureInfo.InvariantCulture)}, "
                + $"more than the tolerance of {reading.Tolerance.ToString("0.##%", CultureInfo.InvariantCulture)}";
            return null;
        }

        reading.Record(index, code, RepairKind.MadeValid, null, geometry, fixedGeometry);
        return fixedGeometry;
    }

    private static Polygon ReadPolygon(JsonElement rings, string path, GeometryReading reading)
    {
        if (rings.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} must be an array of linear rings");
        }

        var count = rings.GetArrayLength();
        if (count == 0)
        {
            return Factory.CreatePolygon();
        }

        LinearRing? shell = null;
        var holes = new LinearRing[count - 1];
        var r = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            var linearRing = ReadRing(ring, $"{path}[{r}]", reading);
            if (r == 0)
            {
                shell = linearRing;
            }
            else
            {
                holes[r - 1] = linearRing;
            }

            r++;
        }

        return Factory.CreatePolygon(shell, holes);
    }

    private static LinearRing ReadRing(JsonElement ring, string path, GeometryReading reading)
    {
        if (ring.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} must be an array of positions");
        }

        var positions = new Coordinate[ring.GetArrayLength()];
        var i = 0;
        foreach (var position in ring.EnumerateArray())
        {
            positions[i] = ReadPosition(position, $"{path}[{i}]", reading);
            i++;
        }

        if (positions.Length < 4)
        {
            throw new FormatException($"{path} has {positions.Length} positions; a linear ring needs at least 4");
        }

        if (!positions[0].Equals2D(positions[^1]))
        {
            throw new FormatException($"{path} is not closed: its first and last positions differ");
        }

        return Factory.CreateLinearRing(positions);
    }

    private static Coordinate ReadPosition(JsonElement position, string path, GeometryReading reading)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2)
        {
            throw new FormatException($"{path} must be a position [longitude, latitude]");
        }

        var longitude = ReadNumber(position[0], path);
        var latitude = ReadNumber(position[1], path);
        if (longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw new FormatException(
                $"{path} [{longitude.ToString(CultureInfo.InvariantCulture)}, {latitude.ToString(CultureInfo.InvariantCulture)}] is out of range: "
                + "longitude first (-180..180), then latitude (-90..90)");
        }

        return reading.Position(longitude, latitude);
    }

    private static double ReadNumber(JsonElement number, string path) =>
        number.ValueKind == JsonValueKind.Number && number.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{path} must contain numbers");
}
