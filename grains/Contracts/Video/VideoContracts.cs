namespace CommandCenter.Video;

/// <summary>A publisher in a room of the media server: its feed id, who it is (a station's code, or u: and a username), and its audio stream's mid once it published.</summary>
[GenerateSerializer, Immutable]
public sealed record ConferenceFeed([property: Id(0)] string Feed, [property: Id(1)] string Participant, [property: Id(2)] string Display,
    [property: Id(3)] string? AudioMid);

/// <summary>
/// Who is in one room of the media server now (keyed by the room's name), as Janus' events tell it: the feeds that
/// joined and have not left. Live state only, like the room itself (Janus keeps no room across its restarts).
/// </summary>
public interface IConferenceGrain : IGrainWithStringKey
{
    /// <summary>A feed joined; true when it is its participant's first feed in the room now.</summary>
    Task<bool> Joined(string feed, string participant, string display);

    /// <summary>A feed published its streams (the audio stream's mid, what muting it takes).</summary>
    Task Published(string feed, string? audioMid);

    /// <summary>A feed left; true when its participant has no feed left in the room.</summary>
    Task<bool> Left(string feed);

    /// <summary>The feeds in the room now.</summary>
    Task<IReadOnlyList<ConferenceFeed>> Feeds();
}
