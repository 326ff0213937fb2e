using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Application;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode: one running command session (应急指挥) in the first township, opened by the demo commander at start for a
/// simulated public-security event with three stations taking part (the township, its first village and the
/// neighbouring township, which follows from outside the area), and an instruction to them every
/// <see cref="InstructionEvery"/>; the township and the village (station-1, village-1) sign (签收) and report back
/// (回执) as their walls would, through the command service, now and then later than their time; the neighbour's
/// (station-2) are left to whoever signs in as it, and show as missed otherwise. The commander leads the session's view (领屏),
/// has drawn a cordon (警戒区) round the township's centre and shares two of its cameras with the participants.
/// Session, markup and instructions take their ids from the
/// time they are for (their Idempotency-Keys), so a restart of the demo finds them instead of making new ones.
/// Audited as the accounts', from the client address "demo-simulator".
/// </summary>
public sealed class DemoCommand(CommandService command, AccountStore accounts, JurisdictionDirectory directory, TimeProvider clock,
    ILogger<DemoCommand> log)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan InstructionEvery = TimeSpan.FromMinutes(6);

    private static readonly string[] Instructions =
    [
        "立即组织警力和网格员赶赴现场，疏散围观群众，设置警戒区",
        "做好当事双方情绪安抚，防止矛盾激化，及时上报现场情况",
        "排查周边出租屋和流动人员，重点人员逐一见面",
        "加强夜间巡逻，村（社区）干部24小时在岗值守",
        "核实受伤人员情况，协调卫生院做好救治准备",
        "统计受影响群众数量，落实临时安置点",
    ];

    private static readonly string[] Reports =
    [
        "已到达现场，警戒区已设立，围观群众已疏散",
        "已安排网格员3人现场值守，情况稳定",
        "已排查出租屋12户、流动人员27人，未发现异常",
        "已落实24小时值班，值班表已报镇综治中心",
    ];

    /// <summary>When each station signs and reports an instruction (null: it leaves that step undone).</summary>
    private readonly Dictionary<(Guid Instruction, string Station), (DateTimeOffset? Sign, DateTimeOffset? Report)> _plans = [];

    private Guid? _session;
    private Caller? _commander;
    private Dictionary<string, Caller>? _stations;
    private DateTimeOffset _next;

    public async Task Step(JurisdictionTree tree, Random random)
    {
        var now = clock.GetUtcNow();
        if (now < _next)
            return;
        _next = now + Every;
        if (tree.ChildrenOf(DemoCounty.CountyIn(tree).Code).FirstOrDefault() is not { } township)
            return;
        if (_commander is null)
        {
            var people = (await accounts.List()).ToDictionary(a => a.Username, a => a.ToCaller(), StringComparer.Ordinal);
            if (!people.TryGetValue("commander", out var commander))
                return;
            _stations = new[] { "station-1", "village-1" }.Where(people.ContainsKey).ToDictionary(n => people[n].Jurisdictions[0], n => people[n]);
            _commander = commander;
        }
        _session ??= await Open(tree, township, now);
        if (_session is not { } session)
            return;
        await Issue(session, now);
        await Answer(random, now);
    }

    private async Task<Guid?> Open(JurisdictionTree tree, Jurisdiction township, DateTimeOffset now)
    {
        var neighbour = tree.ChildrenOf(DemoCounty.CountyIn(tree).Code).Skip(1).Take(1).Select(t => t.Code);
        var stations = new[] { township.Code }.Concat(tree.ChildrenOf(township.Code).Take(1).Select(v => v.Code)).Concat(neighbour).ToList();
        var opened = await command.Open(new Actor(_commander!, DemoCaseWorker.ClientAddress), $"demo-session-{now:yyyyMMdd}",
            new OpenSessionRequest($"{township.Name}集市群体性纠纷应急处置", township.Code, CommandLevel.Large, [], stations));
        if (opened.Refusal is { } refused)
        {
            log.LogWarning("The demo could not open its command session: {Detail}", refused.Detail ?? refused.Title);
            return null;
        }
        var session = opened.Value!.Id;
        log.LogInformation("Demo command session {Session} in {Township}", session, township.Name);
        if (opened.Value.Open && opened.Value.Leader is null)
        {
            var actor = new Actor(_commander!, DemoCaseWorker.ClientAddress);
            var (lat, lng) = tree.CenterOf(township.Code);
            await command.Lead(actor, session);
            await command.Mark(actor, $"demo-cordon-{now:yyyyMMdd}", session,
                new MarkupRequest(MarkupKind.Circle, [new MarkupPoint(lat, lng)], 400, "警戒区"));
            var cameras = directory.CamerasIn(township.Code).Take(2).Select(c => c.Id).ToList();
            if (cameras.Count > 0)
                await command.Share(actor, session, new ShareRequest([], cameras));
        }
        return session;
    }

    /// <summary>The instruction of the current period (one per <see cref="InstructionEvery"/>), to the session's participants.</summary>
    private async Task Issue(Guid session, DateTimeOffset now)
    {
        var period = now.ToUnixTimeSeconds() / (long)InstructionEvery.TotalSeconds;
        var text = Instructions[(int)(period % Instructions.Length)];
        var issued = await command.Issue(new Actor(_commander!, DemoCaseWorker.ClientAddress), $"demo-instruction-{period}", session,
            new IssueInstructionRequest(text, [], InstructionRules.DefaultSignWithin, InstructionRules.DefaultReportWithin, false));
        if (issued.Refusal is { } refused && refused.Kind != RefusalKind.Conflict)
            log.LogWarning("The demo could not issue an instruction: {Detail}", refused.Detail ?? refused.Title);
        if (issued.Refusal is { Kind: RefusalKind.Conflict })
            _session = null; // closed by someone: the next step opens the day's session again
    }

    private async Task Answer(Random random, DateTimeOffset now)
    {
        var waiting = new HashSet<(Guid, string)>();
        foreach (var (code, station) in _stations!)
        {
            if ((await command.Mine(station)).Value is not { } mine)
                continue;
            var actor = new Actor(station, DemoCaseWorker.ClientAddress);
            foreach (var instruction in mine)
            {
                var own = instruction.Recipients.FirstOrDefault(r => r.Code == code);
                if (own is null || own.State is RecipientState.Reported or RecipientState.Done)
                    continue;
                var key = (instruction.Id, code);
                waiting.Add(key);
                if (!_plans.TryGetValue(key, out var plan))
                {
                    // Most sign within their 5 minutes, one in five later; most report back within 30 minutes.
                    var sign = instruction.IssuedAt + TimeSpan.FromSeconds(random.NextDouble() < 0.2 ? 330 + random.Next(300) : 20 + random.Next(240));
                    var report = random.NextDouble() < 0.15 ? (DateTimeOffset?)null : sign + TimeSpan.FromMinutes(2 + random.Next(30));
                    _plans[key] = plan = (sign, report);
                }
                if (own.SignedAt is null && plan.Sign <= now)
                    await command.Sign(actor, instruction.Id, new SignInstructionRequest(code));
                else if (own.SignedAt is not null && plan.Report is { } at && at <= now)
                    await command.Report(actor, $"demo-report-{instruction.Id:N}-{code}", instruction.Id,
                        new ReportInstructionRequest(Reports[random.Next(Reports.Length)], null, null, true, code));
            }
        }
        // The plans of instructions answered, or no longer among the stations' latest, go.
        foreach (var key in _plans.Keys.Where(k => !waiting.Contains(k)).ToList())
            _plans.Remove(key);
    }
}
