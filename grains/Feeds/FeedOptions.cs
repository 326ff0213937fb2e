namespace CommandCenter.Feeds;

public sealed class FeedOptions
{
    /// <summary>A reader more than this many entries behind is told to resync instead of replaying.</summary>
    public int MaxReplay { get; set; } = 2000;

    /// <summary>Entries kept in memory per feed for fast replay and the wall's recent list.</summary>
    public int RecentInMemory { get; set; } = 256;

    /// <summary>How many recent incident entries a wall snapshot carries.</summary>
    public int SnapshotRecent { get; set; } = 50;

    /// <summary>How often coalesced worker positions are pushed.</summary>
    public TimeSpan PositionFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
