using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommandCenter;

/// <summary>
/// A circuit breaker for PostgreSQL on one node's report path. While PostgreSQL answers it is closed and every call
/// runs. A call that fails because PostgreSQL does not answer (<see cref="IsOutage"/>) opens it: from then on a call is
/// refused at once (its caller answers 503 with <c>Retry-After</c>; nothing was tried, so nothing was half-stored),
/// except one probe at a time, at most one per <see cref="ProbeEvery"/>, that runs as usual. The first call that gets
/// through closes it again. Refusing at once keeps every answer fast during an outage: a report that is tried costs a
/// grain activation that fails, three logged stack traces and a connection attempt, and under load those are what made
/// the answers slow.
/// </summary>
public sealed class StoreCircuit(TimeProvider clock, ILogger<StoreCircuit> log)
{
    /// <summary>How often, while open, one call is let through to see whether PostgreSQL answers again.</summary>
    public static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private long? _openedAt;
    private long _lastProbe;
    private bool _probing;
    private long _refused;

    /// <summary>
    /// Whether <paramref name="e"/> says PostgreSQL did not answer: the connection refused, dropped or timed out, or the
    /// server shutting down or starting up (57P01 to 57P03). An error of the statement itself is not an outage.
    /// </summary>
    public static bool IsOutage(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow || p.IsTransient,
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or TimeoutException or IOException,
        _ => false,
    };

    /// <summary>Whether the circuit is open (PostgreSQL did not answer the last call that got through).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
                return _openedAt is not null;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> unless the circuit refuses it: then, or when it fails with an outage, answers
    /// <paramref name="whenDown"/>. Any other failure is thrown as it is.
    /// </summary>
    public async Task<T> Run<T>(Func<Task<T>> call, T whenDown)
    {
        if (!TryEnter(out var probe))
            return whenDown;
        try
        {
            var result = await call();
            Answered(probe);
            return result;
        }
        catch (Exception e) when (IsOutage(e))
        {
            Failed(probe, e);
            return whenDown;
        }
        catch
        {
            // PostgreSQL may well have answered; only a success says so, so a probe that failed otherwise just ends.
            EndProbe(probe);
            throw;
        }
    }

    private bool TryEnter(out bool probe)
    {
        probe = false;
        lock (_gate)
        {
            if (_openedAt is null)
                return true;
            if (_probing || clock.GetElapsedTime(_lastProbe) < ProbeEvery)
            {
                _refused++;
                return false;
            }
            _probing = probe = true;
            _lastProbe = clock.GetTimestamp();
            return true;
        }
    }

    private void Answered(bool probe)
    {
        long? openedAt;
        long refused;
        lock (_gate)
        {
            if (probe)
                _probing = false;
            (openedAt, refused) = (_openedAt, _refused);
            _openedAt = null;
            _refused = 0;
        }
        if (openedAt is { } opened)
            log.LogWarning("PostgreSQL answers again after {Seconds:0.0} s; {Refused} reports were refused meanwhile (503, retry with the same key)",
                clock.GetElapsedTime(opened).TotalSeconds, refused);
    }

    private void Failed(bool probe, Exception e)
    {
        bool opened;
        lock (_gate)
        {
            if (probe)
                _probing = false;
            opened = _openedAt is null;
            if (opened)
            {
                _openedAt = _lastProbe = clock.GetTimestamp();
                _refused = 0;
            }
        }
        if (opened)
            log.LogWarning(e, "PostgreSQL does not answer: reports are refused (503, retry with the same key) until a probe every {Probe} ms gets through",
                ProbeEvery.TotalMilliseconds);
    }

    private void EndProbe(bool probe)
    {
        if (!probe)
            return;
        lock (_gate)
            _probing = false;
    }
}
