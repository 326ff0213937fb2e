using CommandCenter.Access;

namespace CommandCenter.Command;

/// <summary>The response level of an emergency (突发事件分级): Ⅰ 特别重大 to Ⅳ 一般.</summary>
public enum CommandLevel
{
    /// <summary>Ⅰ级 特别重大.</summary>
    ParticularlyMajor,

    /// <summary>Ⅱ级 重大.</summary>
    Major,

    /// <summary>Ⅲ级 较大.</summary>
    Large,

    /// <summary>Ⅳ级 一般.</summary>
    General,
}

/// <summary>
/// A command session (应急指挥) for an incident or an area: who opened it, the stations taking part, and how far its log
/// has come (<see cref="Head"/>, the last number). Closed with a summary.
/// </summary>
/// <param name="Path">The area and its ancestors, the area first.</param>
/// <param name="Participants">The codes of the stations (township and village) taking part.</param>
/// <param name="Incidents">The incidents the session is about: shared with every participant, as are <paramref name="Cameras"/>.</param>
/// <param name="Leader">Who leads the shared view (领屏) now, if anyone.</param>
/// <param name="Floor">The station that has the floor (发言) in the session's video conference, if any.</param>
[GenerateSerializer, Immutable]
public sealed record CommandSession(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Area,
    [property: Id(3)] IReadOnlyList<string> Path,
    [property: Id(4)] CommandLevel Level,
    [property: Id(5)] IReadOnlyList<Guid> Incidents,
    [property: Id(6)] IReadOnlyList<string> Participants,
    [property: Id(7)] string OpenedBy,
    [property: Id(8)] string OpenedByName,
    [property: Id(9)] DateTimeOffset OpenedAt,
    [property: Id(10)] DateTimeOffset? ClosedAt,
    [property: Id(11)] string? ClosedBy,
    [property: Id(12)] string? Summary,
    [property: Id(13)] long Head,
    [property: Id(14)] IReadOnlyList<string> Cameras,
    [property: Id(15)] string? Leader = null,
    [property: Id(16)] string? LeaderName = null,
    [property: Id(17)] string? Floor = null)
{
    public bool IsOpen => ClosedAt is null;
}

/// <summary>What happens in a session, before the session's log has numbered it.</summary>
/// <param name="Data">The entry's own fields as a JSON object.</param>
/// <param name="Change">What the entry changes besides the log (an instruction issued, signed, reported), in its commit.</param>
[GenerateSerializer, Immutable]
public sealed record SessionEvent(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Data,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] AuditedBy By,
    [property: Id(4)] string ByName,
    [property: Id(5)] string AuditAction,
    [property: Id(6)] string AuditTarget,
    [property: Id(7)] string? AuditDetail,
    [property: Id(8)] CommandChange? Change);

/// <summary>One entry of a session's log, numbered 1, 2, … without a gap.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionLogEntry(
    [property: Id(0)] Guid Session,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Kind,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Actor,
    [property: Id(5)] string ActorName,
    [property: Id(6)] string Data);

/// <summary>The kinds of entry a session's log holds.</summary>
public static class SessionLogKinds
{
    public const string Opened = "session.opened";
    public const string Closed = "session.closed";
    public const string InstructionIssued = "instruction.issued";
    public const string InstructionSigned = "instruction.signed";
    public const string InstructionReported = "instruction.reported";
    public const string InstructionReminded = "instruction.reminded";
    public const string InstructionEscalated = "instruction.escalated";
    public const string Led = "view.led";
    public const string Released = "view.released";
    public const string MarkupDrawn = "markup.drawn";
    public const string MarkupRemoved = "markup.removed";
    public const string Shared = "session.shared";
    public const string ConferenceJoined = "conference.joined";
    public const string ConferenceLeft = "conference.left";
    public const string ConferenceFloor = "conference.floor";
    public const string ConferenceMuted = "conference.muted";
    public const string ConferenceFailed = "conference.failed";
}

/// <summary>
/// One command session (keyed by its id): the single writer of its log. Each entry is one commit with its audit row;
/// a closed session takes no more entries.
/// </summary>
public interface ICommandSessionGrain : IGrainWithGuidKey
{
    /// <summary>The session as stored; null when none has this id.</summary>
    Task<CommandSession?> Get();

    /// <summary>
    /// Opens the session with its first entry (<paramref name="entry"/>, <see cref="SessionLogKinds.Opened"/>); the
    /// session's fields come from <paramref name="session"/> (its head is ignored). Opened already (a retry): the stored session.
    /// </summary>
    Task<CommandSession> Open(CommandSession session, SessionEvent entry);

    /// <summary>Appends an entry, with its change and its audit row in the same commit; null when the session is closed or unknown.</summary>
    Task<SessionLogEntry?> Append(SessionEvent entry);

    /// <summary>
    /// Closes the session with its summary (the last entry, <see cref="SessionLogKinds.Closed"/>, whose data is
    /// <paramref name="entry"/>'s); closed already: the stored session. Null when unknown.
    /// </summary>
    Task<CommandSession?> Close(string summary, SessionEvent entry);

    /// <summary>Entries after <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<SessionLogEntry>> Read(long after, int max);

    /// <summary>
    /// The leader's map view, numbered on from the last, pushed to the session's followers (<c>sessionView</c>) and kept
    /// as the session's view; null when <paramref name="leader"/> does not lead it (or it is closed).
    /// </summary>
    Task<LedView?> ShareView(string leader, MapView view, DateTimeOffset at);

    /// <summary>The view the session's leader last shared while leading, if any.</summary>
    Task<LedView?> View();
}

/// <summary>
/// What a leading wall shows (领屏): its centre and zoom, the layers it has on, the incident or camera it has
/// selected and the area it highlights. Ids and codes only: a follower shows of them what it may see itself or the
/// session shares.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MapView(
    [property: Id(0)] double Lat,
    [property: Id(1)] double Lng,
    [property: Id(2)] double Zoom,
    [property: Id(3)] IReadOnlyList<string> Layers,
    [property: Id(4)] string? SelectedIncident = null,
    [property: Id(5)] string? SelectedCamera = null,
    [property: Id(6)] string? Highlight = null);

/// <summary>A map view as the leader shared it (hub message <c>sessionView</c>): numbered 1, 2, … per session, a later one replaces an earlier.</summary>
[GenerateSerializer, Immutable]
public sealed record LedView(
    [property: Id(0)] Guid Session,
    [property: Id(1)] long Version,
    [property: Id(2)] MapView View,
    [property: Id(3)] string Leader,
    [property: Id(4)] string LeaderName,
    [property: Id(5)] DateTimeOffset At);

/// <summary>The kinds of map markup (标绘) a leader draws: a line (an evacuation route), a circle (a cordon) or a polygon (an area).</summary>
public enum MarkupKind
{
    Line,
    Circle,
    Polygon,
}

/// <summary>A point of markup, latitude and longitude (WGS-84, as the wall's map).</summary>
[GenerateSerializer, Immutable]
public sealed record MarkupPoint([property: Id(0)] double Lat, [property: Id(1)] double Lng);

/// <summary>Map markup drawn in a session: its shape (a circle: one point and <see cref="Radius"/> metres) and label.</summary>
[GenerateSerializer, Immutable]
public sealed record Markup(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid Session,
    [property: Id(2)] MarkupKind Kind,
    [property: Id(3)] IReadOnlyList<MarkupPoint> Points,
    [property: Id(4)] double? Radius,
    [property: Id(5)] string Label,
    [property: Id(6)] string DrawnBy,
    [property: Id(7)] string DrawnByName,
    [property: Id(8)] DateTimeOffset DrawnAt);

/// <summary>A station (township or village) an instruction goes to, with its path (the station first).</summary>
[GenerateSerializer, Immutable]
public sealed record Station([property: Id(0)] string Code, [property: Id(1)] IReadOnlyList<string> Path);

/// <summary>An instruction (指令) as issued: to whom, and by when each recipient is to sign (签收) and report back (回执).</summary>
[GenerateSerializer, Immutable]
public sealed record Instruction(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? Session,
    [property: Id(2)] string Text,
    [property: Id(3)] string IssuedBy,
    [property: Id(4)] string IssuedByName,
    [property: Id(5)] DateTimeOffset IssuedAt,
    [property: Id(6)] DateTimeOffset SignDue,
    [property: Id(7)] DateTimeOffset ReportDue,
    [property: Id(8)] IReadOnlyList<Station> Recipients);

/// <summary>What a command change writes besides a session's log entry and its audit row.</summary>
[GenerateSerializer, Immutable]
public abstract record CommandChange;

/// <summary>An instruction and its recipients.</summary>
[GenerateSerializer, Immutable]
public sealed record IssueInstruction([property: Id(0)] Instruction Instruction) : CommandChange;

/// <summary>A recipient signs (签收); signed already: nothing changes.</summary>
[GenerateSerializer, Immutable]
public sealed record SignInstruction(
    [property: Id(0)] Guid Instruction,
    [property: Id(1)] string Recipient,
    [property: Id(2)] string By,
    [property: Id(3)] string ByName,
    [property: Id(4)] DateTimeOffset At) : CommandChange;

/// <summary>A recipient is reminded (催办) of what it has not done yet: when first reminded of it, unless it was already.</summary>
[GenerateSerializer, Immutable]
public sealed record RemindInstruction(
    [property: Id(0)] Guid Instruction,
    [property: Id(1)] string Recipient,
    [property: Id(2)] InstructionReminder Reminder,
    [property: Id(3)] DateTimeOffset At) : CommandChange;

/// <summary>A recipient reports back (回执), which also signs for it if it had not; <see cref="Done"/>: the task is done.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportInstruction(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid Instruction,
    [property: Id(2)] string Recipient,
    [property: Id(3)] string By,
    [property: Id(4)] string ByName,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string Text,
    [property: Id(7)] double? Latitude,
    [property: Id(8)] double? Longitude,
    [property: Id(9)] bool Done) : CommandChange;

/// <summary>Who leads the session's view from now on (<see cref="Leader"/> null: nobody, the lead is released).</summary>
[GenerateSerializer, Immutable]
public sealed record TakeLead([property: Id(0)] Guid Session, [property: Id(1)] string? Leader, [property: Id(2)] string? LeaderName) : CommandChange;

/// <summary>Which station has the floor (发言) in the session's video conference from now on (<see cref="Station"/> null: nobody).</summary>
[GenerateSerializer, Immutable]
public sealed record GiveFloor([property: Id(0)] Guid Session, [property: Id(1)] string? Station) : CommandChange;

/// <summary>Markup drawn on the session's map.</summary>
[GenerateSerializer, Immutable]
public sealed record DrawMarkup([property: Id(0)] Markup Markup) : CommandChange;

/// <summary>Markup taken off the session's map.</summary>
[GenerateSerializer, Immutable]
public sealed record RemoveMarkup([property: Id(0)] Guid Session, [property: Id(1)] Guid Markup, [property: Id(2)] DateTimeOffset At) : CommandChange;

/// <summary>Incidents and cameras the session shares with its participants from now on, besides those it shared already.</summary>
[GenerateSerializer, Immutable]
public sealed record ShareWithSession(
    [property: Id(0)] Guid Session,
    [property: Id(1)] IReadOnlyList<Guid> Incidents,
    [property: Id(2)] IReadOnlyList<string> Cameras) : CommandChange;

/// <summary>A recipient that missed a deadline is escalated to its superior level (上级督办), once.</summary>
[GenerateSerializer, Immutable]
public sealed record EscalateInstruction(
    [property: Id(0)] Guid Instruction,
    [property: Id(1)] string Recipient,
    [property: Id(2)] string Superior,
    [property: Id(3)] DateTimeOffset At) : CommandChange;

/// <summary>
/// A station that has not done what an instruction asked (<see cref="Missing"/>: to sign or to report back), sent up
/// to its superior level (hub message <c>instructionEscalated</c> on the superior's feed group): its walls list it
/// until the station reports back.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record InstructionEscalation(
    [property: Id(0)] Guid Instruction,
    [property: Id(1)] Guid? Session,
    [property: Id(2)] string Recipient,
    [property: Id(3)] string RecipientName,
    [property: Id(4)] string Superior,
    [property: Id(5)] string Text,
    [property: Id(6)] string IssuedByName,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] InstructionReminder Missing);

/// <summary>What a recipient is reminded of once its time has passed unmet.</summary>
public enum InstructionReminder
{
    Sign,
    Report,
}

/// <summary>
/// An instruction to one station (hub message <c>instructionIssued</c> on the station's feed group): new, or a
/// reminder of a deadline it passed unmet (<see cref="Reminder"/>); the banner its walls show until it is signed and
/// reported back. Those who may follow that station's feed may read its instructions.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record InstructionNotice(
    [property: Id(0)] Guid Instruction,
    [property: Id(1)] Guid? Session,
    [property: Id(2)] string Recipient,
    [property: Id(3)] string Text,
    [property: Id(4)] string IssuedByName,
    [property: Id(5)] DateTimeOffset IssuedAt,
    [property: Id(6)] DateTimeOffset SignDue,
    [property: Id(7)] DateTimeOffset ReportDue,
    [property: Id(8)] InstructionReminder? Reminder = null);

/// <summary>
/// The instruction sweep (one for the cluster, key 0): reminds each station once of each deadline it passed unmet.
/// An Orleans reminder brings it back after restarts; silos wake it when they start.
/// </summary>
public interface IInstructionSweepGrain : ISweepGrain;
