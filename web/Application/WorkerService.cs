using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Workers;

namespace CommandCenter.Web.Application;

/// <summary>A position, taken at <see cref="At"/> by the device (when it says; else when it arrives).</summary>
public sealed record PositionReport(string WorkerId, double Lat, double Lng, DateTimeOffset? At = null);

/// <summary>A batch of positions: a JSON array of <c>{ workerId, lat, lng, at? }</c>.</summary>
public sealed record PositionBatch(IReadOnlyList<PositionReport> Positions) : IRequestContract<PositionBatch>
{
    public const int MaxPositions = 2000;

    public static int MaxBytes => 256 * 1024;

    public static bool AnyJsonValue => true;

    public static PositionBatch Read(JsonFields body)
    {
        PositionReport[]? reports = null;
        try
        {
            reports = System.Text.Json.JsonSerializer.Deserialize<PositionReport[]>(body.Root, Json.Options);
        }
        catch (System.Text.Json.JsonException e)
        {
            body.Fail("$", $"Expected an array of {{ workerId, lat, lng, at? }}: {e.Message}");
            return new([]);
        }
        if (reports is null || reports.Length > MaxPositions)
            body.Fail("$", $"Expected an array of 1 to {MaxPositions} positions.");
        return new(reports ?? []);
    }
}

/// <summary>A person bound to a grid as lists show them: the registry's record (with the phone the county gave, if any) and the grid's name.</summary>
public sealed record PersonListing(string Id, string Name, WorkerRole Role, string GridCode, string GridName, double HomeLatitude, double HomeLongitude,
    string? Phone)
{
    public static PersonListing Of(WorkerRecord w, string gridName) => new(w.Id, w.Name, w.Role, w.GridCode, gridName, w.HomeLatitude, w.HomeLongitude, w.Phone);
}

/// <summary>A person's own duty status, set from the phone: <c>{ status }</c> (offDuty, onDuty, onPatrol, sos).</summary>
public sealed record DutyStatusRequest(DutyStatus Status) : IRequestContract<DutyStatusRequest>
{
    public static int MaxBytes => 1024;

    public static DutyStatusRequest Read(JsonFields body) =>
        new(body.Enum<DutyStatus>("status") ?? default);
}

/// <summary>
/// Grid workers and patrol officers: who is where and what they are doing. Their own positions and duty status come
/// from their phones, positions of many at once from a terminal gateway.
/// </summary>
public sealed class WorkerService(JurisdictionDirectory directory, IGrainFactory grains, AuditLog audit, PatrolSessions patrols, TimeProvider clock)
{
    /// <summary>How far ahead of the server's clock a device's position time may be.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(1);

    public const int MaxQueryLength = 32;

    public const int MaxLimit = 500;

    /// <summary>
    /// People bound to grids within an area (whose access the endpoint's rule has checked), with their grid's name;
    /// with <paramref name="q"/> only those whose name holds it or whose id begins with it (the console's search for
    /// someone to dispatch to), at most <paramref name="limit"/>.
    /// </summary>
    public Outcome<IReadOnlyList<PersonListing>> List(string? jurisdiction, string? q = null, int? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(jurisdiction))
            errors["jurisdiction"] = ["Required: the code of the area to list."];
        if (q is { Length: 0 or > MaxQueryLength })
            errors["q"] = [$"From 1 to {MaxQueryLength} characters."];
        if (limit is < 1 or > MaxLimit)
            errors["limit"] = [$"From 1 to {MaxLimit}."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (directory.Tree is not { } tree || tree.Find(jurisdiction!) is null)
            return Refusal.NotFound($"No jurisdiction {jurisdiction}.");
        IEnumerable<WorkerRecord> people = directory.WorkersIn(jurisdiction!);
        if (q is not null)
            people = people.Where(w => w.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || w.Id.StartsWith(q, StringComparison.OrdinalIgnoreCase));
        if (limit is { } most)
            people = people.Take(most);
        return people.Select(w => PersonListing.Of(w, tree.NameOf(w.GridCode))).ToList();
    }

    /// <summary>The person when they exist and the caller may read people in their grid; else null.</summary>
    /// <remarks>A person outside the caller's jurisdiction is "not found": ids must not reveal who exists elsewhere.</remarks>
    public WorkerRecord? Visible(Caller caller, string id) =>
        directory.Worker(id) is { } worker
        && AccessPolicy.Decide(caller, AccessAction.ReadPeople, worker.GridCode, directory.Tree) == AccessDecision.Allowed
            ? worker
            : null;

    public async Task<Outcome<WorkerView>> Get(Caller caller, string id) =>
        Visible(caller, id) is not null && await grains.GetGrain<IWorkerGrain>(id).Get() is { } view
            ? view
            : NoWorker(id);

    public static Refusal NoWorker(string id) => Refusal.NotFound($"No worker {id}.");

    /// <summary>
    /// The person sets their own duty status (audited with the status it left); the loop sets busy. Their patrol
    /// session follows it (<see cref="PatrolSessions"/>).
    /// </summary>
    public async Task<Outcome<WorkerView>> SetOwnStatus(Actor actor, DutyStatusRequest request)
    {
        if (actor.Caller.WorkerId is not { } id || directory.Worker(id) is not { } record)
            return Refusal.Forbidden("status", "Only people bound to a grid have a duty status.");
        var worker = grains.GetGrain<IWorkerGrain>(id);
        var before = (await worker.Get())!.Status;
        if (await worker.SetStatus(request.Status) is { } refusal)
            return Refusal.Conflict("status", refusal);
        await audit.Append(actor.Caller, AuditActions.SetDutyStatus, id,
            detail: $"{Json.Word(before)} → {Json.Word(request.Status)}", clientAddress: actor.ClientAddress);
        await patrols.Follow(actor, record, request.Status);
        return (await worker.Get())!;
    }

    /// <summary>A person's own position(s).</summary>
    public Task<Outcome<int>> ReportOwn(Actor actor, PositionBatch batch) => Report(actor.Caller, AccessAction.ReportOwnPosition, batch);

    /// <summary>Positions of anyone bound to a grid within the integration's jurisdiction, if it may send positions.</summary>
    public Task<Outcome<int>> Intake(Actor actor, Integration? integration, PositionBatch batch) =>
        integration is { Positions: true }
            ? Report(actor.Caller, AccessAction.IntakePositions, batch)
            : Task.FromResult<Outcome<int>>(Refusal.For(AccessDecision.RoleForbidden)!);

    /// <summary>Applies the batch (answering how many) only when every position in it is allowed.</summary>
    private async Task<Outcome<int>> Report(Caller caller, AccessAction action, PositionBatch batch)
    {
        var reports = batch.Positions;
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var forbidden = new Dictionary<string, string[]>();
        for (var i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            var worker = r is null ? null : directory.Worker(r.WorkerId ?? "");
            if (worker is null)
                errors[$"[{i}].workerId"] = ["Unknown worker."];
            else if (r!.Lat is < -90 or > 90 || r.Lng is < -180 or > 180)
                errors[$"[{i}].lat"] = ["Coordinates out of range."];
            else if (r.At > now + MaxClockAhead)
                errors[$"[{i}].at"] = ["A position from the future: the device's clock is wrong."];
            else if (action == AccessAction.ReportOwnPosition ? worker.Id != caller.WorkerId
                     : AccessPolicy.Decide(caller, action, worker.GridCode, directory.Tree) != AccessDecision.Allowed)
                forbidden[$"[{i}].workerId"] = [action == AccessAction.ReportOwnPosition ? "Only your own position." : "Outside your jurisdiction."];
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (forbidden.Count > 0)
            return Refusal.Forbidden(forbidden);
        await Task.WhenAll(reports.Select(r => grains.GetGrain<IWorkerGrain>(r.WorkerId).ReportPosition(r.Lat, r.Lng, r.At ?? now)));
        return reports.Count;
    }
}
