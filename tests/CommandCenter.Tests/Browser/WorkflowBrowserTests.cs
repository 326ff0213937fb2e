using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tests.Web;
using CommandCenter.Web.Api;
using CommandCenter.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Tests.Browser;

/// <summary>
/// The closed loop's pages in a real browser: the duty officer's console, the grid worker's phone page following its
/// tasks live, and the citizen's rating page; report text stays text everywhere (screenshots under artifacts/browser/).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WorkflowBrowserTests(WebFixture web) : IAsyncLifetime
{
    private Chromium _chromium = null!;

    private IBrowser Browser => _chromium.Browser;

    public async Task InitializeAsync() => _chromium = await Chromium.Launch();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task The_duty_officer_dispatches_from_the_console_and_the_worker_sees_the_task_live_and_accepts_it()
    {
        var created = await ReportIn(GridOf("worker-1"), "楼道电动车充电线私拉乱接" + Suffix());
        using (var upload = await web.Http.SendAsync(AttachmentsApiTests.Upload(created.Id, TestImages.Png(64, 48))))
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        // worker-1 on duty 150 m from the report, so the dispatch form offers them among the nearest.
        var (lat, lng) = web.Directory.Tree!.CenterOf(GridOf("worker-1"));
        var grain = web.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerGrain>(WorkerId("worker-1"));
        Assert.Null(await grain.SetStatus(DutyStatus.OnDuty));
        await grain.ReportPosition(lat + 150 / Distance.MetersPerDegree, lng, DateTimeOffset.UtcNow);

        var (worker, workerProblems) = await Open("worker-1", "/m", phone: true);
        await Expect(worker.Locator("#mobile-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });
        await worker.EvaluateAsync("() => { window.__samePage = true; }");
        var task = worker.Locator($"#mobile-tasks li[data-incident-id=\"{created.Id}\"]");
        Assert.Equal(0, await task.CountAsync());

        var (console, consoleProblems) = await Open("duty", "/console");
        var row = console.Locator($"#console-list tr[data-incident-id=\"{created.Id}\"]");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(row).ToContainTextAsync("待核实");
        await Expect(console.Locator("#console-list-state")).ToHaveTextAsync("");
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("console.png"), FullPage = true });

        await row.Locator("a.console-title").ClickAsync();
        await Expect(console).ToHaveURLAsync(new Uri(web.BaseAddress, $"/console/{created.Id}").ToString());
        var detail = console.Locator("#console-detail");
        await Expect(console.Locator("#console-timeline li[data-kind=reported]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(console.Locator(".console-photos img")).ToHaveCountAsync(1);
        // verify, reject, merge, escalate: closing on the spot (resolve) is for grid people, so the duty officer is not offered it
        await Expect(console.Locator(".console-action")).ToHaveCountAsync(4);

        await console.ClickAsync("form[data-action=verify] button[type=submit]");
        await Expect(detail).ToHaveAttributeAsync("data-status", "verified", new() { Timeout = 10_000 });
        await console.SelectOptionAsync("form[data-action=ticket] select[name=handlingClass]", "easy");
        await console.ClickAsync("form[data-action=ticket] button[type=submit]");
        await Expect(detail).ToHaveAttributeAsync("data-status", "ticketed", new() { Timeout = 10_000 });

        // Levels read as names: the facts, and the levels a dispatch may go to.
        var grid = web.Directory.Tree!.Find(GridOf("worker-1"))!;
        await Expect(console.Locator(".console-facts")).ToContainTextAsync(grid.Name);
        await Expect(console.Locator(".console-facts")).Not.ToContainTextAsync(grid.Code);
        await console.SelectOptionAsync("form[data-action=dispatch] select[name=targetKind]", "jurisdiction");
        await Expect(console.Locator($"form[data-action=dispatch] select[name=target] option[value=\"{grid.Code}\"]")).ToHaveTextAsync(grid.Name);
        // A wrong target is refused with the server's reason, shown on the form.
        await console.SelectOptionAsync("form[data-action=dispatch] select[name=targetKind]", "worker");
        await console.FillAsync("form[data-action=dispatch] .console-person-search", "no-such-worker");
        await console.ClickAsync("form[data-action=dispatch] button[type=submit]");
        await Expect(console.Locator("form[data-action=dispatch] .console-error")).ToContainTextAsync("target: No worker 'no-such-worker'");
        // 就近派单: the nearest people are offered by name; a click picks one.
        var responder = console.Locator($"form[data-action=dispatch] .console-responder[data-worker=\"{WorkerId("worker-1")}\"]");
        await Expect(responder).ToContainTextAsync("本网格");
        await Expect(responder).ToContainTextAsync("150 米");
        await responder.ClickAsync();
        await Expect(responder).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(console.Locator("form[data-action=dispatch] input[name=worker]")).ToHaveValueAsync(WorkerId("worker-1"));
        await Expect(console.Locator("form[data-action=dispatch] .console-target-name")).ToContainTextAsync(web.Directory.Worker(WorkerId("worker-1"))!.Name);
        // 搜索其他人员: someone else found by name is offered with their grid, and chosen.
        var other = web.Directory.Worker(WorkerId("worker-2"))!;
        var search = console.Locator("form[data-action=dispatch] .console-person-search");
        await search.FillAsync(other.Name);
        var offered = console.Locator($"form[data-action=dispatch] datalist option[value=\"{other.Name}({web.Directory.Tree!.Find(other.GridCode)!.Name})\"]");
        await Expect(offered).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await search.FillAsync((await offered.GetAttributeAsync("value"))!);
        await Expect(console.Locator("form[data-action=dispatch] input[name=worker]")).ToHaveValueAsync(other.Id);
        await Expect(responder).ToHaveAttributeAsync("aria-pressed", "false");
        await responder.ClickAsync();
        await Expect(console.Locator("form[data-action=dispatch] input[name=worker]")).ToHaveValueAsync(WorkerId("worker-1"));
        await console.Locator("form[data-action=dispatch]").ScreenshotAsync(new() { Path = WallBrowserTests.Screenshot("console-dispatch.png") });
        await console.FillAsync("form[data-action=dispatch] textarea[name=note]", "请尽快上门查看");
        await console.ClickAsync("form[data-action=dispatch] button[type=submit]");
        await Expect(detail).ToHaveAttributeAsync("data-status", "dispatched", new() { Timeout = 10_000 });
        await Expect(console.Locator("#console-timeline li[data-kind=dispatched]")).ToContainTextAsync("请尽快上门查看");
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("console-detail.png"), FullPage = true });

        // The worker's page was not reloaded: the task arrived through the hub.
        await Expect(task).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.True(await worker.EvaluateAsync<bool>("() => window.__samePage === true"));
        await task.Locator("button.mobile-accept").ClickAsync();
        await Expect(task).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 10_000 });
        await Expect(task.Locator("form.mobile-handle")).ToBeVisibleAsync();
        await worker.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("m.png"), FullPage = true });

        var incident = await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options);
        Assert.Equal((IncidentStatus.Accepted, WorkerId("worker-1")), (incident!.Status, incident.Assignee!.Id));
        AssertNoProblems(workerProblems);
        AssertNoProblems(consoleProblems.Where(p => !p.Contains("400")).ToList());
    }

    [Fact]
    public async Task Report_text_stays_text_on_the_console_and_the_phone_page()
    {
        var title = "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>" + Suffix();
        var created = await ReportIn(GridOf("worker-1"), title, "<iframe src=\"javascript:window.__xss=3\"></iframe>");
        await Do("duty", created.Id, "verify");
        await Do("duty", created.Id, "ticket");
        await Do("duty", created.Id, "dispatch",
            new { targetKind = "worker", target = WorkerId("worker-1"), note = "<b onmouseover=window.__xss=4>备注</b>" });

        var (console, problems) = await Open("duty", "/console");
        var link = console.Locator($"#console-list tr[data-incident-id=\"{created.Id}\"] a.console-title");
        await Expect(link).ToHaveTextAsync(title, new() { Timeout = 10_000 });
        await link.ClickAsync();
        await Expect(console.Locator(".console-detail-title")).ToHaveTextAsync(title, new() { Timeout = 10_000 });
        await Expect(console.Locator("#console-timeline li[data-kind=dispatched]")).ToContainTextAsync("<b onmouseover=window.__xss=4>备注</b>");
        await AssertInert(console);

        var (phone, phoneProblems) = await Open("worker-1", "/m", phone: true);
        var task = phone.Locator($"#mobile-tasks li[data-incident-id=\"{created.Id}\"]");
        await Expect(task.Locator(".mobile-task-title")).ToHaveTextAsync(title, new() { Timeout = 10_000 });
        await Expect(task.Locator(".mobile-task-description")).ToHaveTextAsync("<iframe src=\"javascript:window.__xss=3\"></iframe>");
        await AssertInert(phone);
        AssertNoProblems(problems);
        AssertNoProblems(phoneProblems);
    }

    [Fact]
    public async Task An_officer_sees_a_new_incident_of_his_grids_live_signs_it_and_is_alerted_when_the_console_dispatches_to_him()
    {
        var account = DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "police-2");
        var grid = account.Jurisdictions[0];
        var (phone, phoneProblems) = await Open("police-2", "/m", phone: true);
        await Expect(phone.Locator("#mobile-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });
        await phone.EvaluateAsync("() => { window.__samePage = true; }");
        // Signs whatever earlier tests left waiting, so that the banner holds only what this test raises.
        while (await phone.Locator("#mobile-alerts li .mobile-alert-sign").CountAsync() > 0)
            await phone.Locator("#mobile-alerts li .mobile-alert-sign").First.ClickAsync();

        var created = await ReportIn(grid, "夜间有可疑人员徘徊" + Suffix());
        var alert = phone.Locator($"#mobile-alerts li[data-incident-id=\"{created.Id}\"]");
        await Expect(alert).ToContainTextAsync("辖区新警情", new() { Timeout = 10_000 });
        await Expect(alert).ToContainTextAsync(web.Directory.Tree!.Find(grid)!.Name);
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("mobile-alert.png") });
        await alert.Locator(".mobile-alert-sign").ClickAsync();
        await Expect(alert).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(phone.Locator("#mobile-alerts")).ToBeHiddenAsync();

        // The duty officer picks him among the nearest on the console and dispatches: the phone is alerted at once.
        var officer = web.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerGrain>(account.WorkerId!);
        Assert.Null(await officer.SetStatus(DutyStatus.OnDuty));
        var (lat, lng) = web.Directory.Tree.CenterOf(grid);
        await officer.ReportPosition(lat, lng + 80 / Distance.MetersPerDegree, DateTimeOffset.UtcNow);
        await Do("duty", created.Id, "verify");
        await Do("duty", created.Id, "ticket", new { handlingClass = "easy" });
        var (console, consoleProblems) = await Open("duty", $"/console/{created.Id}");
        var responder = console.Locator($"form[data-action=dispatch] .console-responder[data-worker=\"{account.WorkerId}\"]");
        await Expect(responder).ToContainTextAsync("驻格民警", new() { Timeout = 10_000 });
        await responder.ClickAsync();
        await console.ClickAsync("form[data-action=dispatch] button[type=submit]");
        await Expect(console.Locator("#console-detail")).ToHaveAttributeAsync("data-status", "dispatched", new() { Timeout = 10_000 });
        await Expect(alert).ToContainTextAsync("派给我的", new() { Timeout = 10_000 });
        Assert.True(await phone.EvaluateAsync<bool>("() => window.__samePage === true"));
        AssertNoProblems(phoneProblems);
        AssertNoProblems(consoleProblems);
    }

    [Fact]
    public async Task An_officer_takes_a_new_case_from_its_alert_handles_it_and_hears_at_once_of_a_dispatch_from_outside_his_grids()
    {
        var account = DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "police-1");
        var tree = web.Directory.Tree!;
        var (phone, problems) = await Open("police-1", "/m", phone: true);
        await Expect(phone.Locator("#mobile-status")).ToHaveTextAsync("实时", new() { Timeout = 30_000 });
        await phone.EvaluateAsync("() => { window.__samePage = true; }");
        while (await phone.Locator("#mobile-alerts li .mobile-alert-sign").CountAsync() > 0)
            await phone.Locator("#mobile-alerts li .mobile-alert-sign").First.ClickAsync();

        // 接警: the alert goes, the case is his task, handling, and he is busy.
        var created = await ReportIn(account.Jurisdictions[0], "商铺门前有人争吵" + Suffix());
        var alert = phone.Locator($"#mobile-alerts li[data-incident-id=\"{created.Id}\"]");
        await Expect(alert.Locator(".mobile-alert-take")).ToHaveTextAsync("接警", new() { Timeout = 10_000 });
        await phone.Locator("#mobile-alerts").ScreenshotAsync(new() { Path = WallBrowserTests.Screenshot("mobile-alert-take.png") });
        await alert.Locator(".mobile-alert-take").ClickAsync();
        await Expect(alert).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var task = phone.Locator($"#mobile-tasks li[data-incident-id=\"{created.Id}\"]");
        await Expect(task).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 10_000 });
        await Expect(phone.Locator("#mobile-duty-status")).ToHaveAttributeAsync("data-status", "busy", new() { Timeout = 10_000 });
        await task.Locator("textarea[name=note]").FillAsync("已到场调解,双方和解");
        await task.Locator("form.mobile-handle button[type=submit]").ClickAsync();
        await Expect(task).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var handled = (await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options))!;
        Assert.Equal((IncidentStatus.Handled, account.WorkerId), (handled.Status, handled.Assignee!.Id));

        // A case outside his grids dispatched to him: his grid's feed carries only the nudge, and the alert shows at once.
        var elsewhere = tree.All.First(j => j.Level == Geography.JurisdictionLevel.Grid
            && !account.Jurisdictions.Any(code => tree.IsWithin(j.Code, code))).Code;
        var away = await ReportIn(elsewhere, "邻村道路塌陷" + Suffix());
        await Do("duty", away.Id, "verify");
        await Do("duty", away.Id, "ticket", new { handlingClass = "easy" });
        await Do("duty", away.Id, "dispatch", new { targetKind = "worker", target = account.WorkerId });
        await Expect(phone.Locator($"#mobile-alerts li[data-incident-id=\"{away.Id}\"]")).ToContainTextAsync("派给我的", new() { Timeout = 10_000 });
        Assert.True(await phone.EvaluateAsync<bool>("() => window.__samePage === true"));
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task An_officer_sets_their_duty_status_on_the_phone_and_their_worker_view_has_it()
    {
        var (phone, problems) = await Open("police-2", "/m", phone: true);
        var status = phone.Locator("#mobile-duty-status");
        await Expect(status).Not.ToHaveTextAsync("加载中…", new() { Timeout = 10_000 });
        await phone.ClickAsync("#mobile-duty button[data-status=onPatrol]");
        await Expect(status).ToHaveTextAsync("巡查中");
        await phone.ClickAsync("#mobile-duty button[data-status=sos]");
        await Expect(status).ToHaveTextAsync("紧急求助");
        await Expect(phone.Locator("#mobile-duty button[data-status=sos]")).ToHaveAttributeAsync("aria-pressed", "true");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("mobile-duty.png") });

        var id = DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == "police-2").WorkerId!;
        var view = (await web.Http.GetFromJsonAsync<CommandCenter.Workers.WorkerView>($"/api/workers/{id}", Json.Options))!;
        Assert.Equal(CommandCenter.Workers.DutyStatus.Sos, view.Status);
        await phone.ClickAsync("#mobile-duty button[data-status=onDuty]");
        await Expect(status).ToHaveTextAsync("在岗");
        AssertNoProblems(problems);
    }

    [Fact]
    public async Task The_citizen_rates_a_closed_case_through_the_link_and_a_wrong_token_shows_nothing()
    {
        var created = await ReportIn(GridOf("worker-1"), "小区路灯不亮" + Suffix());
        await Do("duty", created.Id, "verify");
        await Do("duty", created.Id, "ticket");
        await Do("duty", created.Id, "dispatch", new { targetKind = "worker", target = WorkerId("worker-1") });
        await Do("worker-1", created.Id, "accept");
        await Do("worker-1", created.Id, "handle", new { note = "已更换灯泡" });
        await Do("duty", created.Id, "feedback", new { note = "路灯已修复,感谢您的反映" });

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var forged = await page.GotoAsync(new Uri(web.BaseAddress, $"/rate/{created.Id:N}?t=AAAAAAAAAAAAAAAAAAAAAA").ToString());
        Assert.Equal(403, forged!.Status);
        await Expect(page.Locator("main .mobile-refusal")).ToHaveTextAsync("链接无效");
        Assert.Equal(0, await page.Locator("#rate-title, #rate-form").CountAsync());

        await page.GotoAsync(new Uri(web.BaseAddress, created.RatingLink).ToString());
        await Expect(page.Locator("#rate-title")).ToHaveTextAsync(created.Incident.Title);
        await Expect(page.Locator("#rate-feedback")).ToHaveTextAsync("路灯已修复,感谢您的反映");
        await Expect(page.Locator("#rate-status")).ToHaveTextAsync("已办结");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WallBrowserTests.Screenshot("rate.png"), FullPage = true });
        await page.CheckAsync("input[name=rating][value=satisfied]");
        await page.ClickAsync("#rate-form button[type=submit]");
        await Expect(page.Locator("#rate-done")).ToHaveTextAsync("已提交评价:满意。感谢您的反馈!");

        var incident = await web.Http.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{created.Id}", Json.Options);
        Assert.Equal((IncidentStatus.Rated, Rating.Satisfied), (incident!.Status, incident.Rating));
        await page.ReloadAsync();
        await Expect(page.Locator("#rate-closed")).ToHaveTextAsync("您已评价,感谢您的反馈。");
        await context.CloseAsync();
    }

    private string WorkerId(string username) =>
        DemoAccounts.For(web.Directory.Tree!, web.Directory.WorkersIn(web.CountyCode)).Single(a => a.Username == username).WorkerId!;

    private string GridOf(string username) => web.Directory.Worker(WorkerId(username))!.GridCode;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>Reports a 12345 ticket at the centre of <paramref name="grid"/> through the intake API.</summary>
    private async Task<CommandCenter.Web.Application.IncidentCreated> ReportIn(string grid, string title, string description = "居民来电反映")
    {
        var (lat, lng) = web.Directory.Tree!.CenterOf(grid);
        using var request = Reports.Post(new { source = "hotline12345", category = "safety", title, description, lat, lng, reporter = "王女士" });
        request.RequestUri = new Uri("/api/intake/incidents", UriKind.Relative);
        using var intake = web.IntakeClient();
        return await Reports.Created(await intake.SendAsync(request));
    }

    private async Task Do(string username, Guid id, string action, object? body = null)
    {
        using var client = await web.ClientAs(username);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{id}/{action}")
            { Content = JsonContent.Create(body ?? new { }, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", Reports.NewKey());
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{username} {action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Signs in as <paramref name="user"/> in a new context (a 390×844 phone, or a 1440×900 desk) and opens <paramref name="path"/>.</summary>
    private async Task<(IPage Page, List<string> Problems)> Open(string user, string path, bool phone = false)
    {
        var (page, problems) = await _chromium.NewPage(new BrowserNewContextOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1440, Height = 900 },
            IsMobile = phone,
        });
        await WallBrowserTests.SignIn(page, web.BaseAddress, user, path);
        return (page, problems);
    }

    private static async Task AssertInert(IPage page)
    {
        foreach (var unsafeElement in new[] { "img[src='x']", "iframe", "main script", "b[onmouseover]" })
            Assert.Equal(0, await page.Locator(unsafeElement).CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
    }

    private static void AssertNoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, "The page reported errors:\n" + string.Join("\n", problems));
}
