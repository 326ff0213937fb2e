namespace CommandCenter.Patrols;

/// <summary>How a grid's patrol window (巡查时段) ended: recorded once at the window's end.</summary>
public enum PatrolOutcome
{
    /// <summary>已巡: enough time on patrol in the grid across enough of it, or every checkpoint checked in.</summary>
    Done,

    /// <summary>未巡满: some patrol time in the grid or some check-in, not enough for done.</summary>
    Partial,

    /// <summary>漏巡: no patrol time in the grid and no check-in there.</summary>
    Missed,
}

/// <summary>
/// What a check-in is: at a checkpoint of the grid (巡查打卡), or one of the three visits (三查) of
/// "一巡二报三查四清" — rental housing, key persons, special places.
/// </summary>
public enum CheckInKind
{
    /// <summary>巡查打卡.</summary>
    Checkpoint,

    /// <summary>出租房.</summary>
    RentalHousing,

    /// <summary>重点人员.</summary>
    KeyPerson,

    /// <summary>特殊场所.</summary>
    SpecialPlace,
}

/// <summary>A grid whose patrol was missed, by its name for the wall.</summary>
[GenerateSerializer, Immutable]
public sealed record MissedGrid(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name);

/// <summary>
/// The grids within <see cref="Jurisdiction"/> whose patrol of one window was recorded as missed (漏巡): pushed once
/// to the walls of the grid and every ancestor when the window is recorded, not a feed entry (a wall loads the list
/// from <c>GET /api/patrols</c> and follows these).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PatrolsMissed(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] DateOnly Day,
    [property: Id(2)] string Window,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset End,
    [property: Id(5)] IReadOnlyList<MissedGrid> Grids);

/// <summary>
/// The patrol sweep (one for the cluster, key 0): at the end of every patrol window it records each grid's patrol as
/// done, partial or missed, once. An Orleans reminder brings it back after restarts; silos wake it when they start.
/// </summary>
public interface IPatrolSweepGrain : ISweepGrain;
