using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Web;

/// <summary>
/// A re-import without loss (#19) on the real PostgreSQL, cluster and feeds: the demo county's last grid (no demo
/// account works in it) is split into a west and an east half, which is refused until the successors are named; the
/// split moves its open cases (through their grains: the log, the read model and the feeds agree), people and
/// cameras to the half each is in, audited; merging the halves back brings everything home. A grid renamed and moved
/// to a neighbouring village on the admin's request takes its open case to the new path; the original file puts
/// it back.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ReimportTests(WebFixture web)
{
    private async Task<JurisdictionImportSummary> Import(JsonNode file, string query)
    {
        using var response = await web.Admin.PostAsync($"/api/jurisdictions/import?repair=true{query}",
            new StringContent(file.ToJsonString(), Encoding.UTF8, "application/geo+json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JurisdictionImportSummary>(text, Json.Options)!;
    }

    private async Task<Guid> ReportAt(Point place, string title)
    {
        using var response = await web.Http.SendAsync(Reports.Post(Reports.Body(place.Y, place.X, title)));
        return (await Reports.Created(response)).Id;
    }

    private async Task<IncidentDetails> Case(Guid id) => (await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{id}", Json.Options))!;

    private async Task<FeedCounters> Counters(string code) =>
        (await web.Http.GetFromJsonAsync<FeedSnapshot>($"/api/feeds/{code}/snapshot", Json.Options))!.Counters;

    [Fact]
    public async Task A_split_grid_moves_its_open_cases_people_and_cameras_by_the_successors_and_merging_it_back_brings_them_home()
    {
        var tree = web.Directory.Tree!;
        var grid = tree.All.Last(j => j.Level == JurisdictionLevel.Grid);
        var village = grid.ParentCode!;
        var people = web.Directory.WorkersIn(grid.Code).Select(w => w.Id).Order().ToList();
        var cameras = web.Directory.CamerasIn(grid.Code).Select(c => c.Id).Order().ToList();
        var patrols = web.Services.GetRequiredService<CommandCenter.Patrols.PatrolStore>();
        var checkpoints = (await patrols.Checkpoints([grid.Code])).Select(c => c.Name).ToList();
        Assert.NotEmpty(checkpoints);
        var original = await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson");
        var (file, west, east) = await CountyFiles.WithGridSplit(web, grid);
        var inWest = await ReportAt(west.Area.InteriorPoint, "西半边路灯不亮");
        var inEast = await ReportAt(east.Area.InteriorPoint, "东半边井盖缺失");
        var (gridOpen, villageOpen) = ((await Counters(grid.Code)).Open, (await Counters(village)).Open);
        var successors = $"&successors={grid.Code}={west.Code},{grid.Code}={east.Code}";

        using (var refused = await web.Admin.PostAsync("/api/jurisdictions/import?repair=true",
                   new StringContent(file.ToJsonString(), Encoding.UTF8, "application/geo+json")))
        {
            Assert.Contains(grid.Code, await refused.Content.ReadAsStringAsync());
            await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, JurisdictionSuccessors.Field);
        }
        var dryRun = await Import(file, "&dryRun=true" + successors);
        Assert.False(dryRun.Applied);
        Assert.Equal(people, dryRun.Moved.People.Select(m => m.Id).Order());
        Assert.Contains(dryRun.Moved.Cases, m => m.Id == inWest.ToString() && m.To == west.Code);
        Assert.Equal(grid.Code, (await Case(inWest)).GridCode);

        try
        {
            var split = await Import(file, successors);

            Assert.True(split.Applied);
            Assert.Equal([new Succession(grid.Code, west.Code), new Succession(grid.Code, east.Code)], split.Moved.Successions);
            Assert.Equal(0, split.Moved.CasesLeft);
            Assert.Equal(people, split.Moved.People.Select(m => m.Id).Order());
            Assert.Equal(cameras, split.Moved.Cameras.Select(m => m.Id).Order());
            Assert.All(split.Moved.People.Concat(split.Moved.Cameras), m => Assert.Contains(m.To, new[] { west.Code, east.Code }));
            Assert.Equal(people, web.Directory.WorkersIn(west.Code).Concat(web.Directory.WorkersIn(east.Code)).Select(w => w.Id).Order());
            Assert.Empty(web.Directory.WorkersIn(grid.Code));
            Assert.Equal(checkpoints.Count, split.Moved.Checkpoints);
            Assert.Equal(checkpoints.Order(), (await patrols.Checkpoints([west.Code, east.Code])).Select(c => c.Name).Order());

            var (westCase, eastCase) = (await Case(inWest), await Case(inEast));
            Assert.Equal((west.Code, west.Code), (westCase.GridCode, westCase.Level));
            Assert.Equal([west.Code, .. tree.PathToRoot(village)], westCase.Path);
            Assert.Equal(east.Code, eastCase.GridCode);
            var moved = JsonNode.Parse(await web.Http.GetStringAsync($"/api/incidents/{inEast}/timeline"))!.AsArray()[^1]!;
            Assert.Equal((IncidentEventKinds.Moved, "user:admin", east.Code), ((string?)moved["kind"], (string?)moved["actor"], (string?)moved["data"]!["gridCode"]));
            // The read model agrees with the log: the list of the new half holds the case.
            var listed = (await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={east.Code}", Json.Options))!;
            Assert.Contains(listed, i => i.Id == inEast);

            // The feeds: the village counts the same open cases; the halves share the grid's.
            Assert.Equal(villageOpen, (await Counters(village)).Open);
            Assert.Equal(gridOpen, (await Counters(west.Code)).Open + (await Counters(east.Code)).Open);
            var westFeed = (await web.Http.GetFromJsonAsync<FeedPage>($"/api/feeds/{west.Code}?after=0", Json.Options))!;
            Assert.Contains(westFeed.Entries, e => e.Kind == FeedKinds.IncidentMoved && e.Incident.Id == inWest);

            var audit = (await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>(
                $"/api/audit?action={CommandCenter.Access.AuditActions.MoveToSuccessor}&limit=500", Json.Options))!;
            Assert.Contains(audit, row => row.Target == inWest.ToString() && row.Detail == $"incident {grid.Code} → {west.Code}");
            Assert.Contains(audit, row => row.Target == people[0] && row.Detail!.StartsWith($"person {grid.Code} → ", StringComparison.Ordinal));
        }
        finally
        {
            var merged = await Import(JsonNode.Parse(original)!, $"&successors={west.Code}={grid.Code},{east.Code}={grid.Code}");
            Assert.True(merged.Applied);
        }

        Assert.Equal((grid.Code, grid.Code), ((await Case(inWest)).GridCode, (await Case(inEast)).GridCode));
        Assert.Equal(people, web.Directory.WorkersIn(grid.Code).Select(w => w.Id).Order());
        Assert.Equal(cameras, web.Directory.CamerasIn(grid.Code).Select(c => c.Id).Order());
        Assert.Equal(checkpoints.Order(), (await patrols.Checkpoints([grid.Code])).Select(c => c.Name).Order());
        Assert.Equal(486, web.Directory.Tree!.All.Count(j => j.Level == JurisdictionLevel.Grid));
        Assert.Equal((gridOpen, villageOpen), ((await Counters(grid.Code)).Open, (await Counters(village)).Open));
    }

    private async Task<HttpResponseMessage> Edit(string code, object body) =>
        await web.Admin.PatchAsync($"/api/jurisdictions/{code}", JsonContent.Create(body, options: Json.Options));

    [Fact]
    public async Task A_grid_renamed_and_moved_to_a_neighbouring_village_takes_its_open_case_along()
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(web.CountyCode)[^1];
        var (grid, neighbour) = await FirstMovable(tree.Within(township.Code, JurisdictionLevel.Grid).Reverse());
        var village = grid.ParentCode!;
        var original = await web.Http.GetByteArrayAsync($"/api/jurisdictions/{web.CountyCode}/geojson");
        var (lat, lng) = tree.CenterOf(grid.Code);
        var inGrid = await ReportAt(new Point(lng, lat), "路面塌陷");
        try
        {
            using (var moved = await Edit(grid.Code, new { parentCode = neighbour.Code, name = "新划入网格" }))
                Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

            Assert.Equal(neighbour.Code, web.Directory.Tree!.Find(grid.Code)!.ParentCode);
            Assert.Equal("新划入网格", web.Directory.Tree.NameOf(grid.Code));
            var incident = await Case(inGrid);
            Assert.Equal([grid.Code, .. web.Directory.Tree.PathToRoot(neighbour.Code)], incident.Path);
            Assert.Equal(grid.Code, incident.Level);
            var listed = (await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={neighbour.Code}", Json.Options))!;
            Assert.Contains(listed, i => i.Id == inGrid);
            using (var renamed = await Edit(village, new { name = "改名后的村" }))
                Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
            Assert.Equal("改名后的村", web.Directory.Tree.NameOf(village));
            var audit = (await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>(
                $"/api/audit?action={CommandCenter.Access.AuditActions.EditJurisdiction}&limit=50", Json.Options))!;
            Assert.Contains(audit, row => row.Target == grid.Code
                && row.Detail!.StartsWith($"name {grid.Name} → 新划入网格; village {village} → {neighbour.Code}; ", StringComparison.Ordinal)
                && row.Detail.EndsWith(" open cases moved", StringComparison.Ordinal));
            Assert.Contains(audit, row => row.Target == village && row.Detail == $"name {tree.NameOf(village)} → 改名后的村");

            using (var empty = await Edit(grid.Code, new { }))
                await ProblemAssert.Is(empty, HttpStatusCode.BadRequest, "name");
            using (var blank = await Edit(grid.Code, new { name = " " }))
                await ProblemAssert.Is(blank, HttpStatusCode.BadRequest, "name");
            using (var far = await Edit(grid.Code, new { parentCode = tree.ChildrenOf(tree.ChildrenOf(web.CountyCode)[0].Code)[0].Code }))
                await ProblemAssert.Is(far, HttpStatusCode.BadRequest, "parentCode");
            using (var unknown = await Edit("NOPE", new { name = "某村" }))
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            Assert.True((await Import(JsonNode.Parse(original)!, "")).Applied);
        }
        Assert.Equal(village, web.Directory.Tree!.Find(grid.Code)!.ParentCode);
        Assert.Equal(tree.PathToRoot(grid.Code), (await Case(inGrid)).Path);
        Assert.Equal(grid.Name, web.Directory.Tree.NameOf(grid.Code));
    }

    /// <summary>The first grid of <paramref name="grids"/> whose village has another grid, with a village it borders.</summary>
    private async Task<(Jurisdiction Grid, JurisdictionItem Neighbour)> FirstMovable(IEnumerable<Jurisdiction> grids)
    {
        foreach (var grid in grids.Where(g => web.Directory.Tree!.ChildrenOf(g.ParentCode!).Count > 1))
        {
            var neighbours = (await web.Http.GetFromJsonAsync<List<JurisdictionItem>>($"/api/jurisdictions/{grid.Code}/neighbours", Json.Options))!;
            if (neighbours.Count > 0)
                return (grid, neighbours[0]);
        }
        throw new InvalidOperationException("No grid of the township borders another village.");
    }
}
