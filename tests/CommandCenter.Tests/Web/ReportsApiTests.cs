using System.Net;
using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.Equal(["概况", "外勤与指挥", "趋势", "下级", "类别", "来源", "重点案件"], book.GetSheetNames());
        var fieldRows = book.Query(useHeaderRow: true, sheetName: "外勤与指挥").Cast<IDictionary<string, object>>().ToList();
        var field = fieldRows[0];
        Assert.Equal(township.Name, field["名称"]);
        Assert.Equal(api.Field.Alerts, Convert.ToInt64(field["警情"]));
        Assert.Contains("巡查完成率", field.Keys);
        Assert.Equal(web.Directory.Tree.ChildrenOf(township.Code).Select(v => v.Name), fieldRows.Skip(1).Select(r => (string)r["名称"]));
        Assert.Equal(api.Field.PatrolWindowsDue, fieldRows.Skip(1).Sum(r => Convert.ToInt64(r["应巡时段"])));
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
        await Reports.StationGetsOnlyItsOwnTownship(web, township => $"/api/reports/{township}/monthly.xlsx?month=2026-12");
    }

    [Fact]
    public async Task On_the_build_day_each_townships_monthly_report_is_stored_once_and_listed_as_ready()
    {
        var job = web.Services.GetRequiredService<CommandCenter.Web.Hosting.MonthlyReportJob>();
        var townships = web.Directory.Tree!.All.Where(j => j.Level == CommandCenter.Geography.JurisdictionLevel.Township).ToList();

        await job.BuildDue(DateTimeOffset.Parse("2026-12-20T00:10:00+08:00"));
        Assert.Equal(0, await job.BuildDue(DateTimeOffset.Parse("2026-12-21T09:00:00+08:00")));

        var ready = (await web.Http.GetFromJsonAsync<MonthlyReadiness>($"/api/reports/{web.CountyCode}/monthly-ready?month=2026-11", Json.Options))!;
        Assert.Equal("2026年11月", ready.Period);
        Assert.Equal(townships.Select(t => t.Code).Order(), ready.Units.Select(t => t.Code).Order());
        Assert.All(ready.Units, t => Assert.True(t.Ready, $"{t.Name} has no stored report"));
        using var stored = await web.Http.GetAsync($"/api/reports/{townships[0].Code}/stored/monthly.xlsx?month=2026-11");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal($"{townships[0].Name}2026年11月统计.xlsx", stored.Content.Headers.ContentDisposition!.FileNameStar);
        using var book = new MemoryStream(await stored.Content.ReadAsByteArrayAsync());
        Assert.Equal(30, book.Query(useHeaderRow: true, sheetName: "趋势").Count());

        var future = (await web.Http.GetFromJsonAsync<MonthlyReadiness>($"/api/reports/{web.CountyCode}/monthly-ready?month=2031-01", Json.Options))!;
        Assert.All(future.Units, t => Assert.False(t.Ready));
        using (var missing = await web.Http.GetAsync($"/api/reports/{townships[0].Code}/stored/monthly.xlsx?month=2031-01"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var bad = await web.Http.GetAsync($"/api/reports/{web.CountyCode}/monthly-ready?month=2026-13"))
            await ProblemAssert.Is(bad, HttpStatusCode.BadRequest, "month");
    }

    private static string LastDay(string month) =>
        new DateOnly(int.Parse(month[..4]), int.Parse(month[5..]), 1).AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd");
}
