using CommandCenter.Feeds;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Hubs;

/// <summary>
/// The messages the wall hub sends, by their names on the wire; web/wwwroot/js/wall-feed.js listens for the same
/// names (HubMessages). Walls, phones, the video wall and the tests' SignalR clients rely on these names.
/// </summary>
public interface IWallClient
{
    /// <summary>
    /// Consecutive entries of one jurisdiction's feed, oldest first: what one commit round wrote to it, or a page of a
    /// replay. Messages of one feed come in sequence order.
    /// </summary>
    [HubMethodName("entries")]
    Task Entries(IReadOnlyList<FeedEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>A coalesced batch of worker positions.</summary>
    [HubMethodName("positions")]
    Task Positions(PositionBatch batch);

    /// <summary>A camera of the jurisdiction went online or offline.</summary>
    [HubMethodName("cameraStatus")]
    Task CameraStatus(CameraStatusChange change);

    /// <summary>Grids of the jurisdiction whose patrol of a window was just recorded as missed (漏巡).</summary>
    [HubMethodName("patrolsMissed")]
    Task PatrolsMissed(CommandCenter.Patrols.PatrolsMissed missed);

    /// <summary>Alerts of the area's grids not acknowledged in time (警务+网格), sent up to the township and the county.</summary>
    [HubMethodName("alertsEscalated")]
    Task AlertsEscalated(CommandCenter.Alerts.AlertsEscalated escalated);

    /// <summary>A person of the grid has a new alert of an incident outside the feeds their phone follows: their phone reads its alerts.</summary>
    [HubMethodName("alertNudge")]
    Task AlertNudge(CommandCenter.Alerts.AlertNudge nudge);

    /// <summary>Consecutive entries of a command session's log the connection follows (<see cref="WallHub.JoinSession"/>), oldest first.</summary>
    [HubMethodName("sessionEntries")]
    Task SessionEntries(IReadOnlyList<CommandCenter.Command.SessionLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The view the leader of a session the connection follows shared (领屏): a later version replaces an earlier one.</summary>
    [HubMethodName("sessionView")]
    Task SessionView(CommandCenter.Command.LedView view);

    /// <summary>A new instruction to the station whose feed this is: a banner until it is signed.</summary>
    [HubMethodName("instructionIssued")]
    Task InstructionIssued(CommandCenter.Command.InstructionNotice notice);

    /// <summary>A station of this area's level below that has not done what an instruction asked, sent up here (上级督办).</summary>
    [HubMethodName("instructionEscalated")]
    Task InstructionEscalated(CommandCenter.Command.InstructionEscalation escalation);

    /// <summary>This feed's unit has not sent its zero-report of the day by the deadline (今日零报告未报): its banner says so until it reports.</summary>
    [HubMethodName("zeroReportDue")]
    Task ZeroReportDue(CommandCenter.ZeroReports.ZeroReportDue due);

    /// <summary>Units within the jurisdiction just reminded that their zero-report of the day is missing: the wall's list of them.</summary>
    [HubMethodName("zeroReportsMissing")]
    Task ZeroReportsMissing(CommandCenter.ZeroReports.ZeroReportsMissing missing);

    /// <summary>A video roll call (视频点名) of this feed's station began ringing, or is over for it: its walls and consoles load what rings.</summary>
    [HubMethodName("rollCall")]
    Task RollCall(CommandCenter.RollCalls.RollCallNotice notice);

    /// <summary>This connection's sign-in is over (signed out elsewhere, ended, the account changed or disabled): it closes next.</summary>
    [HubMethodName("signedOut")]
    Task SignedOut(SignedOutNotice notice);
}
