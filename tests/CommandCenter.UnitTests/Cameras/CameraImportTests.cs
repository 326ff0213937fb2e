using System.Text;
using CommandCenter.Cameras;
using CommandCenter.Geography;
using CommandCenter.Tests.Geography;

namespace CommandCenter.Tests.Cameras;

/// <summary>Reading and checking cameras from CSV and GeoJSON against the demo county and the allow-list.</summary>
public sealed class CameraImportTests
{
    private static readonly StreamUrlPolicy Urls = new(["127.0.0.1"]);

    private static (double Lat, double Lng, string Grid) InGrid(int index)
    {
        var grid = DemoCountyData.AtLevel(JurisdictionLevel.Grid).ElementAt(index);
        var (lat, lng) = DemoCountyData.Tree.CenterOf(grid.Code);
        return (lat, lng, grid.Code);
    }

    [Fact]
    public void A_csv_with_quoted_names_reads_every_camera_into_its_grid()
    {
        var (lat1, lng1, grid1) = InGrid(0);
        var (lat2, lng2, grid2) = InGrid(5);
        var csv = $"\uFEFFid,name,lat,lng,streamUrl\r\nC-1,\"人民路, 东口\",{lat1},{lng1},rtsp://127.0.0.1:8554/c1\r\n\r\n"
            + $"C-2,\"他说\"\"好\"\"\",{lat2},{lng2},http://127.0.0.1:8088/c2.m3u8\n";

        var result = CameraImport.ReadCsv(csv, DemoCountyData.Tree, Urls);

        Assert.Empty(result.Problems);
        Assert.Equal([("C-1", "人民路, 东口", grid1), ("C-2", "他说\"好\"", grid2)], result.Cameras.Select(c => (c.Id, c.Name, c.GridCode)));
        Assert.Equal("rtsp://127.0.0.1:8554/c1", result.Cameras[0].StreamUrl);
    }

    [Fact]
    public void Every_bad_camera_is_named_and_nothing_is_taken()
    {
        var (lat, lng, _) = InGrid(0);
        var csv = "id,name,lat,lng,streamUrl\n"
            + $"C-1,好摄像头,{lat},{lng},rtsp://127.0.0.1/c1\n"
            + $"C-1,重复,{lat},{lng},rtsp://127.0.0.1/c1\n"
            + $"C 3,,{lat},{lng},rtsp://127.0.0.1/c3\n"
            + $"C-4,远处,10,10,rtsp://127.0.0.1/c4\n"
            + $"C-5,文件,{lat},{lng},file:///etc/passwd\n"
            + "C-6,坏坐标,north,east,rtsp://127.0.0.1/c6\n";

        var result = CameraImport.ReadCsv(csv, DemoCountyData.Tree, Urls);

        Assert.Empty(result.Cameras);
        Assert.Equal(
            [(2, "id"), (3, "id"), (3, "name"), (4, "lat"), (5, "streamUrl"), (6, "lat"), (6, "lng")],
            result.Problems.Select(p => (p.Row, p.Field)));
    }

    [Fact]
    public void A_csv_without_the_columns_says_which_are_missing()
    {
        var result = CameraImport.ReadCsv("id,name,lat\nC-1,x,1\n", DemoCountyData.Tree, Urls);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("header", problem.Field);
        Assert.Contains("lng, streamUrl", problem.Message);
    }

    private static byte[] Collection(params string[] features) =>
        Encoding.UTF8.GetBytes("{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}");

    private static string Feature(string geometry, string id) =>
        "{\"type\":\"Feature\",\"geometry\":" + geometry + ",\"properties\":{\"id\":\"" + id
            + "\",\"name\":\"广场\",\"streamUrl\":\"rtsp://127.0.0.1/" + id + "\"}}";

    [Fact]
    public void GeoJson_points_read_like_csv_rows_and_other_geometries_are_named()
    {
        var (lat, lng, grid) = InGrid(3);
        var point = Feature($"{{\"type\":\"Point\",\"coordinates\":[{lng},{lat}]}}", "G-1");
        var line = Feature("{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", "G-2");

        var refused = CameraImport.ReadGeoJson(Collection(point, line), DemoCountyData.Tree, Urls);
        var good = CameraImport.ReadGeoJson(Collection(point), DemoCountyData.Tree, Urls);

        var problem = Assert.Single(refused.Problems);
        Assert.Equal((2, "G-2", "geometry"), (problem.Row, problem.Id, problem.Field));
        Assert.Empty(refused.Cameras);
        Assert.Empty(good.Problems);
        Assert.Equal(("G-1", grid), (good.Cameras[0].Id, good.Cameras[0].GridCode));
    }

    [Fact]
    public void Malformed_geojson_is_one_clear_problem() =>
        Assert.Equal("$", Assert.Single(CameraImport.ReadGeoJson("{"u8.ToArray(), DemoCountyData.Tree, Urls).Problems).Field);
}
