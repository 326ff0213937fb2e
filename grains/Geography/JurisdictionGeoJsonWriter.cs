using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>Writes areas as a FeatureCollection, in the format <see cref="JurisdictionGeoJson.Write(JurisdictionTree)"/> describes.</summary>
internal static class JurisdictionGeoJsonWriter
{
    private const int CoordinateDecimals = 6;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
        SkipValidation = false,
    };

    public static byte[] Write(IEnumerable<Jurisdiction> areas)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var area in areas)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                writer.WriteStartObject("properties");
                writer.WriteString("code", area.Code);
                writer.WriteString("name", area.Name);
                writer.WriteString("level", area.Level.ToWord());
                if (area.ParentCode is null)
                {
                    writer.WriteNull("parentCode");
                }
                else
                {
                    writer.WriteString("parentCode", area.ParentCode);
                }

                writer.WriteEndObject();
                writer.WritePropertyName("geometry");
                WriteGeometry(writer, area.Geometry);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry)
    {
        writer.WriteStartObject();
        switch (geometry)
        {
            case Polygon polygon:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                WritePolygon(writer, polygon);
                break;
            case MultiPolygon multi:
                writer.WriteString("type", "MultiPolygon");
                writer.WriteStartArray("coordinates");
                foreach (var part in multi.Geometries)
                {
                    WritePolygon(writer, (Polygon)part);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"cannot write a {geometry.GeometryType} as a jurisdiction", nameof(geometry));
        }

        writer.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon)
    {
        writer.WriteStartArray();
        WriteRing(writer, polygon.ExteriorRing, counterClockwise: true);
        foreach (var hole in polygon.InteriorRings)
        {
            WriteRing(writer, hole, counterClockwise: false);
        }

        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, LineString ring, bool counterClockwise)
    {
        var source = ring.Coordinates;
        var points = new List<(double X, double Y)>(source.Length);
        foreach (var c in source)
        {
            var p = (Math.Round(c.X, CoordinateDecimals), Math.Round(c.Y, CoordinateDecimals));
            if (points.Count == 0 || points[^1] != p)
            {
                points.Add(p);
            }
        }

        var reverse = Orientation.IsCCW(ring.CoordinateSequence) != counterClockwise;
        writer.WriteStartArray();
        for (var k = 0; k < points.Count; k++)
        {
            var (x, y) = points[reverse ? points.Count - 1 - k : k];
            writer.WriteStartArray();
            writer.WriteNumberValue(x);
            writer.WriteNumberValue(y);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }
}
