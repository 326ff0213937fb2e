using System.Net;
using System.Net.Http.Json;
using CommandCenter.Categories;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;

namespace CommandCenter.Tests.Web;

/// <summary>
/// The configured categories on the API: the default list, an administrator adding a child and retiring it (audited),
/// a report and a filter by code, and refusals that name the field.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CategoryApiTests(WebFixture web)
{
    [Fact]
    public async Task The_default_list_holds_the_articles_categories_and_integrations_read_it_too()
    {
        var list = await web.Http.GetFromJsonAsync<List<CategoryView>>("/api/categories", Json.Options);

        var neighbor = Assert.Single(list!, c => c.Code == "dispute.neighbor");
        Assert.Equal(("邻里纠纷", "矛盾纠纷 › 邻里纠纷", "dispute"), (neighbor.Name, neighbor.FullName, neighbor.Parent));
        Assert.Equal([CategoryKind.Dispute], list!.Single(c => c.Code == "dispute").CountsAs);
        Assert.Equal([CategoryKind.Petition], list!.Single(c => c.Code == "petition").CountsAs);
        Assert.Contains(list!, c => c.Code == "other" && c.Name == "其他");
        using var intake = web.IntakeClient();
        var asIntegration = await intake.GetFromJsonAsync<List<CategoryView>>("/api/categories", Json.Options);
        Assert.Equal(list!.Select(c => c.Code).Order(), asIntegration!.Select(c => c.Code).Where(c => list!.Any(l => l.Code == c)).Order());
    }

    [Fact]
    public async Task An_administrator_adds_a_child_reports_use_it_filters_by_its_parent_find_it_and_once_retired_it_takes_no_reports()
    {
        var code = "dispute.t" + Guid.NewGuid().ToString("N")[..8];
        using (var added = await web.Admin.PutAsJsonAsync($"/api/categories/{code}", new { name = "测试纠纷" + code[^4..], order = 19, active = true }))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            var view = await added.Content.ReadFromJsonAsync<CategoryView>(Json.Options);
            Assert.Equal($"矛盾纠纷 › 测试纠纷{code[^4..]}", view!.FullName);
        }
        var (lat, lng, grid) = Reports.InsideGrid(web, 21);
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(new { source = "gridWorker", category = code, title = "新类别的事件", lat, lng })));

        var filtered = await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={grid}&category=dispute&limit=500", Json.Options);
        Assert.Contains(filtered!, i => i.Id == created.Id && i.Category == code);
        var other = await web.Http.GetFromJsonAsync<List<IncidentDetails>>($"/api/incidents?jurisdiction={grid}&category=safety&limit=500", Json.Options);
        Assert.DoesNotContain(other!, i => i.Id == created.Id);

        using (var retired = await web.Admin.PutAsJsonAsync($"/api/categories/{code}", new { name = "测试纠纷" + code[^4..], order = 19, active = false }))
            Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        using var refused = await web.Http.SendAsync(Reports.Post(new { source = "gridWorker", category = code, title = "停用后的事件", lat, lng }));
        await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, "category");
        var kept = await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options);
        Assert.Equal(code, kept!.Category);

        var rows = await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>($"/api/audit?action=category.save&target={code}", Json.Options);
        Assert.Equal(2, rows!.Count);
        Assert.All(rows, r => Assert.Equal("user:admin", r.Actor));
        Assert.Contains(rows, r => r.Detail!.Contains("(retired)"));
    }

    [Fact]
    public async Task A_bad_edit_is_a_400_naming_the_field_a_non_administrator_is_refused_and_nothing_changes()
    {
        using (var shape = await web.Admin.PutAsJsonAsync("/api/categories/Bad%20Code", new { name = "坏编码", order = 1, active = true }))
            await ProblemAssert.Is(shape, HttpStatusCode.BadRequest, "code");
        using (var orphan = await web.Admin.PutAsJsonAsync("/api/categories/nowhere.child", new { name = "孤儿", order = 1, active = true }))
            await ProblemAssert.Is(orphan, HttpStatusCode.BadRequest, "code");
        using (var twin = await web.Admin.PutAsJsonAsync("/api/categories/dispute.twin", new { name = "邻里纠纷", order = 1, active = true }))
            await ProblemAssert.Is(twin, HttpStatusCode.BadRequest, "name");
        using (var kind = await web.Admin.PutAsJsonAsync("/api/categories/kindless", new { name = "无效口径", order = 1, active = true, countsAs = new[] { "gossip" } }))
            await ProblemAssert.Is(kind, HttpStatusCode.BadRequest, "countsAs[0]");
        using (var duty = await web.Http.PutAsJsonAsync("/api/categories/dispute", new { name = "改名", order = 1, active = true }))
            Assert.Equal(HttpStatusCode.Forbidden, duty.StatusCode);

        var list = await web.Http.GetFromJsonAsync<List<CategoryView>>("/api/categories", Json.Options);
        Assert.DoesNotContain(list!, c => c.Code is "nowhere.child" or "dispute.twin" or "kindless");
        Assert.Equal("矛盾纠纷", list!.Single(c => c.Code == "dispute").Name);
    }

    [Fact]
    public async Task Alert_categories_are_codes_and_an_unknown_one_is_a_400()
    {
        using var police = await web.ClientAs("police-1");
        using var refused = await police.PutAsJsonAsync("/api/alerts/categories", new { categories = new[] { "治安隐患" } });
        await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, "categories");
    }
}
