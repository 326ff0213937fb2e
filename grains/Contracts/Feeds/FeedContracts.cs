using CommandCenter.Cameras;
using CommandCenter.Incidents;

namespace CommandCenter.Feeds;

public static class FeedKinds
{
    /// <summary>A new incident.</summary>
    public const string IncidentReported = "incident.reported";
    /// <summary>An incident moved on in the loop (or gained a link, a photo, feedback).</summary>
    public const string IncidentUpdated = "incident.updated";
    /// <summary>A deadline was missed and a supervision (督办) opened, or went one level further up.</summary>
    public const string IncidentSupervised = "incident.supervised";
    /// <summary>An incident moved here, or within this area, by a re-import of the tree (its grid split, merged or moved).</summary>
    public const string IncidentMoved = "incident.moved";
    /// <summary>An incident left this area by a re-import of the tree: a wall takes it off.</summary>
    public const string IncidentLeft = "incident.left";
}

/// <summary>How one change moves a jurisdiction's counts of open, overdue, supervised and closed incidents.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedCounts(
    [property: Id(0)] int Open,
    [property: Id(1)] int Overdue,
    [property: Id(2)] int Supervised,
    [property: Id(3)] int Closed)
{
    public static readonly FeedCounts Zero = new(0, 0, 0, 0);

    /// <summary>What one incident contributes to the counts (nothing before it exists).</summary>
    public static FeedCounts Of(IncidentDetails? incident) => incident is null ? Zero : new(
        IncidentWorkflow.IsOpen(incident.Status) ? 1 : 0,
        incident.Overdue ? 1 : 0,
        incident.Supervision is null ? 0 : 1,
        incident.ClosedAt is null ? 0 : 1);

    /// <summary>The change from one state of an incident to the next.</summary>
    public static FeedCounts Between(IncidentDetails? before, IncidentDetails after)
    {
        var (b, a) = (Of(before), Of(after));
        return new(a.Open - b.Open, a.Overdue - b.Overdue, a.Supervised - b.Supervised, a.Closed - b.Closed);
    }

    public FeedCounts Plus(FeedCounts other) =>
        new(Open + other.Open, Overdue + other.Overdue, Supervised + other.Supervised, Closed + other.Closed);

    public FeedCounts Negated() => new(-Open, -Overdue, -Supervised, -Closed);
}

/// <summary>
/// A change to append to the feeds of an incident's grid and every ancestor, in the commit of the change itself.
/// <see cref="EventId"/> names it (one entry per feed); <see cref="Counts"/> is how it moves each feed's counters.
/// A move (<see cref="Move"/>) also goes to the feeds the incident left.
/// </summary>
public sealed record FeedAppend(string EventId, string Kind, DateTimeOffset At, IncidentSummary Incident, FeedCounts Counts, FeedMove? Move = null)
{
    /// <summary>
    /// The feeds this change goes to, each with its kind and how it moves that feed's counters: every feed of
    /// <paramref name="path"/> (the incident's path after it); for a move, a feed new to the incident also gains what
    /// the incident counts, and every feed it left loses that, with <see cref="FeedKinds.IncidentLeft"/>.
    /// </summary>
    public IEnumerable<(string Feed, string Kind, FeedCounts Counts)> Feeds(IReadOnlyList<string> path)
    {
        if (Move is not { } move)
            return path.Select(code => (code, Kind, Counts));
        return path.Select(code => (code, Kind, move.From.Contains(code) ? Counts : Counts.Plus(move.Carried)))
            .Concat(move.From.Where(code => !path.Contains(code)).Select(code => (code, FeedKinds.IncidentLeft, move.Carried.Negated())));
    }
}

/// <summary>A move of an incident between areas: the path it left, and what it counts on a feed (<see cref="FeedCounts.Of"/>).</summary>
public sealed record FeedMove(IReadOnlyList<string> From, FeedCounts Carried);

/// <summary>Running totals of a feed at one entry: incidents reported, and now open, overdue, supervised and closed.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedTotals(
    [property: Id(0)] long Reported,
    [property: Id(1)] long Open,
    [property: Id(2)] long Overdue,
    [property: Id(3)] long Supervised,
    [property: Id(4)] long Closed)
{
    public static readonly FeedTotals Zero = new(0, 0, 0, 0, 0);
}

/// <summary>One entry of a jurisdiction's feed: the unit a wall receives, numbered without gaps per jurisdiction.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedEntry(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Kind,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] IncidentSummary Incident);

/// <summary>An entry as its commit wrote it, with the feed's totals at it: what the committing silo tells the feed.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedWritten(
    [property: Id(0)] FeedEntry Entry,
    [property: Id(1)] FeedTotals Totals);

/// <summary>Entries after a sequence number. <see cref="Resync"/>: the reader is too far behind and must reload the snapshot.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedPage(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] long Head,
    [property: Id(2)] bool Resync,
    [property: Id(3)] IReadOnlyList<FeedEntry> Entries);

/// <summary>
/// Live counters of a feed: reported and closed (办结) today (China Standard Time; closed net of reopenings), and now
/// open (未办结), overdue (超期) and under supervision (督办).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FeedCounters(
    [property: Id(0)] int ReportedToday,
    [property: Id(1)] int Open,
    [property: Id(2)] int Overdue = 0,
    [property: Id(3)] int Supervised = 0,
    [property: Id(4)] int ClosedToday = 0);

/// <summary>
/// What a wall loads before it follows the feed live: consistent with <see cref="Head"/>. <see cref="Now"/> is the
/// server's time, so that a wall judges lost contact (a position older than <see cref="LostContactAfterSeconds"/>)
/// by the server's clock and not the screen's.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FeedSnapshot(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] long Head,
    [property: Id(2)] FeedCounters Counters,
    [property: Id(3)] IReadOnlyList<FeedEntry> Recent,
    [property: Id(4)] IReadOnlyList<WorkerPosition> Positions,
    [property: Id(5)] DateTimeOffset Now,
    [property: Id(6)] int LostContactAfterSeconds);

/// <summary>
/// A person's last accepted position, taken at <see cref="At"/>, with their duty status and whether they are out of
/// their grid: what walls draw (a status change sends the last position again).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkerPosition(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] double Latitude,
    [property: Id(2)] double Longitude,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] Workers.DutyStatus Status = Workers.DutyStatus.OffDuty,
    [property: Id(5)] bool OutsideGrid = false);

/// <summary>A batch of positions pushed to walls; newest position per worker only.</summary>
public sealed record PositionBatch(string Jurisdiction, IReadOnlyList<WorkerPosition> Positions);

/// <summary>
/// A camera of <see cref="Jurisdiction"/> (its grid or an ancestor) changed status. Pushed to walls like positions, not
/// a feed entry: a wall loads the counts from the API and follows the changes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CameraStatusChange(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] string CameraId,
    [property: Id(2)] CameraStatus Status,
    [property: Id(3)] CameraStatus Previous,
    [property: Id(4)] DateTimeOffset At);

/// <summary>
/// The ordered, durable stream of changes for one jurisdiction (keyed by its code). Its entries are written by the
/// commits of the changes themselves (see IncidentCommits); the grain keeps the recent ones and the counters, and
/// pushes each entry to the walls once, in sequence order.
/// </summary>
public interface IFeedGrain : IGrainWithStringKey
{
    /// <summary>
    /// Entries just committed, in sequence order: pushed to the walls in order. Entries it already has are ignored; entries
    /// missing before them (told by another silo, or lost with one) are read from PostgreSQL first. A call not answered
    /// within 2 s (instead of Orleans' 30 s: a message lost while a restarted cluster settles, a feed on a node just
    /// killed) counts as failed, so that the commits waiting for it do not wait longer: the entries are durable, and the
    /// feed reads them back when a later one shows the gap.
    /// </summary>
    [ResponseTimeout("00:00:02")]
    Task Written(IReadOnlyList<FeedWritten> entries);

    Task<FeedPage> Read(long after, int max);

    Task<FeedSnapshot> Snapshot();

    /// <summary>Positions are not feed entries: they are coalesced and pushed a few times per second.</summary>
    [OneWay]
    Task UpdatePosition(WorkerPosition position);

    /// <summary>
    /// The last positions of the available people (on duty or on patrol, as their last position says) within this
    /// jurisdiction, nearest to the point first: at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<WorkerPosition>> NearestAvailable(double latitude, double longitude, int max);

    /// <summary>Pushes a camera's status change to this jurisdiction's walls at once.</summary>
    [OneWay]
    Task PublishCameraStatus(CameraStatusChange change);

    /// <summary>Pushes the grids within this jurisdiction whose patrol of a window was just recorded as missed.</summary>
    [OneWay]
    Task PublishPatrolsMissed(Patrols.PatrolsMissed missed);

    /// <summary>Pushes the alerts of this jurisdiction's grids just sent up unacknowledged.</summary>
    [OneWay]
    Task PublishAlertsEscalated(Alerts.AlertsEscalated escalated);

    /// <summary>Tells the phones following this grid that one of its people has a new alert of an incident elsewhere.</summary>
    [OneWay]
    Task PublishAlertNudge(Alerts.AlertNudge nudge);

    /// <summary>Tells this station's walls of an instruction to it (a reminder of the instruction sweep, which may run on a headless silo).</summary>
    [OneWay]
    Task PublishInstruction(Command.InstructionNotice notice);

    /// <summary>Tells this unit's walls that its zero-report of the day is missing at the deadline (the zero-report sweep's reminder).</summary>
    [OneWay]
    Task PublishZeroReportDue(ZeroReports.ZeroReportDue due);

    /// <summary>Tells this area's walls of the units within it just reminded that their zero-report of the day is missing.</summary>
    [OneWay]
    Task PublishZeroReportsMissing(ZeroReports.ZeroReportsMissing missing);

    /// <summary>Tells this station's walls and consoles that a roll call of it began ringing or is over for it.</summary>
    [OneWay]
    Task PublishRollCall(RollCalls.RollCallNotice notice);
}

/// <summary>Pushes feed traffic to connected walls (SignalR in the web host).</summary>
public interface IFeedPublisher
{
    /// <summary>Consecutive entries of one jurisdiction's feed, in sequence order, as one message.</summary>
    Task PublishEntries(IReadOnlyList<FeedEntry> entries);

    Task PublishPositions(PositionBatch batch);

    Task PublishCameraStatus(CameraStatusChange change);

    Task PublishPatrolsMissed(Patrols.PatrolsMissed missed);

    Task PublishAlertsEscalated(Alerts.AlertsEscalated escalated);

    Task PublishAlertNudge(Alerts.AlertNudge nudge);

    /// <summary>Consecutive entries of a command session's log, in sequence order, to those following the session.</summary>
    Task PublishSessionEntries(IReadOnlyList<Command.SessionLogEntry> entries);

    /// <summary>The view a session's leader shared, to those following the session.</summary>
    Task PublishSessionView(Command.LedView view);

    /// <summary>A new instruction to a station, on the station's own feed group (its walls and consoles show the banner).</summary>
    Task PublishInstruction(Command.InstructionNotice notice);

    /// <summary>A station sent up to its superior level for an instruction it has not done, on the superior's feed group.</summary>
    Task PublishEscalation(Command.InstructionEscalation escalation);

    /// <summary>A unit's zero-report of the day is missing, on the unit's own feed group (its walls and phone show the banner).</summary>
    Task PublishZeroReportDue(ZeroReports.ZeroReportDue due);

    /// <summary>Units within an area missing their zero-report of the day, on the area's feed group.</summary>
    Task PublishZeroReportsMissing(ZeroReports.ZeroReportsMissing missing);

    /// <summary>A roll call of a station began ringing or is over for it, on the station's own feed group.</summary>
    Task PublishRollCall(RollCalls.RollCallNotice notice);
}
