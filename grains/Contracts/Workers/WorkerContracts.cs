using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Workers;

/// <summary>A grid chief, grid worker or patrol officer (网格长 / 网格员 / 巡逻民警) on the move.</summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Records a position from the worker's phone; walls of the worker's grid and its ancestors see it.</summary>
    Task ReportPosition(double latitude, double longitude);

    Task<WorkerView?> Get();
}

[GenerateSerializer, Immutable]
public sealed record WorkerView(
    [property: Id(0)] WorkerRecord Worker,
    [property: Id(1)] WorkerPosition? Position);

