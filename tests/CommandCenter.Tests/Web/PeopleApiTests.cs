using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;

namespace CommandCenter.Tests.Web;

/// <summary>
/// The county's people list imported over HTTP on the real PostgreSQL (CSV or Excel, Chinese headers), all or
/// nothing. It imports people already on the books with their phones, so the demo county's counts stay as they are.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PeopleApiTests(WebFixture web)
{
    private static string RoleName(WorkerRole role) => role switch
    {
        WorkerRole.GridChief => "网格长",
        WorkerRole.GridWorker => "网格员",
        _ => "民警",
    };

    private async Task<string?> PhoneOf(string grid, string id) =>
        (await web.Http.GetFromJsonAsync<List<PersonListing>>($"/api/workers?jurisdiction={grid}", Json.Options))!.Single(p => p.Id == id).Phone;

    [Fact]
    public async Task A_people_list_in_csv_sets_their_phones_and_an_excel_list_with_a_bad_row_takes_nobody()
    {
        var (_, _, grid) = Reports.InsideGrid(web, 11);
        var person = web.Directory.WorkersIn(grid)[0];
        var csv = $"编号,姓名,角色,网格,电话\n{person.Id},{person.Name},{RoleName(person.Role)},{grid},13912345678\n";

        using var imported = await web.Admin.PostAsync("/api/workers/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var summary = (await imported.Content.ReadFromJsonAsync<PeopleImportSummary>(Json.Options))!;
        Assert.Equal(1, summary.People);
        Assert.Equal("13912345678", await PhoneOf(grid, person.Id));
        var audit = (await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>("/api/audit?action=people.import&limit=5", Json.Options))!;
        Assert.Contains(audit, row => row.Actor == "user:admin" && row.Detail!.StartsWith("1 people", StringComparison.Ordinal));

        var village = web.Directory.Tree!.Find(grid)!.ParentCode!;
        using var sheet = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(sheet, new[]
        {
            new Dictionary<string, object> { ["编号"] = person.Id, ["姓名"] = person.Name, ["角色"] = RoleName(person.Role), ["网格"] = grid, ["电话"] = "13800000000" },
            new Dictionary<string, object> { ["编号"] = "P-new", ["姓名"] = "新人", ["角色"] = "网格员", ["网格"] = village, ["电话"] = "" },
        });
        using var refused = await web.Admin.PostAsync("/api/workers/import", new ByteArrayContent(sheet.ToArray())
        {
            Headers = { ContentType = new(SpreadsheetTable.ContentType) },
        });
        await ProblemAssert.Is(refused, HttpStatusCode.BadRequest, "rows[2].grid");
        Assert.Equal("13912345678", await PhoneOf(grid, person.Id));
        Assert.Null(web.Directory.Worker("P-new"));

        using var json = await web.Admin.PostAsync("/api/workers/import", JsonContent.Create(new { id = "x" }));
        await ProblemAssert.Is(json, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("text/csv", await json.Content.ReadAsStringAsync());
    }
}
