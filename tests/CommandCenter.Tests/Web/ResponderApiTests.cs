using System.Net;
using System.Net.Http.Json;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Application;
using CommandCenter.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Tests.Web;

/// <summary>
/// The nearest responders of an incident (就近派单) over HTTP on the real stack: statuses and positions on the
/// people's grains, the ranking from the feed of the caller's area, and who may ask.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ResponderApiTests(WebFixture web)
{
    /// <summary>The last township's people: no other test moves them.</summary>
    private (Jurisdiction Township, string Grid, List<WorkerRecord> Own, List<WorkerRecord> Others) LastTownship()
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(web.CountyCode)[^1];
        var people = web.Directory.WorkersIn(township.Code)
            .Where(w => w.Role != WorkerRole.PatrolOfficer).OrderBy(w => w.GridCode, StringComparer.Ordinal).ThenBy(w => w.Id, StringComparer.Ordinal).ToList();
        var grid = people[0].GridCode;
        return (township, grid, people.Where(w => w.GridCode == grid).ToList(), people.Where(w => w.GridCode != grid).ToList());
    }

    private async Task Place(WorkerRecord worker, DutyStatus status, double lat, double lng, DateTimeOffset at)
    {
        var grain = web.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerGrain>(worker.Id);
        Assert.Null(await grain.SetStatus(status));
        Assert.Equal(PositionVerdict.Accepted, await grain.ReportPosition(lat, lng, at));
    }

    private static HttpRequestMessage Ask(Guid id, string query = "?limit=50") => new(HttpMethod.Get, $"/api/incidents/{id}/responders{query}");

    [Fact]
    public async Task The_grid_people_come_first_then_the_nearest_available_and_nobody_off_duty_silent_or_calling_for_help()
    {
        var (township, grid, own, others) = LastTownship();
        Assert.True(others.Count >= 5, "the last township has people in several grids");
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        double North(double meters) => lat + meters / Distance.MetersPerDegree;
        var now = DateTimeOffset.UtcNow;

        await Place(own[0], DutyStatus.OnDuty, North(800), lng, now);
        await Place(others[0], DutyStatus.OnDuty, North(100), lng, now);
        await Place(others[1], DutyStatus.OnPatrol, North(200), lng, now);
        await Place(others[2], DutyStatus.OffDuty, North(50), lng, now);
        await Place(others[3], DutyStatus.OnDuty, North(60), lng, now.AddMinutes(-7));
        await Place(others[4], DutyStatus.Sos, North(70), lng, now);

        using var report = Reports.Post(Reports.Body(lat, lng, "路灯倒伏压住人行道"));
        var incident = (await Reports.Created(await web.Http.SendAsync(report))).Id;
        using var station = await web.ClientAs($"station-{web.Directory.Tree.ChildrenOf(web.CountyCode).Count}");

        var offered = await Poll.Until(async () =>
            {
                using var response = await station.SendAsync(Ask(incident));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<List<ResponderView>>(Json.Options))!;
            },
            list => list.Any(r => r.WorkerId == others[1].Id), "the feed of the township knows the positions");

        var ids = offered.Select(r => r.WorkerId).ToList();
        Assert.Equal(own[0].Id, ids[0]);
        Assert.True(ids.IndexOf(others[0].Id) < ids.IndexOf(others[1].Id), string.Join(", ", ids));
        Assert.DoesNotContain(others[2].Id, ids);
        Assert.DoesNotContain(others[3].Id, ids);
        Assert.DoesNotContain(others[4].Id, ids);
        Assert.All(offered, r => Assert.True(web.Directory.Tree.IsWithin(r.GridCode, township.Code)));

        var first = offered[0];
        Assert.Equal((own[0].Name, grid, web.Directory.Tree.Find(grid)!.Name, DutyStatus.OnDuty, true),
            (first.Name, first.GridCode, first.GridName, first.Status, first.InIncidentGrid));
        Assert.InRange(first.DistanceMeters, 795, 805);
        var patrolling = offered.Single(r => r.WorkerId == others[1].Id);
        Assert.Equal((DutyStatus.OnPatrol, false), (patrolling.Status, patrolling.InIncidentGrid));
        Assert.InRange(patrolling.DistanceMeters, 195, 205);

        using var two = await station.SendAsync(Ask(incident, "?limit=2"));
        Assert.Equal(2, (await two.Content.ReadFromJsonAsync<List<ResponderView>>(Json.Options))!.Count);
    }

    [Fact]
    public async Task Another_townships_station_does_not_see_the_incident_and_a_limit_out_of_range_names_limit()
    {
        var (_, grid, _, _) = LastTownship();
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        using var report = Reports.Post(Reports.Body(lat, lng, "井盖缺失"));
        var incident = (await Reports.Created(await web.Http.SendAsync(report))).Id;

        using var firstStation = await web.ClientAs("station-1");
        using (var elsewhere = await firstStation.SendAsync(Ask(incident)))
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        using (var tooMany = await web.Http.SendAsync(Ask(incident, "?limit=51")))
            await ProblemAssert.Is(tooMany, HttpStatusCode.BadRequest, "limit");
        using (var none = await web.Http.SendAsync(Ask(incident, "?limit=0")))
            await ProblemAssert.Is(none, HttpStatusCode.BadRequest, "limit");
        using (var unknown = await web.Http.SendAsync(Ask(Guid.NewGuid())))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
