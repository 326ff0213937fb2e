using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.RollCalls;
using CommandCenter.Video;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Web.Application;

/// <summary>A called station as shown: its name (and township, for a village), when the call reached it and when its first frame came, how long it took, its outcome.</summary>
public sealed record RollCallStationView(string Code, string Name, string? ParentName, DateTimeOffset? DeliveredAt, DateTimeOffset? AnsweredAt,
    double? ResponseSeconds, RollCallOutcome Outcome);

public sealed record RollCallCounts(int Called, int OnTime, int Late, int NotAnswered, int Offline, int Pending);

/// <summary>A roll call's report: who called whom and when, the time to answer (seconds), when it closes or closed, and each station's outcome.</summary>
public sealed record RollCallView(Guid Id, Guid? Session, string Title, string Area, string AreaName, int AnswerWithin, DateTimeOffset StartedAt,
    DateTimeOffset ClosesAt, DateTimeOffset? ClosedAt, bool Open, string StartedByName, string? EndedByName, DateTimeOffset Now, RollCallCounts Counts,
    IReadOnlyList<RollCallStationView> Stations);

/// <summary>A roll call ringing at one of the caller's stations: answer by <see cref="AnswerBy"/> to be on time (from when it reached the station), late until <see cref="ClosesAt"/>.</summary>
public sealed record RingingRollCall(Guid RollCall, string Title, string Station, string StationName, string StartedByName, DateTimeOffset StartedAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset AnswerBy, DateTimeOffset ClosesAt, int AnswerWithin, DateTimeOffset Now);

/// <summary>One roll call in a station's history.</summary>
public sealed record StationRollCall(Guid RollCall, string Title, DateTimeOffset StartedAt, string StartedByName, RollCallOutcome Outcome, double? ResponseSeconds);

/// <summary>A station's roll calls of a period: what they add up to (how often and how fast it answered) and each of them, the latest first.</summary>
public sealed record StationRollCallHistory(string Station, string Name, DateOnly From, DateOnly To, RollCallStats Stats, IReadOnlyList<StationRollCall> RollCalls);

/// <summary>
/// The video roll call (视频点名): the county center calls chosen stations (in a command session or on its own, a
/// routine duty check); each station's walls and consoles ring (<see cref="RollCallNotice"/>), the page reports the
/// call delivered, the station answers by joining the roll call's own room with its camera, and the media server's
/// event of its first frame (<see cref="VideoReceived"/>, Janus' time) is its answer. Outcomes and times are the roll
/// call's grain's (<see cref="RollCallRules"/>), kept in PostgreSQL; the sweep closes it. Those who may read a
/// station's roll calls read its report, the export and its history; a station reads its own rows.
/// </summary>
public sealed class RollCallService(
    JurisdictionDirectory directory,
    RollCallStore store,
    CommandService command,
    ConferenceService conference,
    IGrainFactory grains,
    IOptions<RollCallOptions> options,
    [FromKeyedServices(RollCallService.ClockKey)] TimeProvider clock)
{
    public const string ClockKey = RollCallSweepGrain.ClockKey;

    /// <summary>The longest period of a list or a history, in days.</summary>
    public const int MaxDays = 366;

    public const int MaxListed = 200;

    /// <summary>Starts a roll call (in the session when <paramref name="session"/> is given); the same Idempotency-Key again answers the stored one.</summary>
    public async Task<Outcome<RollCallView>> Start(Actor actor, string key, Guid? session, RollCallRequest request)
    {
        if (!conference.IsConfigured)
            return ConferenceService.NoVideo();
        if (directory.Tree is not { } tree)
            return NotReady();
        var caller = actor.Caller;
        if (Refusal.For(AccessPolicy.DecideRole(caller, AccessAction.StartRollCalls)) is { } refused)
            return refused;
        var errors = new Dictionary<string, string[]>();
        var forbidden = new Dictionary<string, string[]>();
        for (var i = 0; i < request.Stations.Count; i++)
        {
            var code = request.Stations[i];
            switch (AccessPolicy.Decide(caller, AccessAction.StartRollCalls, code, tree))
            {
                case AccessDecision.NotFound:
                    errors[$"stations[{i}]"] = [$"No station {code}."];
                    break;
                case AccessDecision.Allowed when tree.Find(code)!.Level is not (JurisdictionLevel.Township or JurisdictionLevel.Village):
                    errors[$"stations[{i}]"] = [$"{tree.NameOf(code)} is not a station: call townships and villages."];
                    break;
                case AccessDecision.Allowed:
                    break;
                default:
                    forbidden[$"stations[{i}]"] = [$"{code} is outside your jurisdiction."];
                    break;
            }
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (forbidden.Count > 0)
            return Refusal.Forbidden(forbidden);

        string title, area;
        if (session is { } sessionId)
        {
            var open = await command.OpenCommanded(caller, sessionId);
            if (open.Refusal is { } notCommanded)
                return notCommanded;
            (title, area) = (request.Title ?? $"{open.Value.Session.Title} · 视频点名", open.Value.Session.Area);
        }
        else
        {
            area = CommonArea(tree, request.Stations);
            title = request.Title ?? $"{tree.NameOf(area)}例行视频点名";
        }

        var id = KeyedIds.Of("roll-call", caller.Id, key);
        var grain = grains.GetGrain<IRollCallGrain>(id);
        if (await grain.Get() is { } existing)
            return View(tree, existing, existing.Stations);
        var now = Timestamps.Stored(clock.GetUtcNow());
        var call = new RollCall(id, session, title, area, request.AnswerWithin, now, RollCallRules.ClosesAt(now, request.AnswerWithin, options.Value.LateWindow),
            null, caller.Id, caller.Name, null,
            request.Stations.Select(code => new CalledStation(code, tree.PathToRoot(code), null, null, RollCallOutcome.Pending)).ToList());
        if (await conference.Prepared(call.Room, title) is { } unavailable)
            return unavailable;
        try
        {
            call = await grain.Start(call, caller, actor.ClientAddress);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same request twice at once on two nodes: the other one stored it.
            call = (await store.Get(id))!;
        }
        return View(tree, call, call.Stations);
    }

    /// <summary>A roll call's report: all of it for those who read its area, a station's own rows for the station.</summary>
    public async Task<Outcome<RollCallView>> Get(Caller caller, Guid id)
    {
        var read = await Readable(caller, id);
        return read.Refusal is { } refused ? refused : View(read.Value.Tree, read.Value.Call, read.Value.Shown);
    }

    /// <summary>A roll call's report as CSV: a row per station, Chinese headers, names, times in China Standard Time.</summary>
    public async Task<Outcome<ExportFile>> Export(Caller caller, Guid id)
    {
        var report = await Get(caller, id);
        if (report.Refusal is { } refused)
            return refused;
        var view = report.Value!;
        return new ExportFile(RollCallExport.Csv(view), Csv.MediaType, $"视频点名_{view.Title}_{ChinaTime.Of(view.StartedAt):yyyyMMdd-HHmm}.csv");
    }

    /// <summary>The roll calls of stations within an area started on the days from <paramref name="from"/> to <paramref name="to"/> (CST; the last 30 days by default), the latest first.</summary>
    public async Task<Outcome<IReadOnlyList<RollCallView>>> List(Caller caller, string? jurisdiction, string? from, string? to)
    {
        var errors = new Dictionary<string, string[]>();
        var (first, last) = Days(from, to, errors);
        if (string.IsNullOrEmpty(jurisdiction))
            errors["jurisdiction"] = ["Required: the code of the area."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (directory.Tree is not { } tree)
            return NotReady();
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.ReadRollCalls, jurisdiction, tree), jurisdiction) is { } refused)
            return refused;
        var calls = await store.Read(await store.Within([jurisdiction!], ChinaTime.At(first, TimeOnly.MinValue),
            ChinaTime.At(last.AddDays(1), TimeOnly.MinValue), MaxListed));
        return calls.Select(call => View(tree, call, Shown(caller, tree, call))).ToList();
    }

    /// <summary>A station's roll calls of the days from <paramref name="from"/> to <paramref name="to"/> (CST; the last 30 days by default): how often and how fast it answered.</summary>
    public async Task<Outcome<StationRollCallHistory>> History(Caller caller, string? station, string? from, string? to)
    {
        var errors = new Dictionary<string, string[]>();
        var (first, last) = Days(from, to, errors);
        if (string.IsNullOrEmpty(station))
            errors["station"] = ["Required: the station's code."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (directory.Tree is not { } tree)
            return NotReady();
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.ReadRollCalls, station, tree), station) is { } refused)
            return refused;
        var calls = await store.Read(await store.OfStation(station!, ChinaTime.At(first, TimeOnly.MinValue), ChinaTime.At(last.AddDays(1), TimeOnly.MinValue)));
        var records = calls.Select(c => (Call: c, Station: c.Stations.First(s => s.Code == station))).ToList();
        var now = clock.GetUtcNow();
        return new StationRollCallHistory(station!, tree.NameOf(station!), first, last, RollCallRules.Summarize(records),
            records.Select(r => new StationRollCall(r.Call.Id, r.Call.Title, r.Call.StartedAt, r.Call.StartedByName, RollCallRules.OutcomeAt(r.Call, r.Station, now),
                Seconds(RollCallRules.Response(r.Call, r.Station)))).ToList());
    }

    /// <summary>What rings now at the caller's own stations (or the one asked for).</summary>
    public async Task<Outcome<IReadOnlyList<RingingRollCall>>> Ringing(Caller caller, string? station)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (Refusal.For(AccessPolicy.DecideRole(caller, AccessAction.AnswerRollCalls)) is { } refused)
            return refused;
        if (station is not null && !AccessPolicy.MayAnswerRollCall(caller, station))
            return Refusal.Forbidden("station", $"{station} is not your station.");
        var own = station is null ? caller.Jurisdictions.Where(code => AccessPolicy.MayAnswerRollCall(caller, code)).ToList() : [station];
        var now = clock.GetUtcNow();
        var ringing = new List<RingingRollCall>();
        foreach (var call in await store.Read(await store.Ringing(own)))
        {
            foreach (var s in call.Stations.Where(s => own.Contains(s.Code, StringComparer.Ordinal) && RollCallRules.Rings(call, s, now)))
            {
                ringing.Add(new RingingRollCall(call.Id, call.Title, s.Code, tree.NameOf(s.Code), call.StartedByName, call.StartedAt, s.DeliveredAt,
                    RollCallRules.Since(call, s) + call.AnswerWithin, call.ClosesAt, (int)call.AnswerWithin.TotalSeconds, now));
            }
        }
        return ringing;
    }

    /// <summary>The call reached a page of the station (its wall or console rings): the first time counts, from then on the station's answer is timed.</summary>
    public async Task<Outcome<RingingRollCall>> Delivered(Actor actor, Guid id, RollCallStationRequest request)
    {
        var answering = await Answering(actor.Caller, id, request);
        if (answering.Refusal is { } refused)
            return refused;
        var (tree, call, station) = answering.Value;
        call = (await grains.GetGrain<IRollCallGrain>(id).Delivered(station, clock.GetUtcNow()))!;
        var s = call.Stations.First(x => x.Code == station);
        return new RingingRollCall(call.Id, call.Title, station, tree.NameOf(station), call.StartedByName, call.StartedAt, s.DeliveredAt,
            RollCallRules.Since(call, s) + call.AnswerWithin, call.ClosesAt, (int)call.AnswerWithin.TotalSeconds, clock.GetUtcNow());
    }

    /// <summary>
    /// A ticket to the roll call's room: a called station's own account publishes its camera (its answer); those who
    /// may start roll calls for its area watch.
    /// </summary>
    public async Task<Outcome<ConferenceJoin>> Join(Actor actor, Guid id, RollCallStationRequest request)
    {
        if (!conference.IsConfigured)
            return ConferenceService.NoVideo();
        var caller = actor.Caller;
        var read = await Readable(caller, id);
        if (read.Refusal is { } refused)
            return refused;
        var (tree, call, _) = read.Value;
        if (!call.IsOpen)
            return Refusal.Conflict("rollCall", "The roll call is over.");
        var members = call.Stations.Select(s => new ConferenceMember(s.Code, tree.NameOf(s.Code))).ToList();
        var own = call.Stations.Where(s => AccessPolicy.MayAnswerRollCall(caller, s.Code)).Select(s => s.Code).ToList();
        if (request.Station is { } asked && !own.Contains(asked, StringComparer.Ordinal))
            return Refusal.Invalid("station", "Not one of your stations in this roll call.");
        if (request.Station is null && own.Count > 1)
            return Refusal.Invalid("station", "Your account covers several of the called stations: name the one you answer for.");
        if ((request.Station ?? own.FirstOrDefault()) is { } station)
            return await conference.Admit(caller, id, call.Title, call.Room, station, $"{tree.NameOf(station)} · {caller.Name}", publish: true, mayCommand: false,
                null, null, members);
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.StartRollCalls, call.Area, tree), call.Area) is { } watchRefused)
            return watchRefused;
        return await conference.Admit(caller, id, call.Title, call.Room, ConferenceService.PersonParticipant(caller), caller.Name, publish: false,
            mayCommand: false, null, null, members);
    }

    /// <summary>Ends the roll call now (those who may start roll calls for its area): every station not answered gets its outcome; its room goes.</summary>
    public async Task<Outcome<RollCallView>> End(Actor actor, Guid id)
    {
        var caller = actor.Caller;
        var read = await Readable(caller, id);
        if (read.Refusal is { } refused)
            return refused;
        var (tree, call, _) = read.Value;
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.StartRollCalls, call.Area, tree), call.Area) is { } notHers)
            return notHers;
        var closed = (await grains.GetGrain<IRollCallGrain>(id).Close(clock.GetUtcNow(), caller, actor.ClientAddress))!;
        await conference.Destroy(closed.Room);
        return View(tree, closed, closed.Stations);
    }

    /// <summary>What the media server reports of a roll call's room: a called station's first frame there is its answer.</summary>
    public async Task Record(VideoEvent e)
    {
        if (e is VideoReceived && RollCall.OfRoom(e.Room) is { } id)
            await grains.GetGrain<IRollCallGrain>(id).Answered(e.Participant, e.At);
    }

    // ---- the parts ------------------------------------------------------------------------------------------------

    /// <summary>The roll call and the stations of it the caller may see (404 when none, as if it did not exist).</summary>
    private async Task<Outcome<(JurisdictionTree Tree, RollCall Call, IReadOnlyList<CalledStation> Shown)>> Readable(Caller caller, Guid id)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (Refusal.For(AccessPolicy.DecideRole(caller, AccessAction.ReadRollCalls)) is { } refused)
            return refused;
        if (await grains.GetGrain<IRollCallGrain>(id).Get() is not { } call || Shown(caller, tree, call) is not { Count: > 0 } shown)
            return Refusal.NotFound($"No roll call {id}.");
        return (tree, call, shown);
    }

    /// <summary>Every station of the roll call for those who read its area, else those within the caller's jurisdiction.</summary>
    private static IReadOnlyList<CalledStation> Shown(Caller caller, JurisdictionTree tree, RollCall call) =>
        AccessPolicy.Decide(caller, AccessAction.ReadRollCalls, call.Area, tree) == AccessDecision.Allowed
            ? call.Stations
            : call.Stations.Where(s => AccessPolicy.Decide(caller, AccessAction.ReadRollCalls, s.Code, tree) == AccessDecision.Allowed).ToList();

    /// <summary>The open roll call, and the called station of the caller's the request means.</summary>
    private async Task<Outcome<(JurisdictionTree Tree, RollCall Call, string Station)>> Answering(Caller caller, Guid id, RollCallStationRequest request)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (Refusal.For(AccessPolicy.DecideRole(caller, AccessAction.AnswerRollCalls)) is { } refused)
            return refused;
        if (await grains.GetGrain<IRollCallGrain>(id).Get() is not { } call)
            return Refusal.NotFound($"No roll call {id}.");
        var own = call.Stations.Where(s => AccessPolicy.MayAnswerRollCall(caller, s.Code)).Select(s => s.Code).ToList();
        if (own.Count == 0)
            return Refusal.NotFound($"No roll call {id}.");
        if (request.Station is { } asked && !own.Contains(asked, StringComparer.Ordinal))
            return Refusal.Invalid("station", "Not one of your stations in this roll call.");
        if (request.Station is null && own.Count > 1)
            return Refusal.Invalid("station", "Your account covers several of the called stations: name the one you answer for.");
        if (!call.IsOpen)
            return Refusal.Conflict("rollCall", "The roll call is over.");
        return (tree, call, request.Station ?? own[0]);
    }

    private RollCallView View(JurisdictionTree tree, RollCall call, IReadOnlyList<CalledStation> shown)
    {
        var now = clock.GetUtcNow();
        var stations = shown.Select(s =>
        {
            var parent = tree.Find(s.Code) is { Level: JurisdictionLevel.Village, ParentCode: { } p } ? tree.NameOf(p) : null;
            return new RollCallStationView(s.Code, tree.NameOf(s.Code), parent, s.DeliveredAt, s.AnsweredAt, Seconds(RollCallRules.Response(call, s)),
                RollCallRules.OutcomeAt(call, s, now));
        }).ToList();
        int Count(RollCallOutcome outcome) => stations.Count(s => s.Outcome == outcome);
        return new RollCallView(call.Id, call.Session, call.Title, call.Area, tree.NameOf(call.Area), (int)call.AnswerWithin.TotalSeconds, call.StartedAt,
            call.ClosesAt, call.ClosedAt, call.IsOpen, call.StartedByName, call.EndedByName, now,
            new RollCallCounts(stations.Count, Count(RollCallOutcome.OnTime), Count(RollCallOutcome.Late), Count(RollCallOutcome.NotAnswered),
                Count(RollCallOutcome.Offline), Count(RollCallOutcome.Pending)), stations);
    }

    /// <summary>The lowest area above (or at) every station: the county for stations of several townships.</summary>
    private static string CommonArea(JurisdictionTree tree, IReadOnlyList<string> stations) =>
        stations.Select(code => (IEnumerable<string>)tree.PathToRoot(code)).Aggregate((common, path) => common.Intersect(path).ToList()).First();

    private (DateOnly From, DateOnly To) Days(string? from, string? to, Dictionary<string, string[]> errors)
    {
        var today = ChinaTime.Day(clock.GetUtcNow());
        var last = ZeroReportFormats.ReadDay("to", to, errors) ?? today;
        var first = ZeroReportFormats.ReadDay("from", from, errors) ?? last.AddDays(-29);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && (last < first || last.DayNumber - first.DayNumber + 1 > MaxDays))
            errors["to"] = [$"From the first day on, at most {MaxDays} days."];
        return (first, last);
    }

    private static double? Seconds(TimeSpan? taken) => taken is { } t ? Math.Round(t.TotalSeconds, 1) : null;

    private static Refusal NotReady() => Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
}
