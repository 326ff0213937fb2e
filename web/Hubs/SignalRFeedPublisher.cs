using CommandCenter.Feeds;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Hubs;

/// <summary>Pushes feed traffic to the jurisdiction's SignalR group; the Redis backplane carries it to every web node.</summary>
public sealed class SignalRFeedPublisher(IHubContext<WallHub> hub) : IFeedPublisher
{
    public Task PublishEntry(FeedEntry entry) =>
        hub.Clients.Group(WallHub.Group(entry.Jurisdiction)).SendAsync("feed", entry);

    public Task PublishPositions(PositionBatch batch) =>
        hub.Clients.Group(WallHub.Group(batch.Jurisdiction)).SendAsync("positions", batch);

    public Task PublishCameraStatus(CameraStatusChange change) =>
        hub.Clients.Group(WallHub.Group(change.Jurisdiction)).SendAsync("cameraStatus", change);
}
