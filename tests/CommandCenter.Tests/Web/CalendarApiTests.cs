using System.Net;
using System.Net.Http.Json;
using CommandCenter.Calendar;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Web;

/// <summary>The calendar on the API: shipped years, an administrator publishing a year, refusals that name the fault.</summary>
[Collection(WebCollection.Name)]
public sealed class CalendarApiTests(WebFixture web)
{
    [Fact]
    public async Task An_administrator_replaces_a_year_and_deadlines_count_with_it()
    {
        var before = await web.Http.GetFromJsonAsync<List<CalendarYear>>("/api/calendar", Json.Options);
        Assert.Equal([2025, 2026, 2027], before!.Select(y => y.Year).Where(y => y < 2030));
        Assert.True(before!.Single(y => y.Year == 2027).Provisional);

        // 2031: a year nobody ships, published with a make-up Saturday and a holiday week.
        var published = new
        {
            year = 2031, source = "测试通知", provisional = false,
            daysOff = new[] { new { name = "国庆节", from = "2031-10-01", to = "2031-10-07" } },
            workingDays = new[] { new { name = "国庆节调休", date = "2031-10-11" } },
        };
        using var saved = await web.Admin.PutAsJsonAsync("/api/calendar/2031", published);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var after = await web.Http.GetFromJsonAsync<List<CalendarYear>>("/api/calendar", Json.Options);
        var year = Assert.Single(after!, y => y.Year == 2031);
        Assert.False(year.Provisional);
        var calendar = await web.Services.GetRequiredService<CalendarService>().Current();
        Assert.True(calendar.IsWorkingDay(new DateOnly(2031, 10, 11)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2031, 10, 3)));
        // Tuesday 30 Sep 2031, 1 working day: 1–7 Oct off, so the end of Wednesday 8 Oct.
        Assert.Equal(DateTimeOffset.Parse("2031-10-09T00:00:00+08:00"),
            calendar.WorkingDaysAfter(DateTimeOffset.Parse("2031-09-30T10:00:00+08:00"), 1));

        var rows = await web.Admin.GetFromJsonAsync<List<CommandCenter.Access.AuditEntry>>("/api/audit?action=calendar.save&target=2031", Json.Options);
        Assert.Equal("user:admin", Assert.Single(rows!).Actor);
    }

    [Fact]
    public async Task A_year_that_contradicts_itself_or_its_address_is_a_400_and_nothing_changes()
    {
        using var weekday = await web.Admin.PutAsJsonAsync("/api/calendar/2032", new
        {
            year = 2032, source = "s", provisional = false, daysOff = Array.Empty<object>(),
            workingDays = new[] { new { name = "x", date = "2032-03-03" } },
        });
        await ProblemAssert.Is(weekday, HttpStatusCode.BadRequest, "$");
        using var elsewhere = await web.Admin.PutAsJsonAsync("/api/calendar/2033", new
        {
            year = 2032, source = "s", provisional = false, daysOff = Array.Empty<object>(), workingDays = Array.Empty<object>(),
        });
        await ProblemAssert.Is(elsewhere, HttpStatusCode.BadRequest, "year");
        var years = await web.Http.GetFromJsonAsync<List<CalendarYear>>("/api/calendar", Json.Options);
        Assert.DoesNotContain(years!, y => y.Year is 2032 or 2033);
    }
}
