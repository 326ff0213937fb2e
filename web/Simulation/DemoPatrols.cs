using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Patrols;
using CommandCenter.Web.Application;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode: the grids are patrolled (一巡). When a patrol window opens (or the demo starts within one) a share
/// <see cref="SimulatorOptions.PatrolledShare"/> of the grids gets a patrol by one of its people at a random time in
/// the window; the rest is left to be recorded as missed. A patrol starts and stops through the phone's path
/// (<see cref="PatrolService"/>: the duty status on patrol, then on duty), walks from the person's position to each
/// of the grid's checkpoints in turn at <see cref="WalkKmh"/>, reporting a position every <see cref="Every"/> as the
/// person's own, checking in at each checkpoint it reaches, and now and then visiting (三查) on the way. A share
/// <see cref="SimulatorOptions.ShortPatrolShare"/> stops after a few minutes without checking in: partial.
/// Everything is audited as the person's, from the client address "demo-simulator"; the people have no accounts.
/// </summary>
public sealed class DemoPatrols(
    PatrolService patrols,
    WorkerService workers,
    PatrolStore store,
    CalendarService calendars,
    IOptions<PatrolOptions> patrolOptions,
    IOptions<SimulatorOptions> options,
    [FromKeyedServices(PatrolSweepGrain.ClockKey)] TimeProvider clock,
    ILogger<DemoPatrols> log)
{
    public const double WalkKmh = 12;
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private const double VisitShare = 0.3;

    private static readonly (CheckInKind Kind, string Note)[] Visits =
    [
        (CheckInKind.RentalHousing, "出租房走访:租户信息已登记,消防通道畅通"),
        (CheckInKind.KeyPerson, "重点人员走访:情绪稳定,家属在家"),
        (CheckInKind.SpecialPlace, "特殊场所检查:网吧实名登记落实,无未成年人"),
    ];

    private sealed record Planned(WorkerRecord Person, DateTimeOffset Start, DateTimeOffset Until, bool Short);

    private sealed class Walker(Planned plan, Actor actor, IReadOnlyList<Checkpoint> route)
    {
        public Planned Plan { get; } = plan;
        public Actor Actor { get; } = actor;
        public IReadOnlyList<Checkpoint> Route { get; } = route;
        public int Next { get; set; }
        public DateTimeOffset MovedAt { get; set; }
        public bool Visited { get; set; }
    }

    private readonly Dictionary<string, Walker> _walking = new(StringComparer.Ordinal);
    private List<Planned> _planned = [];
    private (DateOnly Day, string Name)? _window;

    /// <summary>Whether the person is on a demo patrol now (the simulator's own walk leaves them be).</summary>
    public bool IsWalking(string workerId) => _walking.ContainsKey(workerId);

    /// <summary>
    /// One round of the simulator: plans the window that is open, starts the patrols that are due, moves the walkers
    /// whose step is due and stops those whose time is up. <paramref name="positions"/> is where the simulator keeps
    /// everyone's last position: walkers start from there and leave theirs there.
    /// </summary>
    public async Task Step(JurisdictionTree tree, IReadOnlyList<WorkerRecord> people, Dictionary<string, (double Lat, double Lng)> positions,
        Random random, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = PatrolRules.WindowsOn(PatrolRules.ChinaDay(now), patrolOptions.Value.ScheduleFor(tree.Root.Code), await calendars.Current())
            .FirstOrDefault(w => w.Start <= now && now < w.End);
        if (open is not null && _window != (open.Day, open.Name))
        {
            _window = (open.Day, open.Name);
            _planned = Plan(tree, people, open, now, random);
            log.LogInformation("Demo patrols of {Day} {Window}: {Count} grids of {Grids}", open.Day, open.Name, _planned.Count,
                tree.All.Count(j => j.Level == JurisdictionLevel.Grid));
        }
        foreach (var plan in _planned.Where(p => p.Start <= now).ToList())
        {
            _planned.Remove(plan);
            await Begin(plan, random);
        }
        foreach (var walker in _walking.Values.Where(w => now - w.MovedAt >= Every).ToList())
        {
            ct.ThrowIfCancellationRequested();
            if (now >= walker.Plan.Until)
                await End(walker);
            else
                await Move(walker, positions, now, random);
        }
    }

    /// <summary>Who patrols which grid when, in the rest of the window.</summary>
    private List<Planned> Plan(JurisdictionTree tree, IReadOnlyList<WorkerRecord> people, PatrolWindow window, DateTimeOffset now, Random random)
    {
        var settings = options.Value;
        var byGrid = people.ToLookup(p => p.GridCode);
        var plans = new List<Planned>();
        foreach (var grid in tree.All.Where(j => j.Level == JurisdictionLevel.Grid))
        {
            var person = byGrid[grid.Code].OrderBy(p => p.Role == WorkerRole.GridWorker ? 0 : 1).ThenBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault();
            if (person is null || IsWalking(person.Id) || random.NextDouble() >= settings.PatrolledShare)
                continue;
            var isShort = random.NextDouble() < settings.ShortPatrolShare;
            var length = TimeSpan.FromMinutes(isShort ? 4 + random.NextDouble() * 6 : 30 + random.NextDouble() * 20);
            var latest = window.End - length - TimeSpan.FromMinutes(5);
            var earliest = now > window.Start ? now : window.Start;
            var start = latest > earliest ? earliest + (latest - earliest) * random.NextDouble() : earliest;
            plans.Add(new Planned(person, start, start + length < window.End ? start + length : window.End, isShort));
        }
        return plans;
    }

    private async Task Begin(Planned plan, Random random)
    {
        var actor = new Actor(Person(plan.Person), DemoCaseWorker.ClientAddress);
        if ((await patrols.Start(actor)).Refusal is { } refusal)
        {
            log.LogWarning("Demo patrol of {Worker} not started: {Refusal}", plan.Person.Id, refusal.Title);
            return;
        }
        var checkpoints = (await store.Checkpoints([plan.Person.GridCode])).OrderBy(_ => random.Next()).ToList();
        _walking[plan.Person.Id] = new Walker(plan, actor, checkpoints) { MovedAt = clock.GetUtcNow() };
    }

    private async Task End(Walker walker)
    {
        _walking.Remove(walker.Plan.Person.Id);
        await patrols.Stop(walker.Actor);
    }

    /// <summary>A step towards the next checkpoint (round the route again after the last), and the check-ins on the way.</summary>
    private async Task Move(Walker walker, Dictionary<string, (double Lat, double Lng)> positions, DateTimeOffset now, Random random)
    {
        var person = walker.Plan.Person;
        var here = positions.GetValueOrDefault(person.Id, (person.HomeLatitude, person.HomeLongitude));
        var metres = WalkKmh / 3.6 * (now - walker.MovedAt).TotalSeconds;
        walker.MovedAt = now;
        if (walker.Route.Count == 0)
            return;
        var target = walker.Route[walker.Next % walker.Route.Count];
        var away = Distance.Meters(here.Item1, here.Item2, target.Latitude, target.Longitude);
        var share = away <= metres ? 1 : metres / away;
        var next = (Lat: here.Item1 + (target.Latitude - here.Item1) * share, Lng: here.Item2 + (target.Longitude - here.Item2) * share);
        positions[person.Id] = next;
        await workers.ReportOwn(walker.Actor, new PositionBatch([new PositionReport(person.Id, next.Lat, next.Lng, now)]));
        if (share < 1)
            return;
        walker.Next++;
        if (walker.Plan.Short)
            return;
        await CheckIn(walker, new CheckInRequest(CheckInKind.Checkpoint, next.Lat, next.Lng, null));
        if (!walker.Visited && random.NextDouble() < VisitShare)
        {
            walker.Visited = true;
            var (kind, note) = Visits[random.Next(Visits.Length)];
            await CheckIn(walker, new CheckInRequest(kind, next.Lat, next.Lng, note));
        }
    }

    private async Task CheckIn(Walker walker, CheckInRequest request)
    {
        if ((await patrols.CheckIn(walker.Actor, $"demo-{Guid.NewGuid():N}", request)).Refusal is { } refusal)
            log.LogWarning("Demo check-in of {Worker} refused: {Refusal}", walker.Plan.Person.Id, refusal.Title);
    }

    /// <summary>The person as the caller of their own phone (they have no account in the demo).</summary>
    private static Caller Person(WorkerRecord person) => new($"demo:{person.Id}", person.Name, person.Role switch
    {
        WorkerRole.GridChief => Role.GridChief,
        WorkerRole.PatrolOfficer => Role.PatrolPolice,
        _ => Role.GridWorker,
    }, [person.GridCode], person.Id);
}
