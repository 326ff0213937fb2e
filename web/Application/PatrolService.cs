using System.Globalization;
using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Patrols;
using CommandCenter.Workers;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CommandCenter.Web.Application;

/// <summary>
/// Patrol duties (一巡二报三查四清): a grid person starts and stops their patrol (their duty status, through
/// <see cref="WorkerService"/>), checks in with GPS at the grid's checkpoints and on visits (三查) with a note and
/// photos, and sees their grid's windows today; dispatchers and the grid's people read an area's windows and outcomes
/// and its check-ins. Times are the patrols' clock (<see cref="PatrolSweepGrain.ClockKey"/>), the one the sweep records by.
/// </summary>
public sealed class PatrolService(
    JurisdictionDirectory directory,
    IGrainFactory grains,
    WorkerService workers,
    PatrolStore store,
    PatrolEvaluator evaluator,
    CalendarService calendars,
    AuditLog audit,
    PhotoCopies copies,
    IOptions<PatrolOptions> options,
    [FromKeyedServices(PatrolSweepGrain.ClockKey)] TimeProvider clock)
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Starts the caller's patrol: their status on patrol, which opens a session in their grid.</summary>
    public async Task<Outcome<MyPatrol>> Start(Actor actor) =>
        Own(actor.Caller) is not { } worker ? NotAGridPerson()
        : await workers.SetOwnStatus(actor, new DutyStatusRequest(DutyStatus.OnPatrol)) is { Refusal: { } refusal } ? refusal
        : await Mine(worker);

    /// <summary>Stops the caller's patrol: their status on duty, which closes the session. Not on patrol: nothing changes.</summary>
    public async Task<Outcome<MyPatrol>> Stop(Actor actor)
    {
        if (Own(actor.Caller) is not { } worker)
            return NotAGridPerson();
        var patrolling = await store.OpenSessionOf(worker.Id) is not null
            || (await grains.GetGrain<IWorkerGrain>(worker.Id).Get())?.Status == DutyStatus.OnPatrol;
        if (patrolling && await workers.SetOwnStatus(actor, new DutyStatusRequest(DutyStatus.OnDuty)) is { Refusal: { } refusal })
            return refusal;
        return await Mine(worker);
    }

    /// <summary>The caller's grid today.</summary>
    public async Task<Outcome<MyPatrol>> Mine(Caller caller) =>
        Own(caller) is { } worker ? await Mine(worker) : NotAGridPerson();

    /// <summary>
    /// A check-in in the caller's grid: inside it, or within <see cref="PatrolOptions.CheckpointRadiusMeters"/> of one
    /// of its checkpoints (at a checkpoint, the nearest is named). The same Idempotency-Key again answers the stored one.
    /// </summary>
    public async Task<Outcome<CheckedIn>> CheckIn(Actor actor, string key, CheckInRequest request)
    {
        if (Own(actor.Caller) is not { } worker)
            return NotAGridPerson();
        if (directory.Tree?.Find(worker.GridCode) is not { } grid)
            return Refusal.Unavailable("Your grid is not in the imported county.");
        var checkpoints = await store.Checkpoints([grid.Code]);
        var near = PatrolCheckpoints.Near(checkpoints, request.Lat, request.Lng, options.Value.CheckpointRadiusMeters);
        if (near is null && !grid.Geometry.Covers(new Point(request.Lng, request.Lat)))
            return Refusal.Forbidden("lat", $"Outside your grid {grid.Name}: check in inside it or at one of its checkpoints.");
        var now = clock.GetUtcNow();
        var wanted = new Patrols.CheckIn(Guid.CreateVersion7(now), worker.Id, grid.Code, request.Kind, now, request.Lat, request.Lng,
            request.Kind == CheckInKind.Checkpoint ? near?.Ordinal : null, request.Note);
        var (stored, created) = await store.Add(wanted, key);
        if (!created && (stored.Kind, stored.Latitude, stored.Longitude, stored.Note) != (request.Kind, request.Lat, request.Lng, request.Note))
            return Refusal.Unprocessable(IdempotencyKeys.Header, "This key was used for another check-in.", "Idempotency-Key reused.");
        if (created)
        {
            var at = stored.Checkpoint is { } ordinal ? checkpoints.First(c => c.Ordinal == ordinal).Name : grid.Name;
            await audit.Append(actor.Caller, AuditActions.CheckIn, stored.Id.ToString(), detail: $"{Json.Word(stored.Kind)} · {at}",
                clientAddress: actor.ClientAddress);
        }
        return new CheckedIn(Info(stored, checkpoints, []), created);
    }

    /// <summary>A photo of one of the caller's own check-ins (a visit's 现场照片).</summary>
    public async Task<Outcome<PatrolPhotoInfo>> AddPhoto(Actor actor, Guid checkInId, UploadedPhoto upload)
    {
        if (Own(actor.Caller) is not { } worker || await store.CheckIn(checkInId) is not { } checkIn || checkIn.WorkerId != worker.Id)
            return Refusal.NotFound($"No check-in {checkInId} of yours.");
        var clean = upload.Clean();
        if (clean.Refusal is { } refusal)
            return refusal;
        var photo = await store.SavePhoto(checkIn.Id, clean.Value!, actor.Caller.Id, clock.GetUtcNow());
        await audit.Append(actor.Caller, AuditActions.AttachToCheckIn, checkIn.Id.ToString(), detail: $"{photo.MediaType} · {photo.Size} bytes",
            clientAddress: actor.ClientAddress);
        return Info(photo);
    }

    /// <summary>A check-in photo's served copy, or its upload as it came (<paramref name="original"/>, for the roles that may).</summary>
    /// <remarks>A photo of a check-in in a grid the caller may not read is "not found", as if there were none.</remarks>
    public async Task<Outcome<PhotoFile>> Photo(Actor actor, Guid id, bool original)
    {
        if (copies.Refuse(actor.Caller, original) is { } refusal)
            return refusal;
        return await store.Photo(id) is { } stored && await store.CheckIn(stored.Photo.CheckInId) is { } checkIn
            && AccessPolicy.Decide(actor.Caller, AccessAction.ReadPatrols, checkIn.GridCode, directory.Tree) == AccessDecision.Allowed
                ? await copies.Serve(actor, PhotoUrl(id), stored.Bytes, original)
                : Refusal.NotFound($"No photo {id}.");
    }

    /// <summary>Each grid of the area with its windows on the day (CST; today when none is given), optionally only those of one outcome.</summary>
    public async Task<Outcome<PatrolDay>> Day(string? jurisdiction, string? date, string? outcome)
    {
        var errors = new Dictionary<string, string[]>();
        var area = Area(jurisdiction, errors);
        var day = Date(date, errors);
        var only = EnumWords.Optional<PatrolOutcome>("outcome", outcome, errors);
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (area.Refusal is { } refusal)
            return refusal;
        var (tree, place) = area.Value;
        var grids = tree.Within(place.Code, JurisdictionLevel.Grid);
        var calendar = await calendars.Current();
        var windows = PatrolRules.WindowsOn(day!.Value, Schedule(tree), calendar);
        var recorded = (await store.Outcomes(day.Value, grids.Select(g => g.Code).ToList())).ToLookup(r => r.GridCode);
        var now = clock.GetUtcNow();
        var all = grids.Select(g => new GridPatrolDay(g.Code, g.Name,
            windows.Select(w => Window(w, recorded[g.Code].FirstOrDefault(r => r.Window.Name == w.Name), null, now)).ToList())).ToList();
        var states = all.SelectMany(g => g.Windows).ToList();
        var counts = new PatrolCounts(states.Count(w => w.Outcome == PatrolOutcome.Done), states.Count(w => w.Outcome == PatrolOutcome.Partial),
            states.Count(w => w.Outcome == PatrolOutcome.Missed), states.Count(w => w.Outcome is null));
        var listed = only is not { } wanted ? all
            : all.Select(g => g with { Windows = g.Windows.Where(w => w.Outcome == wanted).ToList() }).Where(g => g.Windows.Count > 0).ToList();
        return new PatrolDay(place.Code, place.Name, day.Value, calendar.IsWorkingDay(day.Value), counts, listed);
    }

    /// <summary>The check-ins and visits made in the area's grids on the day (CST; today when none is given), oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<CheckInInfo>>> CheckIns(string? jurisdiction, string? date, string? kind)
    {
        var errors = new Dictionary<string, string[]>();
        var area = Area(jurisdiction, errors);
        var day = Date(date, errors);
        var only = EnumWords.Optional<CheckInKind>("kind", kind, errors);
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (area.Refusal is { } refusal)
            return refusal;
        var (tree, place) = area.Value;
        var grids = tree.Within(place.Code, JurisdictionLevel.Grid).Select(g => g.Code).ToList();
        var found = (await store.CheckIns(WholeDay(day!.Value), grids)).Where(c => only is null || c.Kind == only).ToList();
        return Outcome.Of<IReadOnlyList<CheckInInfo>>(await Described(found, grids));
    }

    private async Task<MyPatrol> Mine(WorkerRecord worker)
    {
        var now = clock.GetUtcNow();
        var today = PatrolRules.ChinaDay(now);
        var tree = directory.Tree!;
        var grid = tree.Find(worker.GridCode);
        var settings = options.Value;
        var windows = PatrolRules.WindowsOn(today, Schedule(tree), await calendars.Current());
        var recorded = await store.Outcomes(today, [worker.GridCode]);
        var infos = new List<PatrolWindowInfo>();
        foreach (var window in windows)
        {
            var record = recorded.FirstOrDefault(r => r.Window.Name == window.Name);
            GridPatrol? sofar = null;
            if (record is null && grid is not null && now > window.Start)
                sofar = (await evaluator.Evaluate(new Period(window.Start, now < window.End ? now : window.End), [grid.Code], tree))[0];
            infos.Add(Window(window, record, sofar, now));
        }
        var checkpoints = await store.Checkpoints([worker.GridCode]);
        var checkIns = await Described(await store.CheckIns(WholeDay(today), [worker.GridCode]), [worker.GridCode]);
        var session = await store.OpenSessionOf(worker.Id);
        var requirement = new PatrolRequirementInfo((int)settings.MinimumTime.TotalMinutes, settings.MinimumCoverage,
            PatrolRules.CheckpointsNeeded(checkpoints.Count, settings.CheckpointShare));
        return new MyPatrol(worker.Id, worker.GridCode, grid?.Name ?? worker.GridCode, today, now, session?.Started, requirement, infos,
            checkpoints.Select(Info).ToList(), checkIns);
    }

    private PatrolWindowInfo Window(PatrolWindow window, PatrolRecord? record, GridPatrol? sofar, DateTimeOffset now)
    {
        if (record is not null)
            return new(window.Name, window.Start, window.End, PatrolWindowState.Recorded, record.Outcome, Progress(record.Tally, record.PatrolledBy));
        var state = now < window.Start ? PatrolWindowState.Upcoming : now < window.End ? PatrolWindowState.Open : PatrolWindowState.Ended;
        return new(window.Name, window.Start, window.End, state, null, sofar is null ? null : Progress(sofar.Tally, sofar.PatrolledBy));
    }

    private PatrolProgress Progress(PatrolTally tally, IReadOnlyList<string> by) =>
        new((int)tally.TimeInGrid.TotalSeconds, tally.SectorsVisited, tally.Sectors, tally.CheckpointsVisited, tally.Checkpoints, tally.CheckIns,
            by.Select(id => new Patroller(id, directory.Worker(id)?.Name ?? id)).ToList());

    private async Task<IReadOnlyList<CheckInInfo>> Described(IReadOnlyList<Patrols.CheckIn> checkIns, IReadOnlyCollection<string> grids)
    {
        if (checkIns.Count == 0)
            return [];
        var checkpoints = (await store.Checkpoints(grids)).ToLookup(c => c.GridCode);
        var photos = (await store.Photos(checkIns.Select(c => c.Id).ToList())).ToLookup(p => p.CheckInId);
        return checkIns.Select(c => Info(c, checkpoints[c.GridCode], photos[c.Id].ToList())).ToList();
    }

    private CheckInInfo Info(Patrols.CheckIn c, IEnumerable<Checkpoint> checkpoints, IReadOnlyList<PatrolPhoto> photos) =>
        new(c.Id, c.WorkerId, directory.Worker(c.WorkerId)?.Name ?? c.WorkerId, c.GridCode, c.Kind, c.At, c.Latitude, c.Longitude,
            c.Checkpoint is { } ordinal && checkpoints.FirstOrDefault(p => p.Ordinal == ordinal) is { } at ? Info(at) : null,
            c.Note, photos.Select(Info).ToList());

    private static CheckpointInfo Info(Checkpoint c) => new(c.Ordinal, c.Name, c.Latitude, c.Longitude);

    private static PatrolPhotoInfo Info(PatrolPhoto p) =>
        new(p.Id, p.CheckInId, p.MediaType, p.Size, p.Sha256, p.UploadedAt, PhotoUrl(p.Id));

    private static string PhotoUrl(Guid id) => $"/api/patrols/photos/{id}";

    /// <summary>The caller's own person, bound to a grid of the tree (null: the caller patrols no grid).</summary>
    private WorkerRecord? Own(Caller caller) =>
        caller.WorkerId is { } id && directory.Worker(id) is { } worker && directory.Tree?.Find(worker.GridCode) is not null ? worker : null;

    private static Refusal NotAGridPerson() => Refusal.Forbidden("workerId", "Only people bound to a grid of the county patrol.");

    private PatrolSchedule Schedule(JurisdictionTree tree) => options.Value.ScheduleFor(tree.Root.Code);

    private Outcome<(JurisdictionTree Tree, Jurisdiction Place)> Area(string? jurisdiction, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(jurisdiction))
        {
            errors["jurisdiction"] = ["Required: the code of the area."];
            return Refusal.Invalid(errors);
        }
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("No county has been imported yet.");
        return tree.Find(jurisdiction) is { } place ? (tree, place) : Refusal.NotFound($"No jurisdiction {jurisdiction}.");
    }

    private DateOnly? Date(string? date, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(date))
            return PatrolRules.ChinaDay(clock.GetUtcNow());
        if (DateOnly.TryParseExact(date, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors["date"] = ["A day as YYYY-MM-DD (China Standard Time)."];
        return null;
    }

    private static Period WholeDay(DateOnly day)
    {
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        return new Period(midnight, midnight.AddDays(1));
    }
}
