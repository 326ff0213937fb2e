using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommandCenter.UnitTests.Cluster;

public sealed class StoreCircuitTests
{
    private readonly SteppedClock _clock = new();
    private readonly StoreCircuit _circuit;

    public StoreCircuitTests() => _circuit = new StoreCircuit(_clock, NullLogger<StoreCircuit>.Instance);

    [Fact]
    public void Connection_failures_and_shutdowns_are_outages_errors_of_the_statement_are_not()
    {
        Assert.True(StoreCircuit.IsOutage(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException(111))));
        Assert.True(StoreCircuit.IsOutage(Postgres(PostgresErrorCodes.AdminShutdown)));
        Assert.True(StoreCircuit.IsOutage(Postgres(PostgresErrorCodes.CannotConnectNow)));
        Assert.True(StoreCircuit.IsOutage(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(StoreCircuit.IsOutage(Postgres(PostgresErrorCodes.UniqueViolation)));
        Assert.False(StoreCircuit.IsOutage(Postgres(PostgresErrorCodes.SyntaxError)));
        Assert.False(StoreCircuit.IsOutage(new InvalidOperationException()));
        Assert.False(StoreCircuit.IsOutage(new TimeoutException()));
    }

    [Fact]
    public async Task While_PostgreSQL_answers_every_call_runs()
    {
        var calls = 0;
        for (var i = 0; i < 3; i++)
            Assert.Equal("stored", await _circuit.Run(() => { calls++; return Task.FromResult("stored"); }, "refused"));
        Assert.Equal(3, calls);
        Assert.False(_circuit.IsOpen);
    }

    [Fact]
    public async Task After_an_outage_calls_are_refused_at_once_but_one_probe_per_interval_and_the_first_success_closes_it()
    {
        var calls = 0;
        Assert.Equal("refused", await _circuit.Run(() => { calls++; return Down(); }, "refused"));
        Assert.True(_circuit.IsOpen);

        Assert.Equal("refused", await _circuit.Run(() => { calls++; return Task.FromResult("stored"); }, "refused"));
        _clock.Advance(StoreCircuit.ProbeEvery - TimeSpan.FromMilliseconds(1));
        Assert.Equal("refused", await _circuit.Run(() => { calls++; return Task.FromResult("stored"); }, "refused"));
        Assert.Equal(1, calls);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("refused", await _circuit.Run(() => { calls++; return Down(); }, "refused"));
        Assert.Equal(2, calls);
        Assert.True(_circuit.IsOpen);

        _clock.Advance(StoreCircuit.ProbeEvery);
        var probe = new TaskCompletionSource<string>();
        var probing = _circuit.Run(() => { calls++; return probe.Task; }, "refused");
        Assert.Equal("refused", await _circuit.Run(() => { calls++; return Task.FromResult("stored"); }, "refused"));
        Assert.Equal(3, calls);
        probe.SetResult("stored");
        Assert.Equal("stored", await probing);
        Assert.False(_circuit.IsOpen);

        Assert.Equal("stored", await _circuit.Run(() => { calls++; return Task.FromResult("stored"); }, "refused"));
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task Any_other_failure_is_thrown_and_leaves_the_circuit_as_it_was()
    {
        await Assert.ThrowsAsync<PostgresException>(() => _circuit.Run<string>(() => throw Postgres(PostgresErrorCodes.UniqueViolation), "refused"));
        Assert.False(_circuit.IsOpen);

        await _circuit.Run(Down, "refused");
        _clock.Advance(StoreCircuit.ProbeEvery);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _circuit.Run<string>(() => throw new InvalidOperationException(), "refused"));
        Assert.True(_circuit.IsOpen);
        // The failed probe has ended: the next interval lets another through.
        _clock.Advance(StoreCircuit.ProbeEvery);
        Assert.Equal("stored", await _circuit.Run(() => Task.FromResult("stored"), "refused"));
        Assert.False(_circuit.IsOpen);
    }

    private static Task<string> Down() => Task.FromException<string>(new NpgsqlException("Failed to connect", new SocketException(111)));

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    /// <summary>A clock that moves only when told.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
