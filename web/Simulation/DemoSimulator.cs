using CommandCenter.Web.Application;
using System.Net.Http.Json;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using CommandCenter.Web.Api;
using CommandCenter.Workers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// The demo county comes alive: people walk their grids and report incidents, through the intake API the 12345
/// hotline and a terminal gateway use, as the demo's own integration, and a share of the reports is worked round the
/// closed loop (<see cref="DemoCaseWorker"/>). People get duty statuses when first seen (off duty, on duty, one in
/// SOS), set on their worker grains: they have no accounts, so these are not audited as theirs. Patrols in the patrol
/// windows are <see cref="DemoPatrols"/>'s (on patrol through the phone's path); the simulator's random walk leaves
/// those walking them be. A few on duty send one position and then fall silent, and so lose contact. The demo officers
/// sign their alerts (<see cref="DemoAlerts"/>), and a command session runs with its instructions signed and reported
/// back by the stations (<see cref="DemoCommand"/>); in a sensitive period the stations send their daily zero-report
/// (<see cref="DemoZeroReports"/>). Off unless CommandCenter:Simulator:Enabled.
/// </summary>
public sealed class DemoSimulator(
    IOptions<SimulatorOptions> options,
    JurisdictionDirectory directory,
    DemoIntegration integration,
    IHttpClientFactory httpClients,
    IServer server,
    IHostApplicationLifetime lifetime,
    DemoCaseWorker caseWorker,
    DemoPatrols patrols,
    DemoAlerts alerts,
    DemoCommand command,
    DemoZeroReports zeroReports,
    CommandCenter.Access.PoliceBindingDirectory police,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<DemoSimulator> log) : BackgroundService
{
    public const string HttpClientName = "simulator";

    /// <summary>What people report, by category code (the default list, deploy/sql/app/024-categories.sql).</summary>
    private static readonly (string Category, string[] Titles)[] Scenarios =
    [
        ("dispute.neighbor", ["邻里因噪音发生争执", "楼道占用引发邻里矛盾"]),
        ("dispute.land", ["土地承包边界纠纷"]),
        ("dispute.property", ["物业费收缴矛盾"]),
        ("dispute.family", ["婚姻家庭矛盾需调解"]),
        ("dispute.labor", ["拖欠农民工工资"]),
        ("security", ["夜间有可疑人员徘徊", "出租屋人员登记不全", "路灯损坏存在治安隐患"]),
        ("safety.fire", ["楼道堆放杂物堵塞消防通道"]),
        ("safety.electric", ["电动车违规充电"]),
        ("safety.construction", ["施工围挡倒塌风险"]),
        ("safety", ["燃气管道疑似泄漏"]),
        ("sanitation", ["垃圾清运不及时", "路面污水外溢", "私搭乱建影响市容"]),
        ("service", ["独居老人需要上门帮扶", "低保申请咨询", "小区供暖不热"]),
        ("petition", ["群众反映征地补偿问题"]),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return;
        if (!await Started(stoppingToken))
            return;
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The simulator needs the server's address.");
        if (integration.Key is not { } key)
        {
            log.LogWarning("The simulator needs demo mode (a demo password) for its intake key; not simulating");
            return;
        }
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1"));
        http.DefaultRequestHeaders.Add(IntegrationKeys.Header, key);
        log.LogInformation("Demo simulator on {Address}: {Rate} reports/min", http.BaseAddress, settings.ReportsPerMinute);

        var random = new Random(settings.Seed);
        var positions = new Dictionary<string, (double Lat, double Lng)>();
        var silent = new HashSet<string>(StringComparer.Ordinal);
        var reportEvery = TimeSpan.FromMinutes(1 / Math.Max(settings.ReportsPerMinute, 0.001));
        var nextReport = clock.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (directory.Tree is not { } tree)
                    continue;
                var people = directory.WorkersIn(tree.Root.Code);
                if (positions.Count == 0)
                    await SetStatuses(people, silent, random, settings);
                await Walk(http, tree, people.Where(p => (!silent.Contains(p.Id) || !positions.ContainsKey(p.Id)) && !patrols.IsWalking(p.Id)).ToList(),
                    positions, random, settings, stoppingToken);
                await patrols.Step(tree, people, positions, random, stoppingToken);
                await alerts.Step(random);
                await command.Step(tree, random);
                await zeroReports.Step(tree);
                while (clock.GetUtcNow() >= nextReport)
                {
                    nextReport += reportEvery;
                    await Report(http, people, positions, random, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed or timed-out request, or anything else of one round: the next round tries again.
                BackgroundFailures.Count("simulator");
                log.LogWarning(e, "Simulator round failed");
            }
        }
    }

    private async Task<bool> Started(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(started.SetResult);
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Everyone's duty status at the start; <paramref name="silent"/> gets those who will lose contact.</summary>
    private async Task SetStatuses(IReadOnlyList<WorkerRecord> people, HashSet<string> silent, Random random, SimulatorOptions settings)
    {
        var statuses = people.Select(_ => random.NextDouble() switch
        {
            var r when r < settings.OffDutyShare => DutyStatus.OffDuty,
            _ => DutyStatus.OnDuty,
        }).ToArray();
        if (people.Count > 0)
            statuses[random.Next(people.Count)] = DutyStatus.Sos;
        for (var i = 0; i < people.Count; i++)
        {
            if (statuses[i] != DutyStatus.OffDuty && random.NextDouble() < settings.LostContactShare)
                silent.Add(people[i].Id);
        }
        await Task.WhenAll(people.Select((person, i) => grains.GetGrain<IWorkerGrain>(person.Id).SetStatus(statuses[i])));
    }

    private static async Task Walk(HttpClient http, JurisdictionTree tree, IReadOnlyList<WorkerRecord> people,
        Dictionary<string, (double Lat, double Lng)> positions, Random random, SimulatorOptions settings, CancellationToken ct)
    {
        var moves = new List<PositionReport>();
        foreach (var person in people)
        {
            var here = positions.GetValueOrDefault(person.Id, (person.HomeLatitude, person.HomeLongitude));
            if (positions.ContainsKey(person.Id) && random.NextDouble() > settings.MovingShare)
                continue;
            var angle = random.NextDouble() * 2 * Math.PI;
            var metres = positions.ContainsKey(person.Id) ? settings.StepMetres : 0;
            var next = (Lat: here.Item1 + metres * Math.Sin(angle) / 111_320,
                        Lng: here.Item2 + metres * Math.Cos(angle) / (111_320 * Math.Cos(here.Item1 * Math.PI / 180)));
            if (tree.LocateGrid(next.Lat, next.Lng)?.Code != person.GridCode)
                next = (person.HomeLatitude, person.HomeLongitude); // stay in one's own grid: walk back home
            positions[person.Id] = next;
            moves.Add(new PositionReport(person.Id, next.Lat, next.Lng));
        }
        if (moves.Count > 0)
            (await http.PostAsJsonAsync("/api/intake/positions", moves, Json.Options, ct)).EnsureSuccessStatusCode();
    }

    private async Task Report(HttpClient http, IReadOnlyList<WorkerRecord> people,
        Dictionary<string, (double Lat, double Lng)> positions, Random random, CancellationToken ct)
    {
        if (people.Count == 0)
            return;
        // A share of the reports in the grids the demo's patrol officers cover, so that their phones are alerted (警务+网格).
        var bindings = await police.Current();
        var policed = random.NextDouble() < options.Value.PolicedGridShare ? people.Where(p => bindings.For(p.GridCode).Count > 0).ToList() : [];
        var reporter = policed.Count > 0 ? policed[random.Next(policed.Count)] : people[random.Next(people.Count)];
        var (lat, lng) = positions.GetValueOrDefault(reporter.Id, (reporter.HomeLatitude, reporter.HomeLongitude));
        var (category, titles) = Scenarios[random.Next(Scenarios.Length)];
        var source = random.NextDouble() switch
        {
            < 0.70 => IncidentSource.GridWorker,
            < 0.85 => IncidentSource.Hotline12345,
            < 0.93 => IncidentSource.MiniProgram,
            < 0.97 => IncidentSource.Police,
            _ => IncidentSource.Petition,
        };
        var title = titles[random.Next(titles.Length)];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/intake/incidents")
        {
            Content = JsonContent.Create(new
            {
                source,
                category,
                title,
                description = $"{reporter.Name}于巡查中发现:{title}。",
                lat,
                lng,
                reporter = source == IncidentSource.GridWorker ? reporter.Name : null,
            }, options: Json.Options),
        };
        request.Headers.Add("Idempotency-Key", $"sim-{Guid.NewGuid():N}");
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            log.LogWarning("Simulated report refused: {Status} {Body}", (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            return;
        }
        if (random.NextDouble() < options.Value.WorkedShare)
        {
            var created = await response.Content.ReadFromJsonAsync<IncidentCreated>(Json.Options, ct);
            _ = caseWorker.Work(created!.Id, new Random(random.Next()), ct);
        }
    }
}
