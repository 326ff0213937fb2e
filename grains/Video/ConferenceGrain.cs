namespace CommandCenter.Video;

/// <summary>The feeds of one media-server room (<see cref="IConferenceGrain"/>), in memory: Janus' own state of the room is not durable either.</summary>
public sealed class ConferenceGrain : Grain, IConferenceGrain
{
    private readonly Dictionary<string, ConferenceFeed> _feeds = new(StringComparer.Ordinal);

    public Task<bool> Joined(string feed, string participant, string display)
    {
        var first = !_feeds.Values.Any(f => f.Participant == participant && f.Feed != feed);
        _feeds.TryAdd(feed, new ConferenceFeed(feed, participant, display, null));
        return Task.FromResult(first);
    }

    public Task Published(string feed, string? audioMid)
    {
        if (_feeds.TryGetValue(feed, out var joined))
            _feeds[feed] = joined with { AudioMid = audioMid };
        return Task.CompletedTask;
    }

    public Task<bool> Left(string feed)
    {
        if (!_feeds.Remove(feed, out var gone))
            return Task.FromResult(false);
        return Task.FromResult(!_feeds.Values.Any(f => f.Participant == gone.Participant));
    }

    public Task<IReadOnlyList<ConferenceFeed>> Feeds() => Task.FromResult<IReadOnlyList<ConferenceFeed>>(_feeds.Values.ToList());
}
