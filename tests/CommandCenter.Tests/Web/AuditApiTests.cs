using System.Net;
using System.Net.Http.Json;
using CommandCenter.Access;
using CommandCenter.Tests.Infrastructure;

namespace CommandCenter.Tests.Web;

/// <summary>Paging and filtering the audit log.</summary>
[Collection(WebCollection.Name)]
public sealed class AuditApiTests(WebFixture web)
{
    [Fact]
    public async Task The_audit_log_pages_backwards_and_filters_by_action_and_time()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (lat, lng, _) = Reports.InsideGrid(web, 40);
        for (var i = 0; i < 3; i++)
            await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"审计分页{i}"))));

        var query = $"/api/audit?actor=user:duty&action={AuditActions.ReportIncident}&from={Uri.EscapeDataString(start.ToString("O"))}";
        var first = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>(query + "&limit=2", Json.Options))!;
        var second = (await web.Admin.GetFromJsonAsync<List<AuditEntry>>(query + $"&limit=2&before={first[^1].Id}", Json.Options))!;

        Assert.Equal(2, first.Count);
        Assert.True(first[0].Id > first[1].Id);
        Assert.NotEmpty(second);
        Assert.True(second[0].Id < first[1].Id);
        Assert.All(first.Concat(second), r => Assert.Equal((AuditActions.ReportIncident, "user:duty"), (r.Action, r.Actor)));
        Assert.All(first.Concat(second), r => Assert.True(r.At >= start));
        Assert.Contains(first.Concat(second), r => r.Detail!.Contains("审计分页0"));

        var future = await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}", Json.Options);
        Assert.Empty(future!);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-40", "to")]
    [InlineData("before=-3", "before")]
    [InlineData("limit=501", "limit")]
    public async Task Bad_filters_are_400s_naming_the_parameter(string query, string field) =>
        await ProblemAssert.Is(await web.Admin.GetAsync("/api/audit?" + query), HttpStatusCode.BadRequest, field);
}
