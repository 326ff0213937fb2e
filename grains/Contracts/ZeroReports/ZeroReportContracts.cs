using CommandCenter.Geography;

namespace CommandCenter.ZeroReports;

/// <summary>
/// A unit's report of the day is missing at its deadline (hub message <c>zeroReportDue</c> on the unit's own feed
/// group, once per unit and day): its walls and phone show 今日零报告未报 until it reports.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ZeroReportDue(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] string Name,
    [property: Id(2)] DateOnly Day,
    [property: Id(3)] DateTimeOffset Deadline);

/// <summary>A unit missing its report of the day, with its township (for a village).</summary>
[GenerateSerializer, Immutable]
public sealed record MissingUnit(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] JurisdictionLevel Level,
    [property: Id(3)] string? ParentName);

/// <summary>
/// The units within <see cref="Jurisdiction"/> just reminded that their report of the day is missing (hub message
/// <c>zeroReportsMissing</c>, to the walls of each unit's parent and every area above it; not a feed entry: a wall
/// loads the day's list from <c>GET /api/zero-reports</c> and follows these).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ZeroReportsMissing(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] DateOnly Day,
    [property: Id(2)] IReadOnlyList<MissingUnit> Units);

/// <summary>
/// The zero-report sweep (one for the cluster, key 0): after a day's deadline it reminds each unit that has not
/// reported, once, and tells the walls above it. An Orleans reminder brings it back after restarts; silos wake it
/// when they start.
/// </summary>
public interface IZeroReportSweepGrain : ISweepGrain;
