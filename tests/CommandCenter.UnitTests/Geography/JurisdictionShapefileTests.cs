using System.IO.Compression;
using System.Text;
using CommandCenter.Geography;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;

namespace CommandCenter.Tests.Geography;

/// <summary>
/// A county's shapefiles as its bureau exports them (one per level, GBK attributes in columns of their own naming, a
/// .prj), zipped and read into the same import as GeoJSON; what is wrong with them named by file and record.
/// </summary>
public sealed class JurisdictionShapefileTests
{
    private const string Wgs84Prj = """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";
    private const string Cgcs2000Prj = """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";
    private const string ProjectedPrj = """PROJCS["CGCS2000_3_Degree_GK_CM_105E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]]],PROJECTION["Gauss_Kruger"]]""";

    private static readonly ShapefileColumns BureauColumns = new(Code: "XZQDM", Name: "XZQMC", Level: "JB", Parent: "SJDM");

    /// <summary>The tiny county, a shapefile per level, its columns XZQDM, XZQMC, JB (县, 乡镇, 村, 网格) and SJDM, in GBK.</summary>
    private static byte[] TinyCountyZip(string prj, bool withCpg = true, string levelColumn = "JB")
    {
        var areas = new (string Code, string Name, string Level, string? Parent, double X0, double X1)[]
        {
            ("C", "测试县", "县", null, 104.00, 104.02),
            ("T1", "西镇", "乡镇", "C", 104.00, 104.01), ("T2", "东镇", "乡镇", "C", 104.01, 104.02),
            ("V1", "西村", "村", "T1", 104.00, 104.01), ("V2", "东村", "村", "T2", 104.01, 104.02),
            ("G1", "西村第1网格", "网格", "V1", 104.00, 104.005), ("G2", "西村第2网格", "网格", "V1", 104.005, 104.01),
            ("G3", "东村第1网格", "网格", "V2", 104.01, 104.02),
        };
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        using var zipBytes = new MemoryStream();
        using (var zip = new ZipArchive(zipBytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var level in areas.GroupBy(a => a.Level))
            {
                var file = level.Key switch { "县" => "county", "乡镇" => "township", "村" => "village", _ => "grid" };
                var features = level.Select(a => (IFeature)new Feature(
                    factory.CreatePolygon([new(a.X0, 36.00), new(a.X0, 36.01), new(a.X1, 36.01), new(a.X1, 36.00), new(a.X0, 36.00)]),
                    new AttributesTable { { "XZQDM", a.Code }, { "XZQMC", a.Name }, { levelColumn, a.Level }, { "SJDM", a.Parent ?? "" } })).ToList();
                var (shp, shx, dbf, prjStream) = (new MemoryStream(), new MemoryStream(), new MemoryStream(), new MemoryStream());
                Shapefile.WriteAllFeatures(features, shp, shx, dbf, prjStream, prj, Encoding.GetEncoding(936));
                foreach (var (extension, stream) in new[] { (".shp", shp), (".shx", shx), (".dbf", dbf), (".prj", prjStream) })
                {
                    var entry = zip.CreateEntry($"边界/{file}{extension}");
                    using var target = entry.Open();
                    target.Write(stream.ToArray());
                }
                if (withCpg)
                {
                    using var cpg = new StreamWriter(zip.CreateEntry($"边界/{file}.cpg").Open(), Encoding.ASCII);
                    cpg.Write("GBK");
                }
            }
        }
        return zipBytes.ToArray();
    }

    static JurisdictionShapefileTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void A_bureaus_shapefiles_in_gbk_with_their_own_columns_import_like_geojson()
    {
        var zip = TinyCountyZip(Cgcs2000Prj);
        Assert.True(JurisdictionShapefile.IsZip(zip));

        var (geoJson, sources, problems) = JurisdictionShapefile.ToGeoJson(zip, BureauColumns);

        Assert.Empty(problems);
        var result = JurisdictionGeoJson.Parse(geoJson);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Equal(CoordinateSystem.Cgcs2000, result.Crs);
        var tree = result.Tree!;
        Assert.Equal(8, tree.All.Count);
        Assert.Equal(("测试县", JurisdictionLevel.County), (tree.Root.Name, tree.Root.Level));
        Assert.Equal(("西村第2网格", JurisdictionLevel.Grid, "V1"), (tree.Find("G2")!.Name, tree.Find("G2")!.Level, tree.Find("G2")!.ParentCode));
        Assert.Equal(0.005 * 0.01, tree.Find("G1")!.Geometry.Area, 9);
        Assert.Equal(8, sources.Count);
        Assert.Contains("county.shp record 1", sources);
    }

    [Fact]
    public void Without_a_cpg_the_encoding_asked_for_is_taken_and_an_unknown_one_is_refused()
    {
        var zip = TinyCountyZip(Wgs84Prj, withCpg: false);

        var gbk = JurisdictionShapefile.ToGeoJson(zip, BureauColumns with { Encoding = "gbk" });
        var unknown = JurisdictionShapefile.ToGeoJson(zip, BureauColumns with { Encoding = "big5" });

        Assert.Equal("测试县", JurisdictionGeoJson.Parse(gbk.GeoJson).Tree!.Root.Name);
        Assert.Equal(CoordinateSystem.Wgs84, JurisdictionGeoJson.Parse(gbk.GeoJson).Crs);
        Assert.Contains(unknown.Problems, p => p.Field == "encoding" && p.Message.Contains("county.shp"));
        Assert.Null(unknown.GeoJson);
    }

    [Fact]
    public void A_missing_column_projected_coordinates_and_a_broken_zip_are_each_named()
    {
        var (_, _, missing) = JurisdictionShapefile.ToGeoJson(TinyCountyZip(Wgs84Prj, levelColumn: "CJ"), BureauColumns);
        var projected = JurisdictionShapefile.ToGeoJson(TinyCountyZip(ProjectedPrj), BureauColumns);
        var broken = JurisdictionShapefile.ToGeoJson([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], BureauColumns);

        Assert.Equal(8, missing.Count);
        Assert.All(missing, p => Assert.Equal("level", p.Field));
        Assert.Contains(missing, p => p.Message.Contains("county.shp record 1 has no column JB") && p.Message.Contains("CJ"));
        Assert.Contains(projected.Problems, p => p.Field == "crs" && p.Message.Contains("projected"));
        Assert.Equal("$", Assert.Single(broken.Problems).Field);
    }
}
