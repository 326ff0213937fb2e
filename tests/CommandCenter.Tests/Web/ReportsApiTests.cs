using System.Net;
using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using MiniExcelLibs;

namespace CommandCenter.Tests.Web;

/// <summary>The period reports as Excel workbooks, opened and read back: sheets, Chinese headers, row counts, dates as dates, totals equal to the API's.</summary>
[Collection(WebCollection.Name)]
public sealed class ReportsApiTests(WebFixture web)
{
    [Fact]
    public async Task The_monthly_report_of_a_township_holds_its_figures_sheet_by_sheet_as_the_api_gives_them()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode)[0];
        var (lat, lng, _) = Reports.InsideGrid(web, 0);
        await Reports.Created(await web.Http.SendAsync(Reports.Post(new { source = "petition", category = "petition", title = "月报测试", lat, lng })));
        var month = ChinaTime.Day(DateTimeOffset.UtcNow).ToString("yyyy-MM");
        var api = (await web.Http.GetFromJsonAsync<StatsView>($"/api/stats/{township.Code}?from={month}-01&to={LastDay(month)}", Json.Options))!;

        using var response = await web.Http.GetAsync($"/api/reports/{township.Code}/monthly.xlsx?month={month}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReportExport.ContentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar);
        using var book = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["概况", "趋势", "下级", "类别", "来源"], book.GetSheetNames());
        var summary = Assert.Single(book.Query(useHeaderRow: true, sheetName: "概况").Cast<IDictionary<string, object>>());
        Assert.Equal(township.Name, summary["名称"]);
        Assert.Equal(api.Total.Counts.Reported, Convert.ToInt64(summary["上报"]));
        Assert.Equal(api.Total.Counts.Closed, Convert.ToInt64(summary["办结"]));
        Assert.Contains("办结率", summary.Keys);
        var days = book.Query(useHeaderRow: true, sheetName: "趋势").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(DateTime.DaysInMonth(int.Parse(month[..4]), int.Parse(month[5..])), days.Count);
        Assert.IsType<DateTime>(days[0]["日期"]);
        Assert.Equal(api.Total.Counts.Reported, days.Sum(d => Convert.ToInt64(d["上报"])));
        var villages = book.Query(useHeaderRow: true, sheetName: "下级").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(web.Directory.Tree.ChildrenOf(township.Code).Select(v => v.Name), villages.Select(v => (string)v["名称"]));
    }

    [Theory]
    [InlineData("daily.xlsx?date=2026-02-30", "date")]
    [InlineData("weekly.xlsx?week=2026-49", "week")]
    [InlineData("monthly.xlsx", "month")]
    [InlineData("quarterly.xlsx?quarter=2026Q5", "quarter")]
    public async Task A_period_that_is_not_one_is_a_400_naming_its_field(string path, string field)
    {
        using var response = await web.Http.GetAsync($"/api/reports/{web.CountyCode}/{path}");

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Every_period_has_its_report_and_a_station_gets_only_its_own()
    {
        foreach (var path in new[] { "daily.xlsx?date=2026-12-07", "weekly.xlsx?week=2026-W49", "quarterly.xlsx?quarter=2026Q4" })
        {
            using var response = await web.Http.GetAsync($"/api/reports/{web.CountyCode}/{path}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var book = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains("趋势", book.GetSheetNames());
        }
        using var station = await web.ClientAs("station-1");
        var townships = web.Directory.Tree!.ChildrenOf(web.CountyCode);
        using var other = await station.GetAsync($"/api/reports/{townships[1].Code}/monthly.xlsx?month=2026-12");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    private static string LastDay(string month) =>
        new DateOnly(int.Parse(month[..4]), int.Parse(month[5..]), 1).AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd");
}
