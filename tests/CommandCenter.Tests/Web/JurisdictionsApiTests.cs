using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Api;

namespace CommandCenter.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class JurisdictionsApiTests(WebFixture web)
{
    [Fact]
    public async Task The_demo_county_is_imported_at_baiyin_scale()
    {
        var items = await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.JurisdictionItem>>("/api/jurisdictions", Json.Options);

        // No city above it: the demo county is the root.
        Assert.Equal([0, 1, 10, 122, 486],
            new[] { JurisdictionLevel.City, JurisdictionLevel.County, JurisdictionLevel.Township, JurisdictionLevel.Village, JurisdictionLevel.Grid }
                .Select(l => items!.Count(i => i.Level == l)));
        Assert.Equal("白银区", items![0].Name);
        var workers = await web.Http.GetFromJsonAsync<List<WorkerRecord>>($"/api/workers?jurisdiction={web.CountyCode}", Json.Options);
        Assert.Equal(548, workers!.Count(w => w.Role == WorkerRole.GridChief));
        Assert.Equal(662, workers!.Count(w => w.Role == WorkerRole.GridWorker));
        var cameras = await web.Http.GetFromJsonAsync<List<CameraRecord>>($"/api/cameras?jurisdiction={web.CountyCode}", Json.Options);
        Assert.Equal(1473, cameras!.Count(c => c.Id.StartsWith("cam-", StringComparison.Ordinal))); // other tests add cameras of their own
    }

    [Fact]
    public async Task People_are_searched_by_name_or_id_within_the_area_with_their_grids_name_and_a_bound()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[0].Code;
        var someone = web.Directory.WorkersIn(township)[3];
        var part = someone.Name[1..];

        var found = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.PersonListing>>(
            $"/api/workers?jurisdiction={township}&q={Uri.EscapeDataString(part)}&limit=500", Json.Options))!;

        Assert.Equal(web.Directory.WorkersIn(township).Where(w => w.Name.Contains(part)).Select(w => w.Id), found.Select(p => p.Id));
        var listed = Assert.Single(found, p => p.Id == someone.Id);
        Assert.Equal(web.Directory.Tree.Find(someone.GridCode)!.Name, listed.GridName);
        var byId = (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.PersonListing>>(
            $"/api/workers?jurisdiction={township}&q={someone.Id}", Json.Options))!;
        Assert.Equal(someone.Id, Assert.Single(byId).Id);
        var bounded = (await web.Http.GetFromJsonAsync<List<WorkerRecord>>($"/api/workers?jurisdiction={web.CountyCode}&limit=7", Json.Options))!;
        Assert.Equal(7, bounded.Count);
        using (var tooLong = await web.Http.GetAsync($"/api/workers?jurisdiction={township}&q={new string('张', 33)}"))
            await ProblemAssert.Is(tooLong, System.Net.HttpStatusCode.BadRequest, "q");
        using (var badLimit = await web.Http.GetAsync($"/api/workers?jurisdiction={township}&limit=0"))
            await ProblemAssert.Is(badLimit, System.Net.HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task A_township_shows_its_path_children_and_counts()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[0];

        var overview = await web.Http.GetFromJsonAsync<JurisdictionOverview>($"/api/jurisdictions/{township.Code}", Json.Options);

        Assert.Equal(township.Name, overview!.Name);
        Assert.Equal([web.CountyCode, township.Code], overview.Path.Select(p => p.Code));
        Assert.Equal(web.Directory.Tree.ChildrenOf(township.Code).Select(c => c.Code), overview.Children.Select(c => c.Code));
        Assert.Equal(web.Directory.WorkersIn(township.Code).Count, overview.Workers);
        Assert.True(overview.Workers > 0);
        Assert.Equal(4, overview.Bounds.Length);
    }

    [Fact]
    public async Task The_export_is_the_import_format_and_reimports_unchanged()
    {
        var bytes = await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson");

        var parsed = JurisdictionGeoJson.Parse(bytes);

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Problems));
        Assert.Equal(619, parsed.Tree!.All.Count);
        using var reimport = await web.Admin.PostAsync("/api/jurisdictions/import", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.OK, reimport.StatusCode);
        var summary = await reimport.Content.ReadFromJsonAsync<CommandCenter.Web.Application.JurisdictionImportSummary>(Json.Options);
        Assert.Equal(486, summary!.ByLevel["grid"]);
    }

    [Fact]
    public async Task Exporting_one_level_of_a_township_gives_only_that_level_inside_it()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[1];

        using var export = System.Text.Json.JsonDocument.Parse(await web.Http.GetByteArrayAsync($"/api/jurisdictions/{township.Code}/geojson?levels=grid"));

        var features = export.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties")).ToList();
        var expected = web.Directory.Tree.All
            .Where(j => j.Level == JurisdictionLevel.Grid && web.Directory.Tree.IsWithin(j.Code, township.Code))
            .Select(j => j.Code);
        Assert.Equal(expected.Order(), features.Select(p => p.GetProperty("code").GetString()!).Order());
        Assert.All(features, p => Assert.Equal("grid", p.GetProperty("level").GetString()));
        using var bad = await web.Http.GetAsync($"/api/jurisdictions/{township.Code}/geojson?levels=planet");
        await ProblemAssert.Is(bad, HttpStatusCode.BadRequest, "levels");
    }

    [Fact]
    public async Task A_bad_county_file_is_refused_whole_with_every_offending_feature_and_nothing_changes()
    {
        var before = web.Directory.Version;
        var good = Encoding.UTF8.GetString(await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson"));
        var firstGrid = web.Directory.Tree!.All.First(j => j.Level == JurisdictionLevel.Grid);
        var secondGrid = web.Directory.Tree.All.Where(j => j.Level == JurisdictionLevel.Grid).ElementAt(1);
        var broken = good
            .Replace($"\"parentCode\":\"{firstGrid.ParentCode}\"", "\"parentCode\":\"999999\"", StringComparison.Ordinal)
            .Replace($"\"code\":\"{secondGrid.Code}\"", $"\"code\":\"{firstGrid.ParentCode}\"", StringComparison.Ordinal);
        Assert.NotEqual(good, broken);

        using var response = await web.Admin.PostAsync("/api/jurisdictions/import", new StringContent(broken, Encoding.UTF8, "application/geo+json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("parentCode", text);
        Assert.Contains(firstGrid.ParentCode!, text);
        Assert.Equal(before, web.Directory.Version);
        Assert.Equal(619, web.Directory.Tree!.All.Count);
    }

    [Fact]
    public async Task A_grid_traced_again_a_little_off_is_refused_by_a_dry_run_and_repaired_by_another_and_nothing_changes()
    {
        var before = web.Directory.Version;
        var (county, feature, grid) = await CountyFiles.WithGridShifted(web, 7);
        var file = Encoding.UTF8.GetBytes(county.ToJsonString());

        var strict = await DryRun(file, "");
        Assert.False(strict.Accepted);
        Assert.Contains(strict.Problems, p => p.Code == grid.Code || p.Message.Contains(grid.Code, StringComparison.Ordinal));
        Assert.All(strict.Problems, p => Assert.Contains("repair=true", p.Message));

        var repaired = await DryRun(file, "&repair=true");
        Assert.True(repaired.Accepted, string.Join("; ", repaired.Problems));
        Assert.False(repaired.Applied);
        Assert.Equal((619, "wgs84"), (repaired.Areas, repaired.Crs));
        // Where it left its village it is clipped; the sliver it left behind there comes back to it or a neighbour;
        // where it overlaps a neighbour in the village, the later of the two in the file gives way.
        Assert.Contains(repaired.Repairs, r => r.Code == grid.Code && r.Kind == RepairKind.ClippedToParent && r.Other == grid.ParentCode);
        Assert.All(repaired.Repairs, r => Assert.True(r.Code == grid.Code || r.Other == grid.Code || r.Other == grid.ParentCode, r.ToString()));
        Assert.All(repaired.Repairs, r => Assert.InRange(r.AreaChange, 0, JurisdictionImportOptions.DefaultTolerance));
        Assert.Equal(before, web.Directory.Version);

        using var tolerance = await web.Admin.PostAsync("/api/jurisdictions/import?dryRun=true&repair=true&tolerance=0.5", new ByteArrayContent(file));
        await ProblemAssert.Is(tolerance, HttpStatusCode.BadRequest, "tolerance");
        using var crs = await web.Admin.PostAsync("/api/jurisdictions/import?dryRun=true&crs=mercator", new ByteArrayContent(file));
        await ProblemAssert.Is(crs, HttpStatusCode.BadRequest, "crs");
        using var refused = await web.Admin.PostAsync("/api/jurisdictions/import", new ByteArrayContent(file));
        await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, $"features[{county["features"]!.AsArray().IndexOf(feature)}].geometry");
        Assert.Equal(before, web.Directory.Version);
    }

    private async Task<CommandCenter.Web.Application.JurisdictionImportSummary> DryRun(byte[] file, string options)
    {
        using var response = await web.Admin.PostAsync($"/api/jurisdictions/import?dryRun=true{options}", new ByteArrayContent(file));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return System.Text.Json.JsonSerializer.Deserialize<CommandCenter.Web.Application.JurisdictionImportSummary>(text, Json.Options)!;
    }

    [Fact]
    public async Task A_zip_of_shapefiles_is_read_as_one_and_what_is_missing_from_it_named()
    {
        using var zipped = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(zipped, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var shp = zip.CreateEntry("边界/grid.shp").Open();
            shp.Write(new byte[100]);
        }
        var file = zipped.ToArray();

        var checkedFile = await DryRun(file, "&codeField=XZQDM");
        using var refused = await web.Admin.PostAsync("/api/jurisdictions/import", new ByteArrayContent(file));

        Assert.False(checkedFile.Accepted);
        Assert.Contains("grid.shp has no .dbf", Assert.Single(checkedFile.Problems).Message);
        await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, "$");
        Assert.Equal(619, web.Directory.Tree!.All.Count);
    }

    [Fact]
    public async Task Malformed_and_oversized_county_files_are_400s()
    {
        using var malformed = await web.Admin.PostAsync("/api/jurisdictions/import", new StringContent("{\"type\":", Encoding.UTF8, "application/json"));
        await ProblemAssert.Is(malformed, HttpStatusCode.BadRequest, "$");

        using var huge = await web.Admin.PostAsync("/api/jurisdictions/import", new ByteArrayContent(new byte[JurisdictionGeoJson.MaxBytes + 1]));
        await ProblemAssert.Is(huge, HttpStatusCode.BadRequest, "$");
    }

    [Fact]
    public async Task Unknown_areas_are_404_problems()
    {
        foreach (var url in new[] { "/api/jurisdictions/nope", "/api/feeds/nope", "/api/jurisdictions/nope/geojson", "/api/workers?jurisdiction=nope" })
        {
            using var response = await web.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
    }
}
