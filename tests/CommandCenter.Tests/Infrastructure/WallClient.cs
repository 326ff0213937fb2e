using System.Collections.Concurrent;
using System.Threading.Channels;
using CommandCenter.Feeds;
using CommandCenter.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>The .NET SignalR client of the wall hub, recording the entries of <c>entries</c> messages per jurisdiction in arrival order.</summary>
public sealed class WallClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Channel<FeedEntry>> _entries = new(StringComparer.Ordinal);

    public WallClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<FeedEntry[]>("entries", entries =>
        {
            foreach (var entry in entries)
                Of(entry.Jurisdiction).Writer.TryWrite(entry);
        });
    }

    public HubConnection Connection { get; }

    public Task<SubscribeResult> Subscribe(string code, long after) =>
        Connection.InvokeAsync<SubscribeResult>("Subscribe", code, after);

    /// <summary>The next <paramref name="count"/> entries received for <paramref name="code"/>, waiting at most 10 s.</summary>
    public async Task<List<FeedEntry>> Take(string code, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var taken = new List<FeedEntry>();
        while (taken.Count < count)
            taken.Add(await Of(code).Reader.ReadAsync(timeout.Token));
        return taken;
    }

    /// <summary>Entries that arrived so far and were not taken, for every jurisdiction.</summary>
    public List<FeedEntry> Drain()
    {
        var drained = new List<FeedEntry>();
        foreach (var channel in _entries.Values)
        {
            while (channel.Reader.TryRead(out var entry))
                drained.Add(entry);
        }
        return drained;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private Channel<FeedEntry> Of(string code) => _entries.GetOrAdd(code, _ => Channel.CreateUnbounded<FeedEntry>());
}
