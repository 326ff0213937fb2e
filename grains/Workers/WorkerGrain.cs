using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Workers;

[GenerateSerializer]
public sealed class WorkerState
{
    [Id(0)] public WorkerPosition? LastPosition { get; set; }
}

public sealed class WorkerGrain(
    [PersistentState("worker", StorageNames.Workers)] IPersistentState<WorkerState> state,
    JurisdictionDirectory directory,
    Tracks.PositionHistory history,
    TimeProvider clock) : Grain, IWorkerGrain
{
    /// <summary>Positions are live data: the last one is kept durably at most this often.</summary>
    private static readonly TimeSpan PersistEvery = TimeSpan.FromMinutes(1);

    private DateTimeOffset _persistedAt;

    public async Task ReportPosition(double latitude, double longitude)
    {
        var worker = directory.Worker(this.GetPrimaryKeyString())
            ?? throw new InvalidOperationException($"Unknown worker {this.GetPrimaryKeyString()}.");
        var previous = state.State.LastPosition;
        var now = clock.GetUtcNow();
        if (previous is not null && previous.Latitude == latitude && previous.Longitude == longitude)
            return;

        var position = new WorkerPosition(worker.Id, latitude, longitude, now);
        state.State.LastPosition = position;
        history.Append(position);
        foreach (var code in directory.ScopesOf(worker.GridCode))
            _ = GrainFactory.GetGrain<IFeedGrain>(code).UpdatePosition(position);

        if (now - _persistedAt >= PersistEvery)
        {
            _persistedAt = now;
            await state.WriteStateAsync();
        }
    }

    public Task<WorkerView?> Get() =>
        Task.FromResult(directory.Worker(this.GetPrimaryKeyString()) is { } worker
            ? new WorkerView(worker, state.State.LastPosition)
            : null);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.LastPosition is { } last && last.At > _persistedAt)
            await state.WriteStateAsync(cancellationToken);
    }
}
