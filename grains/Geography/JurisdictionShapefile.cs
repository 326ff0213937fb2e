using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace CommandCenter.Geography;

/// <summary>
/// Which attribute columns of a county's shapefiles hold each area's code, name, level and parent's code, and the
/// attributes' encoding when the files do not say (a .cpg beside the .dbf): utf-8 or gbk.
/// </summary>
public sealed record ShapefileColumns(string Code = "code", string Name = "name", string Level = "level", string Parent = "parentCode",
    string? Encoding = null);

/// <summary>
/// Reads a zip of Esri shapefiles (each a .shp with its .dbf, and a .prj and .cpg where the county has them; one file
/// per level or all levels in one) into the GeoJSON FeatureCollection the import reads: each record a feature with the
/// columns mapped to code, name, level and parentCode (levels as words, numbers or 县/乡镇/村/网格), the .prj's datum as
/// its <c>crs</c> (WGS-84 or CGCS2000; projected coordinates are refused). Every problem is named by file and record.
/// </summary>
public static class JurisdictionShapefile
{
    static JurisdictionShapefile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Whether the bytes are a zip archive (what a shapefile upload is).</summary>
    public static bool IsZip(ReadOnlySpan<byte> bytes) => bytes.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]);

    /// <summary>
    /// The archive as a GeoJSON FeatureCollection (UTF-8) with, for each feature, the file and record it came from
    /// ("grid.shp record 12", for messages); or the problems that keep it from being one.
    /// </summary>
    public static (byte[]? GeoJson, IReadOnlyList<string> Sources, IReadOnlyList<GeoJsonProblem> Problems) ToGeoJson(byte[] zip, ShapefileColumns columns)
    {
        var problems = new List<GeoJsonProblem>();
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            return (null, [], [new GeoJsonProblem(-1, null, "$", $"not a readable zip archive: {ex.Message}")]);
        }

        using (archive)
        {
            var files = archive.Entries
                .Where(e => e.Length > 0)
                .GroupBy(e => Path.ChangeExtension(e.FullName, null), StringComparer.OrdinalIgnoreCase)
                .Select(g => (Name: g.Key, Parts: g.ToDictionary(e => Path.GetExtension(e.FullName).ToLowerInvariant(), e => e)))
                .Where(f => f.Parts.ContainsKey(".shp"))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                return (null, [], [new GeoJsonProblem(-1, null, "$", "the zip archive holds no shapefile (.shp with its .dbf)")]);
            }

            var features = new List<(string File, int Record, IFeature Feature)>();
            var systems = new HashSet<CoordinateSystem>();
            foreach (var (name, parts) in files)
            {
                var shown = Path.GetFileName(name) + ".shp";
                if (!parts.TryGetValue(".dbf", out var dbf))
                {
                    problems.Add(new GeoJsonProblem(-1, null, "$", $"{shown} has no .dbf beside it: its attributes (code, name, level, parent) are missing"));
                    continue;
                }

                if (parts.TryGetValue(".prj", out var prj))
                {
                    var (crs, error) = Datum(Text(prj, Encoding.UTF8));
                    if (error is not null)
                    {
                        problems.Add(new GeoJsonProblem(-1, null, "crs", $"{shown}: {error}"));
                        continue;
                    }

                    systems.Add(crs);
                }

                var encoding = EncodingOf(parts.TryGetValue(".cpg", out var cpg) ? Text(cpg, Encoding.ASCII) : columns.Encoding);
                if (encoding is null)
                {
                    problems.Add(new GeoJsonProblem(-1, null, "encoding", $"{shown}: unknown attribute encoding; use utf-8 or gbk"));
                    continue;
                }

                try
                {
                    var read = Shapefile.ReadAllFeatures(Copy(parts[".shp"]), Copy(dbf),
                        new ShapefileReaderOptions { Encoding = encoding, Factory = JurisdictionGeoJson.Factory });
                    features.AddRange(read.Select((feature, record) => (shown, record, (IFeature)feature)));
                }
                catch (Exception ex) when (ex is ShapefileException or IOException or ArgumentException or InvalidOperationException or NotSupportedException)
                {
                    problems.Add(new GeoJsonProblem(-1, null, "$", $"{shown} cannot be read: {ex.Message}"));
                }
            }

            if (systems.Count > 1)
            {
                problems.Add(new GeoJsonProblem(-1, null, "crs", "the shapefiles' .prj files name different coordinate systems: export them in one"));
            }

            if (problems.Count > 0)
            {
                return (null, [], problems);
            }

            var geoJson = Write(features, columns, systems.Count == 1 ? systems.Single() : null, problems);
            return (geoJson, features.Select(f => $"{f.File} record {f.Record + 1}").ToList(), problems);
        }
    }

    private static byte[]? Write(List<(string File, int Record, IFeature Feature)> features, ShapefileColumns columns, CoordinateSystem? crs,
        List<GeoJsonProblem> problems)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            if (crs is { } system)
            {
                json.WriteString("crs", system == CoordinateSystem.Cgcs2000 ? "EPSG:4490" : "EPSG:4326");
            }

            json.WriteStartArray("features");
            for (var index = 0; index < features.Count; index++)
            {
                var (file, record, feature) = features[index];
                var attributes = feature.Attributes;
                string? Column(string column, string field, bool required)
                {
                    if (attributes.Exists(column))
                    {
                        return attributes[column] switch
                        {
                            null => null,
                            double number when number == Math.Floor(number) => ((long)number).ToString(CultureInfo.InvariantCulture),
                            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                            var value => value.ToString()?.Trim(),
                        };
                    }

                    if (required)
                    {
                        problems.Add(new GeoJsonProblem(index, null, field,
                            $"{file} record {record + 1} has no column {column} (it has {string.Join(", ", attributes.GetNames())}): name the column in the request"));
                    }

                    return null;
                }

                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("properties");
                json.WriteString("code", Column(columns.Code, "code", required: true));
                json.WriteString("name", Column(columns.Name, "name", required: true));
                json.WriteString("level", Column(columns.Level, "level", required: true));
                json.WriteString("parentCode", Column(columns.Parent, "parentCode", required: false) is { Length: > 0 } parent ? parent : null);
                json.WriteEndObject();
                json.WritePropertyName("geometry");
                JsonSerializer.Serialize(json, feature.Geometry, JurisdictionGeoJson.GeometryJson);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return problems.Count > 0 ? null : buffer.ToArray();
    }

    /// <summary>The datum a .prj names (WGS-84 or CGCS2000), or why it cannot be taken.</summary>
    private static (CoordinateSystem Crs, string? Error) Datum(string wkt)
    {
        var text = wkt.ToUpperInvariant();
        if (text.Contains("PROJCS", StringComparison.Ordinal))
        {
            return (default, "its coordinates are projected (the .prj is a PROJCS): export the boundaries in geographic coordinates, GCS_WGS_1984 or GCS_China_Geodetic_Coordinate_System_2000");
        }

        if (text.Contains("CHINA_GEODETIC_COORDINATE_SYSTEM_2000", StringComparison.Ordinal) || text.Contains("CGCS2000", StringComparison.Ordinal)
            || text.Contains("CGCS_2000", StringComparison.Ordinal) || text.Contains("CHINA_2000", StringComparison.Ordinal))
        {
            return (CoordinateSystem.Cgcs2000, null);
        }

        if (text.Contains("WGS_1984", StringComparison.Ordinal) || text.Contains("WGS 84", StringComparison.Ordinal) || text.Contains("WGS84", StringComparison.Ordinal))
        {
            return (CoordinateSystem.Wgs84, null);
        }

        return (default, "its .prj names a datum that is neither WGS-84 nor CGCS2000");
    }

    /// <summary>An attribute encoding by the name a .cpg or the request gives (utf-8 when none), or null for one not known.</summary>
    private static Encoding? EncodingOf(string? name) => (name ?? "").Trim().ToUpperInvariant() switch
    {
        "" or "UTF-8" or "UTF8" or "65001" => Encoding.UTF8,
        "GBK" or "GB2312" or "936" or "CP936" => Encoding.GetEncoding(936),
        "GB18030" or "54936" => Encoding.GetEncoding(54936),
        _ => null,
    };

    private static MemoryStream Copy(ZipArchiveEntry entry)
    {
        var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }

    private static string Text(ZipArchiveEntry entry, Encoding encoding)
    {
        using var reader = new StreamReader(entry.Open(), encoding);
        return reader.ReadToEnd();
    }
}
