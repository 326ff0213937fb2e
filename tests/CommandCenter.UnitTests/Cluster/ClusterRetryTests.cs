using Orleans.Runtime;
using Xunit;

namespace CommandCenter.UnitTests.Cluster;

public sealed class ClusterRetryTests
{
    [Fact]
    public void Only_calls_the_cluster_could_not_deliver_are_transient()
    {
        Assert.True(ClusterRetry.IsTransient(Rejection("Unable to connect to S127.0.0.1:11195")));
        Assert.True(ClusterRetry.IsTransient(new SiloUnavailableException()));
        Assert.False(ClusterRetry.IsTransient(new TimeoutException()));
        Assert.False(ClusterRetry.IsTransient(new InvalidOperationException()));
        Assert.False(ClusterRetry.IsTransient(new Npgsql.NpgsqlException("PostgreSQL does not answer")));
    }

    [Fact]
    public void Pauses_double_from_100_ms_up_to_a_second()
    {
        Assert.Equal([100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(0, 6).Select(a => ClusterRetry.Delay(a).TotalMilliseconds).ToArray());
        Assert.Equal(TimeSpan.FromSeconds(1), ClusterRetry.Delay(1000));
    }

    [Fact]
    public async Task A_rejected_call_is_tried_again_until_it_goes_through()
    {
        var clock = new ManualClock();
        var calls = 0;
        var result = await ClusterRetry.Run(() => ++calls < 4 ? throw Rejection("gone") : Task.FromResult(calls),
            clock, TimeSpan.FromSeconds(8));
        Assert.Equal(4, result);
        Assert.Equal(TimeSpan.FromMilliseconds(100 + 200 + 400), clock.Slept);
    }

    [Fact]
    public async Task Retries_stop_at_the_budget_and_the_last_rejection_is_thrown()
    {
        var clock = new ManualClock();
        var calls = 0;
        await Assert.ThrowsAsync<OrleansMessageRejectionException>(() =>
            ClusterRetry.Run<int>(() => throw Rejection($"gone {++calls}"), clock, TimeSpan.FromSeconds(2)));
        // 100 + 200 + 400 + 800 ms = 1.5 s; a fifth pause of 1 s would end past the 2 s budget.
        Assert.Equal(5, calls);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.Slept);
    }

    [Fact]
    public async Task Any_other_failure_is_thrown_at_once()
    {
        var clock = new ManualClock();
        var calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(() => ClusterRetry.Run<int>(() => { calls++; throw new TimeoutException(); }, clock));
        Assert.Equal(1, calls);
        Assert.Equal(TimeSpan.Zero, clock.Slept);
    }

    /// <summary>The exception Orleans throws for a call it could not deliver (its constructors are Orleans' own).</summary>
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException),
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, [message], null)!;

    /// <summary>A clock whose timers fire at once, moving the time by their period: the pauses are counted, not slept.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public TimeSpan Slept => TimeSpan.FromTicks(_ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _ticks += dueTime.Ticks;
            callback(state);
            return new Fired();
        }

        private sealed class Fired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
