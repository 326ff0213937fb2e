using System.Diagnostics.Metrics;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Workers;

[GenerateSerializer]
public sealed class WorkerState
{
    [Id(0)] public WorkerPosition? LastPosition { get; set; }
    [Id(1)] public DutyStatus Chosen { get; set; }
    [Id(2)] public HashSet<Guid> Cases { get; set; } = [];
    [Id(3)] public Geofence Fence { get; set; } = Geofence.Inside;
    [Id(4)] public List<GridNote> Notes { get; set; } = [];
}

/// <summary>
/// One person on the move: their last accepted position (<see cref="PositionFilter"/>), duty status
/// (<see cref="DutyRules"/>) and geofence (<see cref="Geofence"/>). Walls of the person's grid and its ancestors get
/// each accepted position, and the last one again on every status change or note; each accepted position also goes to
/// the track history (<see cref="Tracks.PositionHistory"/>).
/// </summary>
public sealed class WorkerGrain(
    [PersistentState("worker", StorageNames.Workers)] IPersistentState<WorkerState> state,
    JurisdictionDirectory directory,
    Tracks.PositionHistory history,
    IOptions<WorkerOptions> options,
    TimeProvider clock) : Grain, IWorkerGrain
{
    /// <summary>Positions are live data: the last one is kept durably at most this often.</summary>
    private static readonly TimeSpan PersistEvery = TimeSpan.FromMinutes(1);

    private static readonly Counter<long> Positions = ProductMeter.Meter.CreateCounter<long>("cc.positions", "{position}",
        "Positions reported, by verdict: accepted, unmoved (time refreshed only), older or tooFast (dropped)");

    /// <summary>The notes a person keeps (the newest).</summary>
    private const int NotesKept = 10;

    private readonly WorkerOptions _options = options.Value;
    private DateTimeOffset _persistedAt;
    private bool _unsaved;
    private DateTimeOffset _sentAt;

    private WorkerState State => state.State;

    private DutyStatus Status => DutyRules.Effective(State.Chosen, State.Cases.Count);

    public async Task<PositionVerdict> ReportPosition(double latitude, double longitude, DateTimeOffset at)
    {
        var worker = Worker();
        var verdict = PositionFilter.Judge(State.LastPosition, latitude, longitude, at, _options.MaxSpeedKmh);
        Positions.Add(1, new KeyValuePair<string, object?>("verdict", Json.Word(verdict)));
        if (verdict is PositionVerdict.Older or PositionVerdict.TooFast)
            return verdict;

        var noted = false;
        if (verdict == PositionVerdict.Accepted && directory.Tree?.Find(worker.GridCode) is { } grid)
        {
            var farOutside = Geofence.FarOutside(grid.Geometry, latitude, longitude, _options.GeofenceMarginMeters);
            State.Fence = State.Fence.Next(farOutside, at, _options.GeofenceAfter, out var note);
            if (note is { } kind)
            {
                State.Notes.Add(new GridNote(kind, at));
                if (State.Notes.Count > NotesKept)
                    State.Notes.RemoveAt(0);
                noted = true;
            }
        }
        State.LastPosition = new WorkerPosition(worker.Id, latitude, longitude, at, Status, State.Fence.Noted);
        if (verdict == PositionVerdict.Accepted)
            history.Append(State.LastPosition);
        _unsaved = true;
        if (verdict == PositionVerdict.Accepted || at - _sentAt >= _options.UnmovedResendAfter)
            Publish(worker);

        var now = clock.GetUtcNow();
        if (noted || now - _persistedAt >= PersistEvery)
            await Persist(now);
        return verdict;
    }

    public async Task<string?> SetStatus(DutyStatus status)
    {
        if (DutyRules.RefuseFromPhone(status, State.Cases.Count) is { } refusal)
            return refusal;
        State.Chosen = status;
        await StatusChanged();
        return null;
    }

    public async Task CaseAccepted(Guid incident)
    {
        if (!State.Cases.Add(incident))
            return;
        State.Chosen = DutyRules.OnAccept(State.Chosen);
        await StatusChanged();
    }

    public async Task CaseHandled(Guid incident)
    {
        if (State.Cases.Remove(incident))
            await StatusChanged();
    }

    public Task<WorkerView?> Get()
    {
        if (directory.Worker(this.GetPrimaryKeyString()) is not { } worker)
            return Task.FromResult<WorkerView?>(null);
        var status = Status;
        var lost = DutyRules.LostContact(status, State.LastPosition?.At, clock.GetUtcNow(), _options.LostContactAfter);
        return Task.FromResult<WorkerView?>(new WorkerView(worker, State.LastPosition, status, lost, State.Fence.Noted,
            [.. State.Notes], State.Cases.Count));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved)
            await state.WriteStateAsync(cancellationToken);
    }

    private WorkerRecord Worker() => directory.Worker(this.GetPrimaryKeyString())
        ?? throw new InvalidOperationException($"Unknown worker {this.GetPrimaryKeyString()}.");

    /// <summary>Status changes are rare and the person's own: stored at once, and walls see the last position again.</summary>
    private async Task StatusChanged()
    {
        var worker = Worker();
        if (State.LastPosition is { } last)
        {
            State.LastPosition = last with { Status = Status };
            Publish(worker);
        }
        await Persist(clock.GetUtcNow());
    }

    private void Publish(WorkerRecord worker)
    {
        _sentAt = State.LastPosition!.At;
        foreach (var code in directory.ScopesOf(worker.GridCode))
            _ = GrainFactory.GetGrain<IFeedGrain>(code).UpdatePosition(State.LastPosition);
    }

    private async Task Persist(DateTimeOffset now)
    {
        _persistedAt = now;
        _unsaved = false;
        await state.WriteStateAsync();
    }
}
