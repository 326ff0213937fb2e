using CommandCenter.Access;

namespace CommandCenter.RollCalls;

/// <summary>How a called station answered a video roll call (视频点名).</summary>
public enum RollCallOutcome
{
    /// <summary>Not answered yet, the roll call still open (待应答).</summary>
    Pending,

    /// <summary>Its camera's first frame reached the media server within the time to answer (按时应答).</summary>
    OnTime,

    /// <summary>Its first frame came after the time to answer, before the roll call closed (迟到应答).</summary>
    Late,

    /// <summary>The call reached its wall or console, and no frame came before the roll call closed (未应答).</summary>
    NotAnswered,

    /// <summary>The call never reached a page of the station before the roll call closed (离线).</summary>
    Offline,
}

/// <summary>
/// A station called by a roll call: when the call reached a page of its (<see cref="DeliveredAt"/>, our clock), when
/// the media server received the first frame of its camera in the roll call's room (<see cref="AnsweredAt"/>, the
/// media server's clock), and its outcome (<see cref="RollCallOutcome.Pending"/> until it answers or the roll call closes).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CalledStation(
    [property: Id(0)] string Code,
    [property: Id(1)] IReadOnlyList<string> Path,
    [property: Id(2)] DateTimeOffset? DeliveredAt,
    [property: Id(3)] DateTimeOffset? AnsweredAt,
    [property: Id(4)] RollCallOutcome Outcome);

/// <summary>
/// A video roll call (视频点名): who started it and when, in a command session or on its own (a routine duty check),
/// the area it was started for, the time each station has to answer, when it closes by itself (<see cref="ClosesAt"/>:
/// late answers count until then) or was ended (<see cref="ClosedAt"/>), and its stations.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RollCall(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? Session,
    [property: Id(2)] string Title,
    [property: Id(3)] string Area,
    [property: Id(4)] TimeSpan AnswerWithin,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset ClosesAt,
    [property: Id(7)] DateTimeOffset? ClosedAt,
    [property: Id(8)] string StartedBy,
    [property: Id(9)] string StartedByName,
    [property: Id(10)] string? EndedByName,
    [property: Id(11)] IReadOnlyList<CalledStation> Stations)
{
    public bool IsOpen => ClosedAt is null;

    /// <summary>The roll call's room in the media server: its own, whether or not it belongs to a session.</summary>
    public string Room => RoomPrefix + Id.ToString("N");

    public const string RoomPrefix = "rollcall-";

    public static Guid? OfRoom(string room) =>
        room.StartsWith(RoomPrefix, StringComparison.Ordinal) && Guid.TryParseExact(room[RoomPrefix.Length..], "N", out var id) ? id : null;
}

/// <summary>
/// A roll call of a station began ringing (<see cref="Open"/>) or is over for it (answered, or the roll call closed):
/// hub message <c>rollCall</c> on the station's own feed group; its walls and consoles load what rings from
/// <c>GET /api/roll-calls/ringing</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RollCallNotice([property: Id(0)] string Station, [property: Id(1)] Guid RollCall, [property: Id(2)] bool Open);

/// <summary>
/// One roll call, loaded from PostgreSQL at activation; every change is one commit (with its audit row where a person
/// made it), then each station concerned hears of it (<see cref="RollCallNotice"/>). The rules are
/// <c>RollCallRules</c>'s; what the media server or a page reports twice changes nothing.
/// </summary>
public interface IRollCallGrain : IGrainWithGuidKey
{
    Task<RollCall?> Get();

    /// <summary>Stores the roll call (started already: answered as it is) and rings its stations.</summary>
    Task<RollCall> Start(RollCall call, Caller by, string? clientAddress);

    /// <summary>The call reached a page of the station (the first time counts).</summary>
    Task<RollCall?> Delivered(string station, DateTimeOffset at);

    /// <summary>The media server received the station's first frame in the room at <paramref name="at"/> (the first counts; none after the close).</summary>
    Task<RollCall?> Answered(string station, DateTimeOffset at);

    /// <summary>
    /// Closes it at <paramref name="at"/>: ended by <paramref name="by"/> (audited), or by the sweep (null) at its
    /// <see cref="RollCall.ClosesAt"/>; every station not answered gets its outcome. Closed already: as it is.
    /// </summary>
    Task<RollCall?> Close(DateTimeOffset at, Caller? by, string? clientAddress);
}

/// <summary>The roll-call sweep (one for the cluster, key 0): closes each roll call at its <see cref="RollCall.ClosesAt"/>, also one whose time passed while no silo ran.</summary>
public interface IRollCallSweepGrain : ISweepGrain;
