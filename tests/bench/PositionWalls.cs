using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Bench;

/// <summary>
/// Walls following people's positions over SignalR: each counts its <c>positions</c> messages per second (the most
/// in any one second is its rate); the first also measures each position's way from the sender to the wall (its
/// <c>at</c>, stamped by the bench when it sent it, to the message's arrival: one machine, one clock). Only the first
/// parses the messages, so that twenty walls cost the bench little.
/// </summary>
public sealed class PositionWalls : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly ConcurrentDictionary<(int Wall, long Second), int> _perSecond = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private long _messages;

    public int Count => _connections.Count;

    /// <summary>The positions' latencies (ms) the first wall measured.</summary>
    public List<double> Latencies => [.. _latencies];

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The most <c>positions</c> messages any wall received in one second.</summary>
    public int MaxPerSecond => _perSecond.IsEmpty ? 0 : _perSecond.Values.Max();

    /// <summary>Connects <paramref name="walls"/> clients to <paramref name="hubUrl"/>, each joined by <paramref name="subscribe"/>.</summary>
    public static async Task<PositionWalls> Start(Uri hubUrl, int walls, Func<HubConnection, Task> subscribe, CancellationToken cancellationToken,
        string? accessToken = null)
    {
        var result = new PositionWalls();
        try
        {
            for (var i = 0; i < walls; i++)
            {
                var connection = BenchHub.Build(hubUrl, accessToken);
                var wall = i;
                if (wall == 0)
                    connection.On<JsonElement>("positions", batch => result.Measure(batch));
                else
                    connection.On<JsonElement>("positions", _ => result.Counted(wall));
                connection.On<JsonElement>("entries", _ => { });
                result._connections.Add(connection);
                await connection.StartAsync(cancellationToken);
                await subscribe(connection);
            }
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
        return result;
    }

    /// <summary>Forgets what was measured so far (after a warm-up).</summary>
    public void Reset()
    {
        _perSecond.Clear();
        _latencies.Clear();
        Interlocked.Exchange(ref _messages, 0);
    }

    private void Counted(int wall)
    {
        Interlocked.Increment(ref _messages);
        _perSecond.AddOrUpdate((wall, Stopwatch.GetTimestamp() / Stopwatch.Frequency), 1, (_, n) => n + 1);
    }

    private void Measure(JsonElement batch)
    {
        var now = DateTimeOffset.UtcNow;
        Counted(0);
        if (!batch.TryGetProperty("positions", out var positions) || positions.ValueKind != JsonValueKind.Array)
            return;
        foreach (var p in positions.EnumerateArray())
        {
            if (p.TryGetProperty("at", out var at) && at.TryGetDateTimeOffset(out var sent))
                _latencies.Add((now - sent).TotalMilliseconds);
        }
    }

    public async ValueTask DisposeAsync() => await BenchHub.StopAll(_connections);
}
