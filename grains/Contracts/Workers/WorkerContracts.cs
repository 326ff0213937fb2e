using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Workers;

/// <summary>What a person on the move is doing (在岗状态).</summary>
public enum DutyStatus
{
    /// <summary>下班.</summary>
    OffDuty,

    /// <summary>在岗, free to take a case.</summary>
    OnDuty,

    /// <summary>处置中: on a case they accepted, until they handle it.</summary>
    Busy,

    /// <summary>巡查中.</summary>
    OnPatrol,

    /// <summary>紧急求助.</summary>
    Sos,
}

/// <summary>A geofence note: the person left their grid (far and long enough) or came back into it.</summary>
public enum GridNoteKind
{
    LeftGrid,
    BackInGrid,
}

[GenerateSerializer, Immutable]
public sealed record GridNote(
    [property: Id(0)] GridNoteKind Kind,
    [property: Id(1)] DateTimeOffset At);

/// <summary>A grid chief, grid worker or patrol officer (网格长 / 网格员 / 巡逻民警) on the move.</summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a position from the worker's phone, taken at <paramref name="at"/>; walls of the worker's grid and its
    /// ancestors see it unless it is a duplicate, older than the last one or an impossible jump.
    /// </summary>
    Task<PositionVerdict> ReportPosition(double latitude, double longitude, DateTimeOffset at);

    /// <summary>The person sets their own status from the phone; null when done, else why not.</summary>
    Task<string?> SetStatus(DutyStatus status);

    /// <summary>The person accepted a case (接单): busy until every case they accepted is handled.</summary>
    Task CaseAccepted(Guid incident);

    /// <summary>The person handled a case (处置).</summary>
    Task CaseHandled(Guid incident);

    Task<WorkerView?> Get();
}

/// <summary>What became of a reported position.</summary>
public enum PositionVerdict
{
    /// <summary>Taken and shown.</summary>
    Accepted,

    /// <summary>The same point as the last one: it only says the person is still there.</summary>
    Unmoved,

    /// <summary>Not newer than the last accepted position.</summary>
    Older,

    /// <summary>Faster than anyone moves from the last accepted position.</summary>
    TooFast,
}

[GenerateSerializer, Immutable]
public sealed record WorkerView(
    [property: Id(0)] WorkerRecord Worker,
    [property: Id(1)] WorkerPosition? Position,
    [property: Id(2)] DutyStatus Status = DutyStatus.OffDuty,
    [property: Id(3)] bool LostContact = false,
    [property: Id(4)] bool OutsideGrid = false,
    [property: Id(5)] IReadOnlyList<GridNote>? Notes = null,
    [property: Id(6)] int OpenCases = 0);
