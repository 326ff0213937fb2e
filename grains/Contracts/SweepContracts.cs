namespace CommandCenter;

/// <summary>
/// A sweep of the cluster (one grain, key 0) that looks for work come due. An Orleans reminder brings it back after
/// restarts; every silo wakes it when it starts.
/// </summary>
public interface ISweepGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Makes sure the sweep runs (activates it, registers its reminder) and starts a sweep now; returns without waiting
    /// for it (after an outage there may be much to do, and a silo's start waits for this call).
    /// </summary>
    Task Wake();
}
