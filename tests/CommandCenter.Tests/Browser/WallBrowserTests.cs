using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using CommandCenter.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The map wall in a real browser (Debian's Chromium, headless): it goes live, shows reported incidents as text
/// within seconds, counts them, survives a dropped connection, and looks right (screenshots under
/// artifacts/browser/ in the test output).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WallBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    private IBrowser Browser => _chromium.Browser;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task The_county_wall_shows_a_new_incident_live_as_text_and_counts_it()
    {
        var (page, problems) = await OpenWall("/wall");
        // 在岗人员 counts those at work and in contact: one more on duty with a fresh position is one more, live.
        var atWork = await Counter(page, "workers");
        var townships = web.Directory.Tree!.ChildrenOf(web.CountyCode);
        var person = web.Directory.WorkersIn(townships[^2].Code)[^1];
        var grain = web.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerGrain>(person.Id);
        Assert.Null(await grain.SetStatus(DutyStatus.OnDuty));
        await grain.ReportPosition(person.HomeLatitude, person.HomeLongitude, DateTimeOffset.UtcNow);
        await Expect(CounterLocator(page, "workers")).ToHaveAttributeAsync("data-value", (atWork + 1).ToString(), new() { Timeout = 10_000 });
        var cameras = (await web.Http.GetFromJsonAsync<CommandCenter.Web.Application.CameraCounts>(
            $"/api/cameras/counts?jurisdiction={web.CountyCode}", Json.Options))!;
        Assert.Equal((cameras.Online, cameras.Offline), (await Counter(page, "camerasOnline"), await Counter(page, "camerasOffline")));
        await Expect(page.Locator(".wall-label-township")).ToHaveCountAsync(web.Directory.Tree!.ChildrenOf(web.CountyCode).Count());
        await Expect(page.Locator("#wall-map")).ToHaveAttributeAsync("data-workers", web.Directory.WorkersIn(web.CountyCode).Count.ToString());
        await Expect(page.Locator("#wall-map")).ToHaveAttributeAsync("data-cameras", web.Directory.CamerasIn(web.CountyCode).Count.ToString());
        var reportedBefore = await Counter(page, "reportedToday");
        var openBefore = await Counter(page, "open");

        var (lat, lng, _) = Reports.InsideGrid(web, 5);
        var title = "<img src=x onerror=window.__xss=1> 夜间可疑人员" + Guid.NewGuid().ToString("N")[..6];
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(new
        {
            source = "cameraAlarm",
            category = "security",
            title,
            description = "<script>window.__xss=2</script>",
            lat,
            lng,
            reporter = "<b>李网格</b>",
        })));

        var item = page.Locator($"li[data-incident-id=\"{created.Id}\"]");
        await Expect(item).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.Contains(title, await item.InnerTextAsync());
        Assert.Equal(title, await item.Locator(".wall-incident-title").TextContentAsync());
        Assert.Contains("摄像头告警", await item.InnerTextAsync());
        Assert.Equal(created.Id.ToString(), await page.Locator("#wall-incidents li").First.GetAttributeAsync("data-incident-id"));
        Assert.Equal(0, await page.Locator("#wall-incidents img").CountAsync());
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        await Expect(CounterLocator(page, "reportedToday")).ToHaveAttributeAsync("data-value", (reportedBefore + 1).ToString());
        await Expect(CounterLocator(page, "open")).ToHaveAttributeAsync("data-value", (openBefore + 1).ToString());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall.png"), FullPage = true });

        // Clicking the item flies to the incident and opens its popup, built from text as well.
        await item.ClickAsync();
        var popup = page.Locator(".leaflet-popup .wall-popup-title");
        await Expect(popup).ToHaveTextAsync(title, new() { Timeout = 5_000 });
        Assert.Equal(0, await page.Locator(".leaflet-popup img").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-incident.png"), FullPage = true });

        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        AssertNoProblems(problems);
        Assert.Equal(reportedBefore + 1, await Counter(page, "reportedToday"));
    }

    [Fact]
    public async Task A_township_wall_shows_its_villages_and_grids()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode).First();
        var (page, problems) = await OpenWall($"/wall/{township.Code}", user: "station-1");

        await Expect(page.Locator(".wall-title")).ToHaveTextAsync(township.Name);
        await Expect(page.Locator(".wall-label-village")).ToHaveCountAsync(web.Directory.Tree.ChildrenOf(township.Code).Count());
        Assert.InRange(await Counter(page, "workers"), 0, web.Directory.WorkersIn(township.Code).Count);
        var outlines = int.Parse((await page.Locator("#wall-map").GetAttributeAsync("data-outlines"))!);
        var expected = web.Directory.Tree.All.Count(j => web.Directory.Tree.IsWithin(j.Code, township.Code));
        Assert.Equal(expected, outlines);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-township.png"), FullPage = true });
        AssertNoProblems(problems);

        // The station's own wall is its default; a neighbour's wall is refused.
        await page.GotoAsync(new Uri(web.BaseAddress, "/wall").ToString());
        await Expect(page.Locator(".wall-title")).ToHaveTextAsync(township.Name);
        var neighbour = web.Directory.Tree.ChildrenOf(web.CountyCode).ElementAt(1);
        var refused = await page.GotoAsync(new Uri(web.BaseAddress, $"/wall/{neighbour.Code}").ToString());
        Assert.Equal(403, refused!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("该辖区不在您的管辖范围内");
        Assert.DoesNotContain(neighbour.Name, await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-refused.png") });
    }

    [Fact]
    public async Task Report_text_stays_text_on_the_audit_page_and_in_the_wall_popup_and_nothing_runs()
    {
        var (lat, lng, _) = Reports.InsideGrid(web, 11);
        var title = "<a href=\"javascript:window.__xss=3\">点我</a><img src=x onerror=window.__xss=1>" + Guid.NewGuid().ToString("N")[..6];
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(new
        {
            source = "hotline12345",
            category = "safety",
            title,
            description = "<script>window.__xss=2</script><iframe src=\"javascript:window.__xss=5\"></iframe>",
            lat,
            lng,
            reporter = "<svg onload=window.__xss=6>",
        })));

        var (page, problems) = await OpenWall("/wall", user: "admin");
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await page.GotoAsync(new Uri(web.BaseAddress, $"/audit?target={created.Id}").ToString());
        var detail = page.Locator(".audit-table tbody tr td").Nth(7);
        await Expect(detail).ToContainTextAsync(title);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("audit.png"), FullPage = true });

        await page.GotoAsync(new Uri(web.BaseAddress, "/wall").ToString());
        await Expect(page.Locator("#wall-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });
        var item = page.Locator($"li[data-incident-id=\"{created.Id}\"]");
        await Expect(item).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await item.ClickAsync();
        await Expect(page.Locator(".leaflet-popup .wall-popup-title")).ToHaveTextAsync(title, new() { Timeout = 5_000 });

        foreach (var unsafeElement in new[] { "a[href^='javascript']", "img[src='x']", "iframe", "svg[onload]", "main script", "#wall-incidents script" })
            Assert.Equal(0, await page.Locator(unsafeElement).CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        Assert.Equal(0, dialogs);
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task The_sign_in_page_refuses_a_wrong_password_without_saying_which_part_was_wrong()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(web.BaseAddress, "/").ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("signin.png") });
        await page.FillAsync("#signin-username", "duty");
        await page.FillAsync("#signin-password", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".signin-error")).ToHaveTextAsync("用户名或密码错误,或账户因多次失败已被暂时锁定。");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("signin-failed.png") });

        await page.FillAsync("#signin-password", WebFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".userbar-name")).ToContainTextAsync("值班员");
        await Expect(page.Locator(".walls li")).ToHaveCountAsync(1 + web.Directory.Tree!.ChildrenOf(web.CountyCode).Count);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("home.png") });

        await page.ClickAsync(".userbar button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GotoAsync(new Uri(web.BaseAddress, "/wall").ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?ReturnUrl="));
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_wall_reconnects_by_itself_and_catches_up_on_what_it_missed()
    {
        await using var stream = await HlsTestServer.Start();
        var (camera, _, _, _) = await OnlineCamera(stream, grid: 9);
        var (page, link) = await OpenWallWithDroppableLink();
        var reportedBefore = await Counter(page, "reportedToday");
        var offlineBefore = await Counter(page, "camerasOffline");

        await link.Drop();
        await Expect(page.Locator("#wall-status")).ToHaveTextAsync(new Regex("重连中|已断开"), new() { Timeout = 10_000 });

        var (lat, lng, _) = Reports.InsideGrid(web, 8);
        var missed = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "断线期间上报的事件"))));
        // A camera goes offline meanwhile: its cameraStatus message is lost with the connection, the counts are read again.
        stream.Down = true;
        await Offline(camera);
        await Task.Delay(1500);
        Assert.Equal(0, await page.Locator($"li[data-incident-id=\"{missed.Id}\"]").CountAsync());

        link.Blocked = false;
        await Expect(page.Locator("#wall-status")).ToHaveTextAsync("实时", new() { Timeout = 45_000 });
        await Expect(page.Locator($"li[data-incident-id=\"{missed.Id}\"]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(CounterLocator(page, "reportedToday")).ToHaveAttributeAsync("data-value", (reportedBefore + 1).ToString());
        await Expect(CounterLocator(page, "camerasOffline")).ToHaveAttributeAsync("data-value", (offlineBefore + 1).ToString(), new() { Timeout = 10_000 });

        // And it keeps following live afterwards, exactly once per entry.
        var live = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "恢复后上报的事件"))));
        await Expect(page.Locator($"li[data-incident-id=\"{live.Id}\"]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(CounterLocator(page, "reportedToday")).ToHaveAttributeAsync("data-value", (reportedBefore + 2).ToString());
        Assert.Equal(1, await page.Locator($"li[data-incident-id=\"{missed.Id}\"]").CountAsync());
    }

    [Fact]
    public async Task A_wall_too_far_behind_reloads_the_snapshot_and_follows_on()
    {
        var (page, link) = await OpenWallWithDroppableLink();
        var reportedBefore = await Counter(page, "reportedToday");

        await link.Drop();
        var (lat, lng, _) = Reports.InsideGrid(web, 12);
        var count = WebFixture.MaxReplay + 5;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add((await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, $"积压事件{i}"))))).Id);

        link.Blocked = false;
        await Expect(page.Locator("#wall-status")).ToHaveTextAsync("实时", new() { Timeout = 45_000 });
        await Expect(page.Locator("#wall-incidents li").First).ToHaveAttributeAsync("data-incident-id", ids[^1].ToString(), new() { Timeout = 10_000 });
        await Expect(CounterLocator(page, "reportedToday")).ToHaveAttributeAsync("data-value", (reportedBefore + count).ToString());
        Assert.Equal(50, await page.Locator("#wall-incidents li").CountAsync());

        var next = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "积压之后"))));
        await Expect(page.Locator("#wall-incidents li").First).ToHaveAttributeAsync("data-incident-id", next.Id.ToString(), new() { Timeout = 10_000 });
        await Expect(CounterLocator(page, "reportedToday")).ToHaveAttributeAsync("data-value", (reportedBefore + count + 1).ToString());
    }

    [Fact]
    public async Task Worker_markers_follow_live_positions()
    {
        var (page, problems) = await OpenWall("/wall");
        var worker = web.Directory.WorkersIn(web.CountyCode)[7];
        var moved = await MovedCount(page);

        // A position the worker has not reported before (a repeated one is not pushed again).
        var offset = Random.Shared.Next(1, 1000) * 1e-6;
        using var intake = web.IntakeClient();
        using var response = await intake.PostAsJsonAsync("/api/intake/positions",
            new[] { new { workerId = worker.Id, lat = worker.HomeLatitude + offset, lng = worker.HomeLongitude - offset } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        await page.WaitForFunctionAsync($"() => Number(document.getElementById('wall-map').dataset.moved || 0) > {moved}", null, new() { Timeout = 10_000 });
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task A_persons_track_plays_back_from_their_popup_along_a_time_slider_in_China_Standard_Time()
    {
        var worker = web.Directory.WorkersIn(web.CountyCode)[23];
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var walked = await TrackApiTests.WalkEastThenNorth(web, worker, step: 2);
        var track = await Poll.Until(() => TrackApiTests.Track(web.Http, worker.Id, from, DateTimeOffset.UtcNow.AddMinutes(1)),
            t => t.Recorded == walked, "the walk in the history");
        var (first, last) = (track.Points[0], track.Points[^1]);
        static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        static string China(DateTimeOffset at) => ChinaTime.Of(at).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        // The village's wall: the walk may leave the grid, and a grid's wall shows little more than the grid.
        var (page, problems) = await OpenWall($"/wall/{web.Directory.Tree!.Find(worker.GridCode)!.ParentCode}");
        var point = await page.EvaluateAsync<System.Text.Json.JsonElement>("id => document.getElementById('wall-map').workerPoint(id)", worker.Id);
        var box = (await page.Locator("#wall-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + point.GetProperty("x").GetSingle(), box.Y + point.GetProperty("y").GetSingle());
        await Expect(page.Locator(".leaflet-popup .wall-popup-title")).ToHaveTextAsync(worker.Name, new() { Timeout = 5_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-track-popup.png") });
        await page.Locator(".leaflet-popup .wall-track-play").ClickAsync();

        var panel = page.Locator("#wall-track");
        await Expect(panel).ToHaveAttributeAsync("data-state", "shown", new() { Timeout = 10_000 });
        await Expect(panel).ToHaveAttributeAsync("data-points", track.Points.Count.ToString());
        await Expect(panel).ToContainTextAsync(worker.Name);
        var time = panel.Locator(".wall-track-time");
        await Expect(panel).ToHaveAttributeAsync("data-at", Iso(first.At));
        await Expect(time).ToHaveTextAsync(China(first.At));

        // To the end with the keyboard: the marker stands on the last point, at its time.
        var slider = panel.Locator(".wall-track-slider");
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(panel).ToHaveAttributeAsync("data-at", Iso(last.At));
        await Expect(time).ToHaveTextAsync(China(last.At));
        Assert.Equal(last.Lat, double.Parse((await panel.GetAttributeAsync("data-lat"))!, System.Globalization.CultureInfo.InvariantCulture), 9);

        // A click in the middle of the slider: the marker moves back along the line, to a time between.
        var bar = (await slider.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(bar.X + bar.Width / 2, bar.Y + bar.Height / 2);
        await Expect(panel).Not.ToHaveAttributeAsync("data-at", Iso(last.At));
        var middle = DateTimeOffset.Parse((await panel.GetAttributeAsync("data-at"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(middle, first.At, last.At);
        Assert.NotEqual(middle, last.At);
        Assert.Equal(China(middle), await time.TextContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-track.png") });

        // Played at the track's own pace from the start, the marker moves on by itself; paused, it stays.
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        await panel.Locator(".wall-track-speed").SelectOptionAsync("1");
        var toggle = panel.Locator(".wall-track-toggle");
        await toggle.ClickAsync();
        await Expect(panel).ToHaveAttributeAsync("data-playing", "true");
        await Expect(panel).Not.ToHaveAttributeAsync("data-at", Iso(first.At), new() { Timeout = 5_000 });
        await toggle.ClickAsync();
        await Expect(panel).ToHaveAttributeAsync("data-playing", "false");
        var paused = await panel.GetAttributeAsync("data-at");
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(paused, await panel.GetAttributeAsync("data-at"));
        Assert.InRange(DateTimeOffset.Parse(paused!, System.Globalization.CultureInfo.InvariantCulture), first.At, last.At);

        // Fast, it plays to the last point and stops there.
        await panel.Locator(".wall-track-speed").SelectOptionAsync("3600");
        await toggle.ClickAsync();
        await Expect(panel).ToHaveAttributeAsync("data-at", Iso(last.At), new() { Timeout = 5_000 });
        await Expect(panel).ToHaveAttributeAsync("data-playing", "false");

        await panel.Locator(".wall-track-close").ClickAsync();
        await Expect(panel).ToHaveCountAsync(0);
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task People_are_coloured_by_duty_status_and_lost_contact_is_marked_and_counted()
    {
        var village = web.Directory.Tree!.All.First(j => j.Level == CommandCenter.Geography.JurisdictionLevel.Village
            && web.Directory.WorkersIn(j.Code).Count >= 5);
        var people = web.Directory.WorkersIn(village.Code).Take(5).ToList();
        var grains = web.Services.GetRequiredService<IGrainFactory>();
        var now = DateTimeOffset.UtcNow;
        var statuses = new[] { DutyStatus.OnDuty, DutyStatus.OnPatrol, DutyStatus.Sos, DutyStatus.OffDuty, DutyStatus.OnDuty };
        for (var i = 0; i < people.Count; i++)
        {
            var person = grains.GetGrain<IWorkerGrain>(people[i].Id);
            Assert.Null(await person.SetStatus(statuses[i]));
            // The last one sent its position ten minutes ago: lost contact (失联) after five.
            var at = i == 4 ? now.AddMinutes(-10) : now;
            Assert.Equal(PositionVerdict.Accepted, await person.ReportPosition(people[i].HomeLatitude + i * 1e-5, people[i].HomeLongitude, at));
        }
        var busy = grains.GetGrain<IWorkerGrain>(people[0].Id);
        await busy.CaseAccepted(Guid.NewGuid());

        var (page, problems) = await OpenWall($"/wall/{village.Code}");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('wall-map').dataset.lostContact || 0) >= 1", null, new() { Timeout = 10_000 });
        Assert.Equal(int.Parse((await page.Locator("#wall-map").GetAttributeAsync("data-lost-contact"))!), await Counter(page, "lostContact"));

        async Task<System.Text.Json.JsonElement> Point(string id) =>
            await page.EvaluateAsync<System.Text.Json.JsonElement>("id => document.getElementById('wall-map').workerPoint(id)", id);
        var expected = new[] { "#ffb020", "#3d8bff", "#ff2d55", "#5b6b7a", "#a0a8b0" }; // busy, patrol, SOS, off duty, lost contact
        for (var i = 0; i < people.Count; i++)
            Assert.Equal(expected[i], (await Point(people[i].Id)).GetProperty("fillColor").GetString());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-duty.png") });

        var lost = await Point(people[4].Id);
        var box = (await page.Locator("#wall-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + lost.GetProperty("x").GetSingle(), box.Y + lost.GetProperty("y").GetSingle());
        var popup = page.Locator($".wall-popup-body[data-worker=\"{people[4].Id}\"]");
        await Expect(popup.Locator(".wall-popup-title")).ToHaveTextAsync(people[4].Name, new() { Timeout = 5_000 });
        await Expect(popup).ToContainTextAsync("在岗 · 失联");
        Assert.DoesNotContain(people[4].Id, await popup.InnerTextAsync());
        Assert.DoesNotContain(people[4].GridCode, await popup.InnerTextAsync());
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-duty-popup.png") });

        // A fresh position brings the person back in contact, live.
        await grains.GetGrain<IWorkerGrain>(people[4].Id).ReportPosition(people[4].HomeLatitude + 2e-5, people[4].HomeLongitude, DateTimeOffset.UtcNow);
        await Expect(popup).ToContainTextAsync("在岗", new() { Timeout = 10_000 });
        await Expect(popup).Not.ToContainTextAsync("失联");
        Assert.Equal("#2fbf71", (await Point(people[4].Id)).GetProperty("fillColor").GetString());
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task A_wall_whose_sign_in_lapsed_goes_back_to_the_sign_in_page()
    {
        var township = web.Directory.Tree!.ChildrenOf(web.CountyCode).First();
        var (page, _) = await OpenWall($"/wall/{township.Code}", user: "station-1");
        await page.Context.ClearCookiesAsync();
        await page.EvaluateAsync("async () => { const { getJson } = await import('./js/api.js'); getJson('api/jurisdictions').catch(() => {}); }");
        await Expect(page).ToHaveURLAsync(new Regex($"/signin\\?ReturnUrl=%2Fwall%2F{township.Code}$"));
    }

    [Fact]
    public async Task Feed_entries_are_applied_strictly_in_sequence()
    {
        var (page, problems) = await OpenWall("/wall");
        var applied = await page.EvaluateAsync<long[]>("""
            async () => {
                const { FeedFollower } = await import('./js/wall-feed.js');
                const applied = [];
                const follower = new FeedFollower({
                    url: 'hubs/wall', code: 'X', apply: e => applied.push(e.sequence),
                    positions() {}, reload: async () => 0, status() {},
                });
                follower.last = 10;
                const x = s => ({ jurisdiction: 'X', sequence: s });
                for (const message of [[x(9)], [x(12), x(11)], [x(10), x(14)], [x(13), x(12), x(16)]]) follower.receive(message);
                follower.receive([{ jurisdiction: 'Y', sequence: 15 }]);
                follower.receive({ jurisdiction: 'X', sequence: 15 });
                const held = [...follower.pending.keys()];
                follower.receive([x(15)]);
                follower.clearGapTimer();
                return [...applied, -1, ...held];
            }
            """);
        Assert.Equal([11, 12, 13, 14, 15, 16, -1, 16], applied);
        AssertNoProblems(problems);
    }

    /// <summary>Signs in as <paramref name="user"/>, opens a wall at 1920×1080 and waits until it is live with its outlines drawn.</summary>
    [Fact]
    public async Task A_camera_on_the_map_shows_its_snapshot_an_incident_near_it_its_evidence_and_a_status_change_arrives_live()
    {
        await using var stream = await HlsTestServer.Start(width: 320, height: 240);
        var (id, grid, lat, lng) = await OnlineCamera(stream, grid: 27);

        var (page, problems) = await OpenWall($"/wall/{grid}");
        var offlineBefore = await Counter(page, "camerasOffline");
        var point = await page.EvaluateAsync<System.Text.Json.JsonElement>("id => document.getElementById('wall-map').cameraPoint(id)", id);
        var box = (await page.Locator("#wall-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + point.GetProperty("x").GetSingle(), box.Y + point.GetProperty("y").GetSingle());
        var popup = page.Locator($".wall-camera-popup[data-camera=\"{id}\"]");
        await Expect(popup.Locator(".wall-popup-title")).ToHaveTextAsync("<b>大屏测试</b>摄像头", new() { Timeout = 5_000 });
        await Expect(popup.Locator(".wall-snapshot-note")).ToHaveAttributeAsync("data-state", "shown", new() { Timeout = 10_000 });
        Assert.Equal(320, await popup.Locator("img.wall-snapshot").EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.StartsWith("blob:", await popup.Locator("img.wall-snapshot").GetAttributeAsync("src"));
        await Expect(popup).ToContainTextAsync("在线");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-camera.png") });

        // The camera goes offline and comes back: its popup and the counter follow without a reload.
        stream.Down = true;
        var camera = await Offline(id);
        await Expect(popup).ToContainTextAsync("离线", new() { Timeout = 10_000 });
        await Expect(CounterLocator(page, "camerasOffline")).ToHaveAttributeAsync("data-value", (offlineBefore + 1).ToString(), new() { Timeout = 10_000 });
        stream.Down = false;
        Assert.Equal(CommandCenter.Cameras.CameraStatus.Online, (await camera.Probe()).Status);
        await Expect(popup).ToContainTextAsync("在线", new() { Timeout = 10_000 });
        await Expect(CounterLocator(page, "camerasOffline")).ToHaveAttributeAsync("data-value", offlineBefore.ToString(), new() { Timeout = 10_000 });

        // An incident reported next to it: its popup shows the frame the camera took.
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(
            new { source = "gridWorker", category = "security", title = "大屏取证测试", lat, lng })));
        for (var tries = 0;
             (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>(
                 $"/api/incidents/{created.Id}/attachments", Json.Options))!.Count == 0;
             tries++)
        {
            Assert.True(tries < 100, "no evidence arrived");
            await Task.Delay(100);
        }
        // One of the grid's people on duty 110 m away: the popup offers them as the nearest responder.
        var responder = web.Directory.WorkersIn(grid).First(w => w.Role != CommandCenter.Geography.WorkerRole.PatrolOfficer);
        var responderGrain = web.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerGrain>(responder.Id);
        Assert.Null(await responderGrain.SetStatus(DutyStatus.OnDuty));
        await responderGrain.ReportPosition(lat + 110 / CommandCenter.Incidents.Distance.MetersPerDegree, lng, DateTimeOffset.UtcNow);
        await page.Locator($"li[data-incident-id=\"{created.Id}\"]").ClickAsync();
        var nearest = page.Locator($".leaflet-popup [data-incident=\"{created.Id}\"] .wall-responders li[data-worker=\"{responder.Id}\"]");
        await Expect(nearest).ToContainTextAsync(responder.Name, new() { Timeout = 10_000 });
        await Expect(nearest).ToContainTextAsync("在岗");
        // A grid's own wall names the grid, not its code.
        await Expect(page.Locator($"li[data-incident-id=\"{created.Id}\"] .wall-incident-place")).ToHaveTextAsync(web.Directory.Tree!.Find(grid)!.Name);
        var evidence = page.Locator($".leaflet-popup [data-incident=\"{created.Id}\"] .wall-evidence");
        await Expect(evidence).ToHaveAttributeAsync("data-state", "shown", new() { Timeout = 10_000 });
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.wall-evidence-photo')].some(img => img.naturalWidth === 320)", null,
            new() { Timeout = 10_000 });
        await Expect(popup).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("wall-evidence.png") });
        await page.Locator(".leaflet-popup-close-button").ClickAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img[src^=\"blob:\"]').length"));
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task An_alert_not_signed_in_time_appears_live_on_the_township_wall_with_the_officers_name()
    {
        var tree = web.Directory.Tree!;
        var police = CommandCenter.Demo.DemoAccounts.For(tree, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "police-2");
        var grid = police.Jurisdictions[0];
        var township = tree.PathToRoot(grid).Single(code => tree.Find(code)!.Level == CommandCenter.Geography.JurisdictionLevel.Township);
        var (page, problems) = await OpenWall($"/wall/{township}");
        await Expect(page.Locator("#wall-alerts-escalated-count")).Not.ToHaveTextAsync("–", new() { Timeout = 10_000 });

        var (lat, lng) = tree.CenterOf(grid);
        var created = await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, "<b>燃气管道疑似泄漏</b>"))));
        try
        {
            web.AlertClock.Shift = TimeSpan.FromMinutes(4);
            var item = page.Locator($"#wall-alerts-escalated li[data-incident-id=\"{created.Id}\"]");
            await Expect(item).ToContainTextAsync($"{police.DisplayName}:<b>燃气管道疑似泄漏</b>", new() { Timeout = 15_000 });
            Assert.Equal(0, await page.Locator("#wall-alerts-escalated b").CountAsync());
            await page.Locator(".wall-side").ScreenshotAsync(new() { Path = Screenshot("wall-alerts-escalated.png") });
        }
        finally
        {
            web.AlertClock.Shift = TimeSpan.Zero;
        }

        // The township's console lists it too, and the incident's timeline says it was sent up.
        await page.GotoAsync(new Uri(web.BaseAddress, $"/console?jurisdiction={township}").ToString());
        var listed = page.Locator($"#console-alerts li[data-incident-id=\"{created.Id}\"]");
        await Expect(listed).ToContainTextAsync(police.DisplayName, new() { Timeout = 10_000 });
        await page.Locator(".console-supervised").ScreenshotAsync(new() { Path = Screenshot("console-alerts.png") });
        await listed.Locator("a").ClickAsync();
        await Expect(page.Locator("#console-timeline li[data-kind=alertEscalated]").First).ToContainTextAsync("民警超时未签收");
        await Expect(page.Locator("#console-timeline li[data-kind=alerted]").First).ToContainTextAsync("推送给民警");
        AssertNoProblems(problems);
    }

    /// <summary>A camera 90 m north of a demo grid's centre, imported pointing at <paramref name="stream"/>, once its first probe found it online.</summary>
    private async Task<(string Id, string Grid, double Lat, double Lng)> OnlineCamera(HlsTestServer stream, int grid)
    {
        var (lat, lng, code) = Reports.InsideGrid(web, grid);
        lat += 90 / 111_320.0;
        var id = "B-" + Guid.NewGuid().ToString("N")[..8];
        using (var import = await web.Admin.PostAsync("/api/cameras/import",
                   new StringContent($"id,name,lat,lng,streamUrl\n{id},<b>大屏测试</b>摄像头,{lat},{lng},{stream.Url}\n",
                       System.Text.Encoding.UTF8, "text/csv")))
            Assert.Equal(System.Net.HttpStatusCode.OK, import.StatusCode);
        for (var tries = 0;
             (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.CameraItem>>(
                 $"/api/cameras?jurisdiction={code}&status=online", Json.Options))!.All(c => c.Id != id);
             tries++)
        {
            Assert.True(tries < 100, "the camera was not probed online");
            await Task.Delay(100);
        }
        return (id, code, lat, lng);
    }

    /// <summary>Probes a camera whose stream is down until it counts as offline (FailuresForOffline probes).</summary>
    private async Task<CommandCenter.Cameras.ICameraGrain> Offline(string id)
    {
        var camera = web.Services.GetRequiredService<IGrainFactory>().GetGrain<CommandCenter.Cameras.ICameraGrain>(id);
        var status = CommandCenter.Cameras.CameraStatus.Online;
        for (var probes = 0; probes < 5 && status != CommandCenter.Cameras.CameraStatus.Offline; probes++)
            status = (await camera.Probe()).Status;
        Assert.Equal(CommandCenter.Cameras.CameraStatus.Offline, status);
        return camera;
    }

    private async Task<(IPage Page, List<string> Problems)> OpenWall(string path, Func<IPage, Task>? prepare = null, string user = "duty")
    {
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        if (prepare is not null)
            await prepare(page);

        await SignIn(page, user, path);
        await Expect(page.Locator("#wall-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync(
            "() => Number(document.getElementById('wall-map').dataset.outlines) > 0 && !!document.querySelector('.leaflet-outlines-pane canvas')",
            null, new() { Timeout = 10_000 });
        return (page, problems);
    }

    /// <summary>Opens <paramref name="path"/>, which sends the browser to the sign-in page, and signs in there.</summary>
    internal static async Task SignIn(IPage page, Uri baseAddress, string user, string path, string? password = null)
    {
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.FillAsync("#signin-username", user);
        await page.FillAsync("#signin-password", password ?? WebFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Uri(baseAddress, path).ToString());
    }

    private Task SignIn(IPage page, string user, string path) => SignIn(page, web.BaseAddress, user, path);

    /// <summary>The wall's connection to the hub, which a test can drop and keep from coming back.</summary>
    private sealed class DroppableLink
    {
        public bool Blocked { get; set; }

        public IWebSocketRoute? Socket { get; set; }

        /// <summary>Closes the wall's socket and refuses new connections until <see cref="Blocked"/> is cleared.</summary>
        public Task Drop()
        {
            Blocked = true;
            return Socket!.CloseAsync(new() { Code = 1011, Reason = "test: connection dropped" });
        }
    }

    private async Task<(IPage Page, DroppableLink Link)> OpenWallWithDroppableLink()
    {
        var link = new DroppableLink();
        var (page, _) = await OpenWall("/wall", async page =>
        {
            await page.RouteAsync(new Regex("/hubs/wall/negotiate"), route => link.Blocked ? route.AbortAsync() : route.ContinueAsync());
            await page.RouteWebSocketAsync(new Regex("/hubs/wall"), ws =>
            {
                link.Socket = ws;
                ws.ConnectToServer();
            });
        });
        return (page, link);
    }

    private static void AssertNoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));

    private static async Task<int> MovedCount(IPage page) =>
        int.Parse(await page.EvaluateAsync<string>("() => document.getElementById('wall-map').dataset.moved || '0'"));

    private static ILocator CounterLocator(IPage page, string name) => page.Locator($"[data-counter=\"{name}\"]");

    private static async Task<int> Counter(IPage page, string name)
    {
        await Expect(CounterLocator(page, name)).ToHaveAttributeAsync("data-value", new Regex("^[0-9]+$"));
        return int.Parse((await CounterLocator(page, name).GetAttributeAsync("data-value"))!);
    }

    internal static string Screenshot(string name) => Path.Combine(TestEnvironment.OutputDirectory("browser"), name);
}
