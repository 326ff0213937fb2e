using System.Diagnostics;
using System.Text.Json;
using CommandCenter.Bench;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Faults;

/// <summary>
/// A wall as the fault tests see it: follows one feed over the hub with the wall's sequence rules (an entry applies
/// when it is the next number; a later one waits; one already applied is a duplicate and ignored) and, when its
/// connection drops, connects again, to its own node first and else to the next, and subscribes after the last
/// number it applied, so the hub replays what it missed; a gap still open after <see cref="GapTimeout"/> (as
/// wall-feed.js: 3 s) subscribes again on the same connection. Gapless means it reaches the feed's head having applied
/// every number once.
/// </summary>
public sealed class WallFollower : IAsyncDisposable
{
    private readonly IReadOnlyList<Uri> _nodes;
    private readonly int _home;
    private readonly string _feed;
    private readonly string _token;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _ahead = [];
    private HubConnection? _connection;
    private long _applied;
    private readonly long _start;
    private volatile bool _disposed;
    private Timer? _gapTimer;
    private readonly List<(long At, long Applied)> _progress = [];

    /// <summary>How long a gap may stay open before the follower asks the hub again (wall-feed.js' GAP_TIMEOUT_MS).</summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(3);

    private WallFollower(IReadOnlyList<Uri> nodes, int home, string feed, long after, string token, CancellationToken stopping)
    {
        _nodes = nodes;
        _home = home;
        _feed = feed;
        _applied = after;
        _start = after;
        _token = token;
        _stopping = stopping;
    }

    /// <summary>The node it connected to first (its index in the nodes).</summary>
    public int Home => _home;
    public long Applied { get { lock (_gate) return _applied; } }
    public int Duplicates { get; private set; }
    public int Reconnects { get; private set; }
    /// <summary>Subscriptions again on the same connection for a gap that stayed open.</summary>
    public int GapRefills { get; private set; }
    /// <summary>Entries past a missing number when the follower last looked (waiting for the replay).</summary>
    public int Waiting { get { lock (_gate) return _ahead.Count; } }
    /// <summary>Unix ms of the first drop, and of the subscription after it.</summary>
    public long? DroppedAt { get; private set; }
    public long? BackAt { get; private set; }
    /// <summary>The node it is connected to now, or null.</summary>
    public int? ConnectedTo { get; private set; }
    /// <summary>How often the hub said it was too far behind to replay, and how many numbers the resyncs skipped.</summary>
    public int Resyncs { get; private set; }
    public long Skipped { get; private set; }

    /// <summary>Connects to node <paramref name="home"/> and follows <paramref name="feed"/> after <paramref name="after"/>.</summary>
    public static async Task<WallFollower> Start(IReadOnlyList<Uri> nodes, int home, string feed, long after, string token, CancellationToken stopping)
    {
        var follower = new WallFollower(nodes, home, feed, after, token, stopping);
        if (!await follower.Connect(home))
            throw new InvalidOperationException($"no wall connection to {nodes[home]}");
        return follower;
    }

    /// <summary>The last number it had applied at <paramref name="unixMs"/> (the number it started after, before anything arrived).</summary>
    public long AppliedAt(long unixMs)
    {
        lock (_gate)
        {
            var last = _progress.FindLastIndex(p => p.At <= unixMs);
            return last >= 0 ? _progress[last].Applied : _start;
        }
    }

    /// <summary>Waits until it has applied <paramref name="head"/>; false when <paramref name="within"/> passes first.</summary>
    public async Task<bool> ReachHead(long head, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (Applied < head)
        {
            if (waited.Elapsed > within || _stopping.IsCancellationRequested)
                return false;
            await Task.Delay(50, CancellationToken.None);
        }
        return true;
    }

    private async Task<bool> Connect(int node)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_nodes[node], ProductTarget.HubPath.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(_token);
            })
            .Build();
        connection.On<JsonElement>("entries", OnEntries);
        connection.On<JsonElement>("positions", _ => { });
        connection.On<JsonElement>("cameraStatus", _ => { });
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await connection.StartAsync(timeout.Token);
            await Subscribe(connection, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException
            or IOException or System.Net.WebSockets.WebSocketException or Microsoft.AspNetCore.SignalR.HubException)
        {
            await connection.DisposeAsync();
            return false;
        }
        connection.Closed += _ => Dropped();
        _connection = connection;
        ConnectedTo = node;
        return true;
    }

    private async Task Dropped()
    {
        ConnectedTo = null;
        if (_disposed)
            return;
        DroppedAt ??= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var attempt = 0; !_stopping.IsCancellationRequested && !_disposed; attempt++)
        {
            if (await Connect((_home + attempt) % _nodes.Count))
            {
                Reconnects++;
                BackAt ??= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                return;
            }
            await Task.Delay(250, CancellationToken.None);
        }
    }

    /// <summary>
    /// Subscribes after the last number applied. Told to resync (too far behind for a replay), it does what the wall
    /// does after reloading its snapshot: it goes on from the feed's head and subscribes again from there.
    /// </summary>
    private async Task Subscribe(HubConnection connection, CancellationToken cancellationToken)
    {
        var answer = await connection.InvokeAsync<JsonElement>("Subscribe", _feed, Applied, cancellationToken);
        if (!answer.TryGetProperty("resync", out var resync) || !resync.GetBoolean())
            return;
        var head = answer.GetProperty("head").GetInt64();
        lock (_gate)
        {
            Resyncs++;
            if (head > _applied)
            {
                Skipped += head - _applied;
                _applied = head;
            }
            _ahead.RemoveWhere(n => n <= _applied);
        }
        await connection.InvokeAsync<JsonElement>("Subscribe", _feed, Applied, cancellationToken);
    }

    private void OnEntries(JsonElement entries)
    {
        if (entries.ValueKind != JsonValueKind.Array)
            return;
        lock (_gate)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (!entry.TryGetProperty("jurisdiction", out var feed) || feed.GetString() != _feed
                    || !entry.TryGetProperty("sequence", out var number))
                    continue;
                var sequence = number.GetInt64();
                if (sequence <= _applied || !_ahead.Add(sequence))
                {
                    Duplicates++;
                    continue;
                }
                while (_ahead.Count > 0 && _ahead.Min == _applied + 1)
                {
                    _applied++;
                    _ahead.Remove(_applied);
                }
            }
            _progress.Add((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _applied));
            if (_ahead.Count == 0)
            {
                _gapTimer?.Dispose();
                _gapTimer = null;
            }
            else
            {
                _gapTimer ??= new Timer(_ => _ = RefillGap(), null, GapTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private async Task RefillGap()
    {
        lock (_gate)
        {
            _gapTimer?.Dispose();
            _gapTimer = null;
            if (_ahead.Count == 0 || _disposed)
                return;
        }
        if (_connection is not { State: HubConnectionState.Connected } connection)
            return; // the reconnect subscribes again
        try
        {
            GapRefills++;
            await Subscribe(connection, _stopping);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException
            or Microsoft.AspNetCore.SignalR.HubException)
        {
            // The connection is going: its Closed handler connects again and subscribes.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        lock (_gate)
            _gapTimer?.Dispose();
        if (_connection is not { } connection)
            return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await connection.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Closing is best effort: the process ends right after.
        }
        await connection.DisposeAsync();
    }
}
