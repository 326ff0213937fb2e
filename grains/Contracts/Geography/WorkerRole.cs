namespace CommandCenter.Geography;

/// <summary>网格长 / 网格员 / 巡逻民警.</summary>
public enum WorkerRole
{
    GridChief,
    GridWorker,
    PatrolOfficer,
}
