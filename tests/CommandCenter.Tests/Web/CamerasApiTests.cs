using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>Importing and editing cameras through the API, on the real PostgreSQL: all or nothing, allow-listed streams.</summary>
[Collection(WebCollection.Name)]
public sealed class CamerasApiTests(WebFixture web)
{
    private static HttpContent Csv(string text) => new StringContent(text, Encoding.UTF8, "text/csv");

    private static async Task<string?> StoredUrl(string id)
    {
        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand("SELECT stream_url FROM cc_camera WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return await cmd.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task An_administrator_imports_cameras_from_csv_and_they_are_listed_in_their_grid_without_their_stream()
    {
        var (lat, lng, grid) = Reports.InsideGrid(web, 7);
        var id = "T-" + Guid.NewGuid().ToString("N")[..8];
        var password = TestSecrets.Of("cam-" + Guid.NewGuid().ToString("N")[..12]);
        var stream = $"rtsp://admin:{password}@127.0.0.1:{TestEnvironment.FreeTcpPort()}/{id}";

        using var response = await web.Admin.PostAsync("/api/cameras/import",
            Csv($"id,name,lat,lng,streamUrl\n{id},\"测试, 摄像头\",{lat},{lng},{stream}\n"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = (await web.Http.GetFromJsonAsync<List<CameraRecord>>($"/api/cameras?jurisdiction={grid}", Json.Options))!;
        Assert.Contains(listed, c => c.Id == id && c.Name == "测试, 摄像头" && c.GridCode == grid);
        Assert.DoesNotContain(password, await web.Http.GetStringAsync($"/api/cameras?jurisdiction={grid}"));
        Assert.Equal(stream, await StoredUrl(id));
        // Nothing listens at the address: the capture fails, and neither the answer nor the log (test.sh greps it) names the credentials.
        using var snapshot = await web.Http.GetAsync($"/api/cameras/{id}/snapshot");
        Assert.False(snapshot.IsSuccessStatusCode);
        Assert.DoesNotContain(password, await snapshot.Content.ReadAsStringAsync());
        var audit = (await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>("/api/audit?action=cameras.import&limit=5", Json.Options))!;
        Assert.Contains(audit, row => row.Actor == "user:admin" && row.Detail == "1 cameras");
    }

    [Fact]
    public async Task An_import_with_one_bad_stream_names_it_and_takes_nothing()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 8);
        var good = "T-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await web.Admin.PostAsync("/api/cameras/import", Csv(
            $"id,name,lat,lng,streamUrl\n{good},好,{lat},{lng},rtsp://127.0.0.1/{good}\n"
            + $"T-bad,坏,{lat},{lng},concat:rtsp://127.0.0.1/a|file:///etc/passwd\n"));

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, "rows[2].streamUrl");
        Assert.Contains("T-bad", await response.Content.ReadAsStringAsync());
        Assert.Null(web.Directory.Camera(good));
        Assert.Null(await StoredUrl(good));
    }

    [Fact]
    public async Task Cameras_come_from_an_excel_sheet_with_chinese_headers_and_a_bad_row_is_named_by_its_row()
    {
        var (lat, lng, grid) = Reports.InsideGrid(web, 9);
        var id = "X-" + Guid.NewGuid().ToString("N")[..8];
        static byte[] Sheet(IEnumerable<object> rows)
        {
            using var stream = new MemoryStream();
            MiniExcelLibs.MiniExcel.SaveAs(stream, rows);
            return stream.ToArray();
        }
        static HttpContent Xlsx(byte[] bytes) => new ByteArrayContent(bytes)
        {
            Headers = { ContentType = new(CommandCenter.Web.Application.SpreadsheetTable.ContentType) },
        };

        using var bad = await web.Admin.PostAsync("/api/cameras/import", Xlsx(Sheet(new[]
        {
            new Dictionary<string, object> { ["设备编号"] = id, ["设备名称"] = "表格摄像头", ["纬度"] = lat, ["经度"] = lng, ["视频流地址"] = $"rtsp://127.0.0.1/{id}" },
            new Dictionary<string, object> { ["设备编号"] = id + "b", ["设备名称"] = "坏行", ["纬度"] = 95.0, ["经度"] = lng, ["视频流地址"] = $"rtsp://127.0.0.1/{id}b" },
        })));
        await ProblemAssert.Is(bad, HttpStatusCode.BadRequest, "rows[2].lat");
        Assert.Null(web.Directory.Camera(id));

        using var good = await web.Admin.PostAsync("/api/cameras/import", Xlsx(Sheet(new[]
        {
            new Dictionary<string, object> { ["视频流地址"] = $"rtsp://127.0.0.1/{id}", ["设备名称"] = "表格摄像头", ["纬度"] = lat, ["经度"] = lng, ["设备编号"] = id },
        })));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var listed = (await web.Http.GetFromJsonAsync<List<CameraRecord>>($"/api/cameras?jurisdiction={grid}", Json.Options))!;
        Assert.Contains(listed, c => c.Id == id && c.Name == "表格摄像头" && c.GridCode == grid);

        using var notAWorkbook = await web.Admin.PostAsync("/api/cameras/import", Xlsx([1, 2, 3]));
        await ProblemAssert.Is(notAWorkbook, HttpStatusCode.BadRequest, "$");
    }

    [Fact]
    public async Task An_administrator_edits_a_camera_and_a_refused_stream_changes_nothing()
    {
        var camera = web.Directory.CamerasIn(web.CountyCode)[3];
        var (lat, lng, grid) = Reports.InsideGrid(web, 9);

        using var refused = await web.Admin.PutAsJsonAsync($"/api/cameras/{camera.Id}", new { name = "改名", lat, lng, streamUrl = "file:///etc/shadow" });
        await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, "streamUrl");
        Assert.Equal(camera, web.Directory.Camera(camera.Id));

        using var saved = await web.Admin.PutAsJsonAsync($"/api/cameras/{camera.Id}",
            new { name = "改名", lat, lng, streamUrl = "http://127.0.0.1:8088/x.m3u8" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(("改名", grid), (web.Directory.Camera(camera.Id)!.Name, web.Directory.Camera(camera.Id)!.GridCode));
        using (var renamed = await web.Admin.PutAsJsonAsync($"/api/cameras/{camera.Id}", new { name = "再改名", lat, lng }))
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("再改名", web.Directory.Camera(camera.Id)!.Name);
        var store = web.Services.GetRequiredService<JurisdictionStore>();
        Assert.Equal("http://127.0.0.1:8088/x.m3u8", await store.StreamUrlOf(camera.Id));

        using var unknown = await web.Admin.PutAsJsonAsync("/api/cameras/no-such-camera", new { name = "x", lat, lng, streamUrl = "rtsp://127.0.0.1/x" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var duty = await web.Http.PutAsJsonAsync($"/api/cameras/{camera.Id}", new { name = "值班员改", lat, lng, streamUrl = "rtsp://127.0.0.1/x" });
        Assert.Equal(HttpStatusCode.Forbidden, duty.StatusCode);
    }
}
