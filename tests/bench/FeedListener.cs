using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Bench;

/// <summary>
/// One SignalR client following a feed: records, per incident id, the <see cref="Stopwatch"/> time at which its
/// first feed entry arrived (in an <c>entries</c> message). The handler does as little as possible so it does not delay the next message.
/// </summary>
public sealed class FeedListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, long> _received = new();
    private readonly HubConnection _connection;

    private FeedListener(HubConnection connection)
    {
        _connection = connection;
        _connection.On<JsonElement>("entries", OnEntries);
        _connection.On<JsonElement>("positions", _ => { });
        _connection.Closed += error =>
        {
            ClosedBecause = error?.Message ?? "closed";
            return Task.CompletedTask;
        };
    }

    /// <summary>Set when the connection dropped (the bench does not reconnect: a drop shows as missing entries).</summary>
    public string? ClosedBecause { get; private set; }

    /// <summary>
    /// Connects over WebSockets to <paramref name="hubUrl"/> (signed in with <paramref name="accessToken"/> when given)
    /// and lets <paramref name="subscribe"/> join the feed.
    /// </summary>
    public static async Task<FeedListener> Start(Uri hubUrl, Func<HubConnection, Task> subscribe, CancellationToken cancellationToken,
        string? accessToken = null)
    {
        var connection = BenchHub.Build(hubUrl, accessToken);
        var listener = new FeedListener(connection);
        try
        {
            await connection.StartAsync(cancellationToken);
            await subscribe(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return listener;
    }

    public bool TryGetReceived(Guid id, out long timestamp) => _received.TryGetValue(id, out timestamp);

    private void OnEntries(JsonElement entries)
    {
        var now = Stopwatch.GetTimestamp();
        if (entries.ValueKind != JsonValueKind.Array)
            return;
        foreach (var entry in entries.EnumerateArray())
        {
            if (TryReadIncidentId(entry, out var id))
                _received.TryAdd(id, now);
        }
    }

    /// <summary>The <c>incident.id</c> of a feed entry (camelCase as the product sends it; PascalCase accepted too).</summary>
    public static bool TryReadIncidentId(JsonElement entry, out Guid id)
    {
        id = default;
        if (entry.ValueKind != JsonValueKind.Object)
            return false;
        if (!entry.TryGetProperty("incident", out var incident) && !entry.TryGetProperty("Incident", out incident))
            return false;
        if (incident.ValueKind != JsonValueKind.Object)
            return false;
        if (!incident.TryGetProperty("id", out var value) && !incident.TryGetProperty("Id", out value))
            return false;
        return value.ValueKind == JsonValueKind.String && value.TryGetGuid(out id);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _connection.StopAsync(timeout.Token);
        }
        catch
        {
            // Closing is best effort: the process ends right after.
        }
        await _connection.DisposeAsync();
    }
}
