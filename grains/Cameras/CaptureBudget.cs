namespace CommandCenter.Cameras;

/// <summary>
/// How many ffmpeg captures of one kind may run at once on a host: snapshot requests wait for a slot within their
/// time limit (<see cref="Take"/>); evidence never waits (<see cref="TryTake"/>): with every slot taken, a camera gives
/// no frame ("busy") for that incident.
/// </summary>
public sealed class CaptureBudget
{
    private readonly SemaphoreSlim _free;

    /// <param name="slots">Captures at once; 0 allows none.</param>
    public CaptureBudget(int slots)
    {
        Slots = Math.Max(0, slots);
        _free = new SemaphoreSlim(Slots, Math.Max(1, Slots));
    }

    public int Slots { get; }

    public int InUse => Slots - _free.CurrentCount;

    /// <summary>Takes a slot if one is free now; false when all are taken (busy).</summary>
    public bool TryTake() => _free.Wait(0);

    /// <summary>Waits for a slot.</summary>
    /// <exception cref="OperationCanceledException">no slot came before <paramref name="cancellationToken"/> was cancelled.</exception>
    public Task Take(CancellationToken cancellationToken) => _free.WaitAsync(cancellationToken);

    public void Release() => _free.Release();
}
