using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using Microsoft.Extensions.DependencyInjection;

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

    private async Task<PeopleImportSummary> ImportCsv(string csv)
    {
        using var response = await web.Admin.PostAsync("/api/workers/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<PeopleImportSummary>(text, Json.Options)!;
    }

    [Fact]
    public async Task An_officers_row_with_an_account_creates_it_over_his_grids_and_a_later_list_gives_it_other_grids()
    {
        var officer = web.Directory.WorkersIn(web.CountyCode).Where(w => w.Role == WorkerRole.PatrolOfficer).OrderBy(w => w.Id).Last();
        var tree = web.Directory.Tree!;
        var grids = new[] { officer.GridCode }.Concat(tree.ChildrenOf(tree.Find(officer.GridCode)!.ParentCode!).Select(g => g.Code)
            .Where(g => g != officer.GridCode).Take(2)).ToList();
        Assert.Equal(3, grids.Count);
        var username = "officer-" + Guid.NewGuid().ToString("N")[..6];
        var header = "编号,姓名,角色,网格,账号\n";

        var first = await ImportCsv(header + $"{officer.Id},{officer.Name},民警,{string.Join("、", grids)},{username}\n");

        var account = Assert.Single(first.Accounts);
        Assert.Equal((username, officer.Name, CommandCenter.Access.Role.PatrolPolice, true), (account.Username, account.Name, account.Role, account.Created));
        Assert.Equal(grids, account.Grids);
        Assert.Equal(16, account.Password!.Length);
        Assert.Equal(officer.GridCode, web.Directory.Worker(officer.Id)!.GridCode);
        using (var anonymous = new HttpClient { BaseAddress = web.BaseAddress })
        using (var signIn = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = account.Password }))
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var bindings = web.Services.GetRequiredService<CommandCenter.Access.PoliceBindingDirectory>();
        var bound = await bindings.Current();
        Assert.All(grids, g => Assert.Contains(username, bound.For(g).Select(o => o.Username)));

        var second = await ImportCsv(header + $"{officer.Id},{officer.Name},民警,{grids[0]};{grids[2]},{username}\n");
        var again = Assert.Single(second.Accounts);
        Assert.Equal((false, (string?)null), (again.Created, again.Password));
        var stored = await web.Services.GetRequiredService<CommandCenter.Access.AccountStore>().Find(username);
        Assert.Equal([grids[0], grids[2]], stored!.Jurisdictions);
        Assert.DoesNotContain(username, (await bindings.Current()).For(grids[1]).Select(o => o.Username));

        // Someone else's account: refused, the row named, nothing changed.
        using var theirs = await web.Admin.PostAsync("/api/workers/import",
            new StringContent(header + $"{officer.Id},{officer.Name},民警,{grids[1]},duty\n", Encoding.UTF8, "text/csv"));
        await ProblemAssert.Is(theirs, HttpStatusCode.BadRequest, "rows[1].account");
        Assert.Equal([grids[0], grids[2]], (await web.Services.GetRequiredService<CommandCenter.Access.AccountStore>().Find(username))!.Jurisdictions);
        var audit = (await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>(
            $"/api/audit?action={CommandCenter.Access.AuditActions.CreateAccount}&target=user:{username}", Json.Options))!;
        Assert.Single(audit);
    }
}
