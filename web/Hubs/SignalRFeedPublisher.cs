using CommandCenter.Feeds;
using CommandCenter.Web.Hosting;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace CommandCenter.Web.Hubs;

/// <summary>
/// Pushes feed traffic to the jurisdiction's SignalR group (and a command session's log to the session's); the Redis backplane carries it to every web node. While
/// the backplane's connection is down (or a send through it fails), it writes to this node's connections of the group
/// itself (<see cref="LocalFeedGroups"/>; SignalR writes a message for a connection of this node directly, without
/// Redis): the walls on this node keep receiving, those on other nodes miss those entries and fill the gap from the
/// feed's replay once they see the next entry after Redis is back (their sequence rules).
/// </summary>
public sealed class SignalRFeedPublisher(IHubContext<WallHub, IWallClient> hub, BackplaneConnection backplane, LocalFeedGroups local)
    : IFeedPublisher
{
    public Task PublishEntries(IReadOnlyList<FeedEntry> entries) => Send(entries[0].Jurisdiction, c => c.Entries(entries));

    public Task PublishPositions(PositionBatch batch) => Send(batch.Jurisdiction, c => c.Positions(batch));

    public Task PublishCameraStatus(CameraStatusChange change) => Send(change.Jurisdiction, c => c.CameraStatus(change));

    public Task PublishPatrolsMissed(CommandCenter.Patrols.PatrolsMissed missed) => Send(missed.Jurisdiction, c => c.PatrolsMissed(missed));

    public Task PublishAlertsEscalated(CommandCenter.Alerts.AlertsEscalated escalated) =>
        Send(escalated.Jurisdiction, c => c.AlertsEscalated(escalated));

    public Task PublishAlertNudge(CommandCenter.Alerts.AlertNudge nudge) => Send(nudge.Jurisdiction, c => c.AlertNudge(nudge));

    public Task PublishSessionEntries(IReadOnlyList<CommandCenter.Command.SessionLogEntry> entries) =>
        SendToGroup(WallHub.SessionGroup(entries[0].Session), c => c.SessionEntries(entries));

    public Task PublishSessionView(CommandCenter.Command.LedView view) => SendToGroup(WallHub.SessionGroup(view.Session), c => c.SessionView(view));

    public Task PublishInstruction(CommandCenter.Command.InstructionNotice notice) => Send(notice.Recipient, c => c.InstructionIssued(notice));

    public Task PublishEscalation(CommandCenter.Command.InstructionEscalation escalation) =>
        Send(escalation.Superior, c => c.InstructionEscalated(escalation));

    public Task PublishZeroReportDue(CommandCenter.ZeroReports.ZeroReportDue due) => Send(due.Jurisdiction, c => c.ZeroReportDue(due));

    public Task PublishZeroReportsMissing(CommandCenter.ZeroReports.ZeroReportsMissing missing) =>
        Send(missing.Jurisdiction, c => c.ZeroReportsMissing(missing));

    public Task PublishRollCall(CommandCenter.RollCalls.RollCallNotice notice) => Send(notice.Station, c => c.RollCall(notice));

    private Task Send(string jurisdiction, Func<IWallClient, Task> send) => SendToGroup(WallHub.Group(jurisdiction), send);

    private async Task SendToGroup(string group, Func<IWallClient, Task> send)
    {
        if (backplane.IsConnected)
        {
            try
            {
                await send(hub.Clients.Group(group));
                return;
            }
            catch (RedisException)
            {
                // Redis went away under this send: this node's walls get it directly below.
            }
        }
        await Task.WhenAll(local.Members(group).Select(connection => send(hub.Clients.Client(connection))));
    }
}
