using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Bench;

/// <summary>
/// Walls of the command scenario: SignalR connections that each listen for one hub message (<c>sessionView</c> or
/// <c>instructionIssued</c>) and record, per connection and per message the bench sent, the <see cref="Stopwatch"/>
/// time its first copy arrived. The bench tags each message it sends with a text of its own ("bench-ROUND-INDEX", in
/// the view's <c>selectedCamera</c> or the instruction's <c>text</c>); <paramref name="tagOf"/> finds that text in a
/// message. A message whose tag is not of the current <see cref="Round"/> is not counted.
/// </summary>
public sealed class CommandWalls(Func<JsonElement, string?> tagOf) : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private Round? _round;

    public int Count => _connections.Count;

    /// <summary>Set when a connection dropped (the bench does not reconnect: a drop shows as missing messages).</summary>
    public string? ClosedBecause { get; private set; }

    /// <summary>
    /// Connects <paramref name="walls"/> clients over WebSockets to <paramref name="hubUrl"/> (signed in with
    /// <paramref name="accessToken"/> when given), listening for <paramref name="message"/>; <paramref name="join"/>
    /// joins wall k to what it follows.
    /// </summary>
    public static async Task<CommandWalls> Start(Uri hubUrl, int walls, string message, Func<JsonElement, string?> tagOf,
        Func<HubConnection, int, Task> join, CancellationToken cancellationToken, string? accessToken = null)
    {
        var result = new CommandWalls(tagOf);
        try
        {
            for (var k = 0; k < walls; k++)
            {
                var connection = BenchHub.Build(hubUrl, accessToken);
                var wall = k;
                connection.On<JsonElement>(message, m => result.Received(wall, m));
                // What else the product sends these walls (a session's log, a feed's backlog) is not measured.
                connection.On<JsonElement>("sessionEntries", _ => { });
                connection.On<JsonElement>("entries", _ => { });
                connection.Closed += error =>
                {
                    result.ClosedBecause ??= error?.Message ?? "closed";
                    return Task.CompletedTask;
                };
                result._connections.Add(connection);
                await connection.StartAsync(cancellationToken);
                await join(connection, wall);
            }
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
        return result;
    }

    /// <summary>Counts the messages tagged "<paramref name="prefix"/>INDEX" from now on, INDEX from 0 to <paramref name="messages"/> - 1.</summary>
    public Round Begin(string prefix, int messages)
    {
        var round = new Round(prefix, messages, _connections.Count);
        Volatile.Write(ref _round, round);
        return round;
    }

    private void Received(int wall, JsonElement message)
    {
        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _round) is { } round && tagOf(message) is { } tag)
            round.Received(wall, tag, now);
    }

    public async ValueTask DisposeAsync() => await BenchHub.StopAll(_connections);

    /// <summary>
    /// One round of messages: when the bench sent each (<see cref="Sent"/>) and when each wall first received it, so
    /// that every (wall, message) pair gives one latency, or counts as missing.
    /// </summary>
    public sealed class Round
    {
        private readonly string _prefix;
        private readonly long[] _sent;
        private readonly long[][] _received;

        internal Round(string prefix, int messages, int walls)
        {
            _prefix = prefix;
            _sent = new long[messages];
            _received = [.. Enumerable.Range(0, walls).Select(_ => new long[messages])];
        }

        /// <summary>The tag of message <paramref name="index"/>.</summary>
        public string Tag(int index) => _prefix + index.ToString(CultureInfo.InvariantCulture);

        /// <summary>Message <paramref name="index"/> left the bench at <paramref name="timestamp"/> (<see cref="Stopwatch"/>).</summary>
        public void Sent(int index, long timestamp) => Volatile.Write(ref _sent[index], timestamp);

        /// <summary>Whether every wall has received every message sent.</summary>
        public bool Complete()
        {
            for (var i = 0; i < _sent.Length; i++)
            {
                if (Volatile.Read(ref _sent[i]) == 0)
                    continue;
                foreach (var wall in _received)
                {
                    if (Volatile.Read(ref wall[i]) == 0)
                        return false;
                }
            }
            return true;
        }

        /// <summary>The latencies (ms) of every (wall, message) pair received, and how many pairs of messages sent were not.</summary>
        public (List<double> Latencies, int Missing) Result()
        {
            var latencies = new List<double>();
            var missing = 0;
            for (var i = 0; i < _sent.Length; i++)
            {
                var sent = Volatile.Read(ref _sent[i]);
                if (sent == 0)
                    continue;
                foreach (var wall in _received)
                {
                    var at = Volatile.Read(ref wall[i]);
                    if (at == 0)
                        missing++;
                    else
                        latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                }
            }
            return (latencies, missing);
        }

        internal void Received(int wall, string tag, long timestamp)
        {
            var at = tag.IndexOf(_prefix, StringComparison.Ordinal);
            if (at < 0 || !int.TryParse(tag.AsSpan(at + _prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || index >= _sent.Length)
                return;
            Interlocked.CompareExchange(ref _received[wall][index], timestamp, 0);
        }
    }
}
