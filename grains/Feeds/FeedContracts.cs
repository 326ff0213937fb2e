using CommandCenter.Incidents;

namespace CommandCenter.Feeds;

public static class FeedKinds
{
    public const string IncidentReported = "incident.reported";
}

/// <summary>A change to append to a jurisdiction's feed. <see cref="EventId"/> makes appends idempotent.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedAppend(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] IncidentSummary Incident);

/// <summary>One entry of a jurisdiction's feed: the unit a wall receives, numbered without gaps per jurisdiction.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedEntry(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Kind,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] IncidentSummary Incident);

/// <summary>Entries after a sequence number. <see cref="Resync"/>: the reader is too far behind and must reload the snapshot.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedPage(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] long Head,
    [property: Id(2)] bool Resync,
    [property: Id(3)] IReadOnlyList<FeedEntry> Entries);

/// <summary>Live counters of a feed. Open: reported and not yet closed (closing comes with the closed loop, #5).</summary>
[GenerateSerializer, Immutable]
public sealed record FeedCounters(
    [property: Id(0)] int ReportedToday,
    [property: Id(1)] int Open);

/// <summary>What a wall loads before it follows the feed live: consistent with <see cref="Head"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedSnapshot(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] long Head,
    [property: Id(2)] FeedCounters Counters,
    [property: Id(3)] IReadOnlyList<FeedEntry> Recent,
    [property: Id(4)] IReadOnlyList<WorkerPosition> Positions);

[GenerateSerializer, Immutable]
public sealed record WorkerPosition(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] double Latitude,
    [property: Id(2)] double Longitude,
    [property: Id(3)] DateTimeOffset At);

/// <summary>A batch of positions pushed to walls; newest position per worker only.</summary>
public sealed record PositionBatch(string Jurisdiction, IReadOnlyList<WorkerPosition> Positions);

/// <summary>The ordered, durable stream of changes for one jurisdiction (keyed by its code).</summary>
public interface IFeedGrain : IGrainWithStringKey
{
    /// <summary>Appends durably (idempotent by event id) and pushes to subscribers; returns the entry's sequence.</summary>
    /// <remarks>Interleaves: appends that arrive while a write is in flight join the next batch.</remarks>
    [AlwaysInterleave]
    Task<long> Append(FeedAppend append);

    Task<FeedPage> Read(long after, int max);

    Task<FeedSnapshot> Snapshot();

    /// <summary>Positions are not feed entries: they are coalesced and pushed a few times per second.</summary>
    [OneWay]
    Task UpdatePosition(WorkerPosition position);
}

/// <summary>Pushes feed traffic to connected walls (SignalR in the web host).</summary>
public interface IFeedPublisher
{
    Task PublishEntry(FeedEntry entry);

    Task PublishPositions(PositionBatch batch);
}
