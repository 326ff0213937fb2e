using CommandCenter.Feeds;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Hubs;

/// <summary>Pushes feed traffic to the jurisdiction's SignalR group; the Redis backplane carries it to every web node.</summary>
public sealed class SignalRFeedPublisher(IHubContext<WallHub, IWallClient> hub) : IFeedPublisher
{
    public Task PublishEntries(IReadOnlyList<FeedEntry> entries) =>
        hub.Clients.Group(WallHub.Group(entries[0].Jurisdiction)).Entries(entries);

    public Task PublishPositions(PositionBatch batch) =>
        hub.Clients.Group(WallHub.Group(batch.Jurisdiction)).Positions(batch);

    public Task PublishCameraStatus(CameraStatusChange change) =>
        hub.Clients.Group(WallHub.Group(change.Jurisdiction)).CameraStatus(change);
}
