using System.Net.Http.Json;
using CommandCenter.Feeds;
using CommandCenter.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace CommandCenter.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class WallFeedTests(WebFixture web)
{
    [Fact]
    public async Task Posted_incidents_arrive_on_every_ancestor_feed_in_order()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 3);
        var path = web.Directory.Tree!.PathToRoot(gridCode);
        await using var wall = await web.ConnectWall();
        var heads = new Dictionary<string, long>();
        foreach (var code in path)
            heads[code] = (await wall.Subscribe(code, await web.Head(code))).Head;

        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
            ids.Add((await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"事件{i}"))))).Id);

        foreach (var code in path)
        {
            var received = await wall.Take(code, 5);
            Assert.Equal(Enumerable.Range(1, 5).Select(i => heads[code] + i), received.Select(e => e.Sequence));
            Assert.Equal(ids, received.Select(e => e.Incident.Id));
            Assert.All(received, e => Assert.Equal(FeedKinds.IncidentReported, e.Kind));
        }
    }

    [Fact]
    public async Task A_client_that_reconnects_with_its_last_sequence_gets_exactly_the_gap()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 21);
        long last;
        await using (var first = await web.ConnectWall())
        {
            await first.Subscribe(gridCode, await web.Head(gridCode));
            await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "断线前"))));
            last = (await first.Take(gridCode, 1))[0].Sequence;
        }

        var missed = new List<Guid>();
        for (var i = 0; i < 3; i++)
            missed.Add((await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"断线中{i}"))))).Id);

        await using var again = await web.ConnectWall();
        var result = await again.Subscribe(gridCode, last);

        Assert.False(result.Resync);
        Assert.Equal(last + 3, result.Head);
        var gap = await again.Take(gridCode, 3);
        Assert.Equal([last + 1, last + 2, last + 3], gap.Select(e => e.Sequence));
        Assert.Equal(missed, gap.Select(e => e.Incident.Id));
        await Task.Delay(200);
        Assert.Empty(again.Drain());
    }

    /// <summary>
    /// A wall subscribing right after its feed was (re)activated, from a random point of the stored backlog, while
    /// reports race in: whatever order backlog and live entries arrive in, they cover every sequence from its point to
    /// the head. Randomized (the seed is in the failure message), several rounds on grids of their own.
    /// </summary>
    [Fact]
    public async Task Replay_right_after_activation_with_live_appends_racing_it_is_gapless()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var grains = web.Services.GetRequiredService<IGrainFactory>();
        for (var round = 0; round < 6; round++)
        {
            var (lat, lng, gridCode) = Reports.InsideGrid(web, 40 + round);
            var start = await web.Head(gridCode);
            var stored = random.Next(5, 40);
            await Task.WhenAll(Enumerable.Range(0, stored).Select(async i =>
                await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"积压{i}"))))));
            await grains.GetGrain<IFeedGrain>(gridCode).AsReference<IGrainManagementExtension>().DeactivateOnIdle();

            var live = random.Next(10, 40);
            var delays = Enumerable.Range(0, live).Select(_ => random.Next(0, 30)).ToList();
            var after = start + random.Next(0, stored);
            var subscribeDelay = random.Next(0, 10);
            await using var wall = await web.ConnectWall();
            var posting = Task.WhenAll(delays.Select(async (delay, i) =>
            {
                await Task.Delay(delay);
                await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"实时{i}"))));
            }));
            await Task.Delay(subscribeDelay);
            var result = await wall.Subscribe(gridCode, after);
            await posting;

            var head = start + stored + live;
            var seen = new SortedSet<long>();
            while (seen.Count == 0 || seen.Max < head)
                seen.Add((await wall.Take(gridCode, 1))[0].Sequence);
            var context = $"seed {seed}, round {round}: subscribed after {after} (head then {result.Head}), backlog {stored}, live {live}";
            Assert.False(result.Resync, context);
            Assert.True(Enumerable.Range(1, (int)(head - after)).Select(i => after + i).All(seen.Contains),
                $"{context}: missing {string.Join(", ", Enumerable.Range(1, (int)(head - after)).Select(i => after + i).Where(q => !seen.Contains(q)))}");
        }
    }

    /// <summary>
    /// A wall stays subscribed while its grid's feed is deactivated (idle): the next report activates the feed, whose
    /// activation reads that report's entry as stored, and the wall still gets it live.
    /// </summary>
    [Fact]
    public async Task The_report_that_activates_a_feed_is_pushed_to_walls_already_subscribed()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 47);
        var grains = web.Services.GetRequiredService<IGrainFactory>();
        await using var wall = await web.ConnectWall();
        var head = (await wall.Subscribe(gridCode, await web.Head(gridCode))).Head;
        await grains.GetGrain<IFeedGrain>(gridCode).AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        var id = (await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "唤醒"))))).Id;

        var pushed = await wall.Take(gridCode, 1);
        Assert.Equal(head + 1, pushed[0].Sequence);
        Assert.Equal(id, pushed[0].Incident.Id);
        await Task.Delay(200);
        Assert.Empty(wall.Drain());
    }

    [Fact]
    public async Task A_client_too_far_behind_is_told_to_resync()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 30);
        var start = await web.Head(gridCode);
        var posts = Enumerable.Range(0, WebFixture.MaxReplay + 2).Select(async i =>
            await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"批量{i}")))));
        await Task.WhenAll(posts);

        await using var wall = await web.ConnectWall();
        var result = await wall.Subscribe(gridCode, start);

        Assert.True(result.Resync);
        Assert.Equal(start + WebFixture.MaxReplay + 2, result.Head);
        var page = await web.Http.GetFromJsonAsync<FeedPage>($"/api/feeds/{gridCode}?after={start}", Json.Options);
        Assert.True(page!.Resync);
        var snapshot = await web.Http.GetFromJsonAsync<FeedSnapshot>($"/api/feeds/{gridCode}/snapshot", Json.Options);
        Assert.Equal(result.Head, snapshot!.Head);
        Assert.Equal(result.Head, snapshot.Recent[^1].Sequence);
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_jurisdiction_is_refused()
    {
        await using var wall = await web.ConnectWall();
        var error = await Assert.ThrowsAsync<HubException>(() => wall.Subscribe("no-such-code", 0));
        Assert.Contains("Unknown jurisdiction", error.Message);
    }

    [Theory]
    [InlineData("after=abc", "after")]
    [InlineData("after=-1", "after")]
    [InlineData("after=1.5", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=many", "limit")]
    public async Task A_malformed_feed_query_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await web.Http.GetAsync($"/api/feeds/{web.CountyCode}?{query}");
        await ProblemAssert.Is(response, System.Net.HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task The_feed_over_http_pages_from_any_sequence()
    {
        var (lat, lng, gridCode) = Reports.InsideGrid(web, 40);
        var start = await web.Head(gridCode);
        for (var i = 0; i < 3; i++)
            await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"分页{i}"))));

        var page = await web.Http.GetFromJsonAsync<FeedPage>($"/api/feeds/{gridCode}?after={start + 1}&limit=1", Json.Options);

        Assert.Equal(start + 3, page!.Head);
        Assert.Equal([start + 2], page.Entries.Select(e => e.Sequence));
    }
}
