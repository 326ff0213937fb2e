namespace CommandCenter.Web.Hubs;

/// <summary>
/// The hub connections of this web node in each feed group, kept beside SignalR's own groups (which live in the Redis
/// backplane): while Redis is down, <see cref="SignalRFeedPublisher"/> delivers to these connections itself, so the
/// walls on the node that runs a feed keep receiving it.
/// </summary>
public sealed class LocalFeedGroups
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);

    public void Add(string group, string connectionId)
    {
        lock (_gate)
        {
            if (!_members.TryGetValue(group, out var members))
                _members[group] = members = new HashSet<string>(StringComparer.Ordinal);
            members.Add(connectionId);
        }
    }

    public void Remove(string group, string connectionId)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(group, out var members) && members.Remove(connectionId) && members.Count == 0)
                _members.Remove(group);
        }
    }

    /// <summary>The connections in <paramref name="group"/> now (a copy).</summary>
    public IReadOnlyList<string> Members(string group)
    {
        lock (_gate)
            return _members.TryGetValue(group, out var members) ? [.. members] : [];
    }
}
