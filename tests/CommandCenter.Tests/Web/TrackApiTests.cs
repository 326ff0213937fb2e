using System.Net;
using System.Net.Http.Json;
using CommandCenter.Jurisdictions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tracks;
using CommandCenter.Web.Application;
using CommandCenter.Access;
using CommandCenter.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Tests.Web;

/// <summary>
/// Track history on the real PostgreSQL: positions sent through the intake are written in the background and read
/// back simplified through <c>GET /api/workers/{id}/track</c>, old days are dropped by the retention sweep, and
/// a caller sees only the tracks of people within their jurisdiction.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class TrackApiTests(WebFixture web)
{
    private const double MetresPerDegree = 111_195.0;

    private TrackStore Store => web.Services.GetRequiredService<TrackStore>();

    [Fact]
    public async Task A_batch_of_positions_is_stored_and_comes_back_as_its_simplified_track_with_its_times()
    {
        var worker = PersonIn(township: 0, index: 5);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var walked = await WalkEastThenNorth(web, worker);
        var to = DateTimeOffset.UtcNow.AddMinutes(1);

        var track = await Poll.Until(() => Track(web.Http, worker.Id, from, to), t => t.Recorded == walked,
            $"all {walked} positions in the history");

        Assert.Equal(worker.Name, track.Name);
        Assert.Equal(3, track.Points.Count); // the start, the corner and the end
        Assert.Equal(worker.HomeLongitude + 400 / (MetresPerDegree * Math.Cos(worker.HomeLatitude * Math.PI / 180)), track.Points[1].Lng, 9);
        Assert.Equal(worker.HomeLatitude, track.Points[1].Lat, 9);
        Assert.True(track.Points[0].At < track.Points[1].At && track.Points[1].At < track.Points[2].At, "times kept in order");
        Assert.All(track.Points, p => Assert.InRange(p.At, from, to));
    }

    [Fact]
    public async Task The_retention_sweep_drops_the_days_past_retention_and_makes_the_days_ahead()
    {
        var worker = PersonIn(township: 0, index: 6);
        var now = DateTimeOffset.UtcNow;
        var old = PositionPartitions.RangeOf(PositionPartitions.DayOf(now.AddDays(-91)));
        var kept = PositionPartitions.RangeOf(PositionPartitions.DayOf(now.AddDays(-89)));
        await Store.EnsurePartitions([PositionPartitions.DayOf(old.From), PositionPartitions.DayOf(kept.From)]);
        await Store.Append([
            new(worker.Id, worker.HomeLatitude, worker.HomeLongitude, old.From.AddHours(9)),
            new(worker.Id, worker.HomeLatitude, worker.HomeLongitude, kept.From.AddHours(9)),
        ]);
        Assert.Equal(1, (await Track(web.Http, worker.Id, old.From, old.To)).Recorded);

        var dropped = await Store.Sweep(now);

        Assert.Contains(PositionPartitions.NameOf(PositionPartitions.DayOf(old.From)), dropped);
        Assert.Equal(0, (await Track(web.Http, worker.Id, old.From, old.To)).Recorded);
        Assert.Equal(1, (await Track(web.Http, worker.Id, kept.From, kept.To)).Recorded);
        var partitions = await Store.Partitions();
        Assert.All(PositionPartitions.DaysToCreate(now, daysAhead: 2), day => Assert.Contains(PositionPartitions.NameOf(day), partitions));
        Assert.Empty(PositionPartitions.ToDrop(partitions, now, TimeSpan.FromDays(90)));
    }

    [Fact]
    public async Task A_station_sees_the_tracks_of_its_own_township_only()
    {
        var inside = PersonIn(township: 0, index: 0);
        var outside = PersonIn(township: 1, index: 0);
        using var station = await web.ClientAs("station-1");
        var (from, to) = (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);

        using (var own = await station.GetAsync(Path(inside.Id, from, to)))
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var other = await station.GetAsync(Path(outside.Id, from, to));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(outside.Name, await other.Content.ReadAsStringAsync());
        using var unknown = await station.GetAsync(Path("nobody", from, to));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(null, "2026-12-03T10:00:00+08:00", "from")]
    [InlineData("2026-12-03T08:00:00+08:00", null, "to")]
    [InlineData("yesterday", "2026-12-03T10:00:00+08:00", "from")]
    [InlineData("2026-12-03T08:00:00+08:00", "2026-12-03T25:00:00+08:00", "to")]
    [InlineData("2026-12-03T10:00:00+08:00", "2026-12-03T08:00:00+08:00", "to")]
    [InlineData("2026-12-03T08:00:00+08:00", "2026-12-03T08:00:00+08:00", "to")]
    [InlineData("2026-11-25T08:00:00+08:00", "2026-12-03T08:00:00+08:00", "to")]
    public async Task A_missing_bad_reversed_or_too_long_period_is_a_problem_naming_the_field(string? from, string? to, string field)
    {
        var query = string.Join("&", new[] { ("from", from), ("to", to) }.Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        using var response = await web.Http.GetAsync($"/api/workers/{PersonIn(0, 0).Id}/track?{query}");

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_period_holding_more_positions_than_one_request_reads_is_refused_naming_to()
    {
        var worker = PersonIn(township: 0, index: 7);
        // A period of tomorrow (its partition is made ahead): no other test's positions fall in it.
        var from = DateTimeOffset.UtcNow.AddDays(1);
        await Store.Append([.. Enumerable.Range(0, 5).Select(i => new WorkerPosition(worker.Id, worker.HomeLatitude, worker.HomeLongitude + i * 1e-4, from.AddMinutes(i)))]);
        var duty = new Caller(Caller.UserId("duty"), "duty", Role.DutyOfficer, [web.CountyCode]);
        TrackService Reading(int max) => new(web.Services.GetRequiredService<WorkerService>(), Store, Options.Create(new TrackOptions { MaxRecorded = max }),
            web.Services.GetRequiredService<ReadAudit>());
        var query = new TrackQuery(from.ToString("O"), from.AddMinutes(10).ToString("O"));

        var refused = await Reading(4).Read(new Actor(duty, null), worker.Id, query);
        var read = await Reading(5).Read(new Actor(duty, null), worker.Id, query);

        Assert.Equal("to", Assert.Single(refused.Refusal!.Errors!).Key);
        Assert.Equal(5, read.Value!.Recorded);
    }

    [Fact]
    public async Task Seven_days_is_the_longest_period()
    {
        var to = DateTimeOffset.UtcNow;
        using var response = await web.Http.GetAsync(Path(PersonIn(0, 0).Id, to.AddDays(-7), to));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Sends a walk from the person's home, 40 steps east then 30 north (<paramref name="step"/> metres each), each step
    /// in a batch of its own through the intake (so each has its own time); answers how many positions were sent.
    /// </summary>
    internal static async Task<int> WalkEastThenNorth(WebFixture web, WorkerRecord worker, double step = 10)
    {
        var cos = Math.Cos(worker.HomeLatitude * Math.PI / 180);
        var steps = Enumerable.Range(1, 40).Select(i => (east: i * step, north: 0.0))
            .Concat(Enumerable.Range(1, 30).Select(i => (east: 40 * step, north: i * step))).ToList();
        using var intake = web.IntakeClient();
        // The device's times half a second apart, the last one now: the position filter drops positions not newer
        // than the last and steps faster than its speed limit, and a wall's period ends now.
        var start = DateTimeOffset.UtcNow.AddMilliseconds(-500 * steps.Count);
        foreach (var (i, (east, north)) in steps.Index())
        {
            using var response = await intake.PostAsJsonAsync("/api/intake/positions", new[]
            {
                new
                {
                    workerId = worker.Id, lat = worker.HomeLatitude + north / MetresPerDegree, lng = worker.HomeLongitude + east / (MetresPerDegree * cos),
                    at = start.AddMilliseconds(500 * (i + 1)),
                },
            });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        return steps.Count;
    }

    private WorkerRecord PersonIn(int township, int index)
    {
        var tree = web.Directory.Tree!;
        return web.Directory.WorkersIn(tree.ChildrenOf(tree.Root.Code)[township].Code)[index];
    }

    internal static string Path(string workerId, DateTimeOffset from, DateTimeOffset to) =>
        $"/api/workers/{workerId}/track?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

    internal static async Task<Track> Track(HttpClient client, string workerId, DateTimeOffset from, DateTimeOffset to)
    {
        using var response = await client.GetAsync(Path(workerId, from, to));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Track>(Json.Options))!;
    }
}
