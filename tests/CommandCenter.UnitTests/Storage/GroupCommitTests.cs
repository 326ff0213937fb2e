using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.UnitTests.Storage;

/// <summary>Group commit's rounds: what waits goes together, rounds start in order and no more run at once than allowed.</summary>
public sealed class GroupCommitTests
{
    /// <summary>A commit whose rounds report their batch when they start and end only when the test lets them.</summary>
    private sealed class HeldCommit
    {
        private readonly Channel<(IReadOnlyList<int> Batch, TaskCompletionSource Release)> _started = Channel.CreateUnbounded<(IReadOnlyList<int>, TaskCompletionSource)>();
        private int _running;

        public int MostAtOnce { get; private set; }

        public async Task<IReadOnlyList<string>> Commit(IReadOnlyList<int> batch)
        {
            lock (this)
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _started.Writer.TryWrite((batch, release));
            await release.Task;
            lock (this)
                _running--;
            if (batch.Contains(-1))
                throw new InvalidOperationException("refused");
            return batch.Select(i => $"#{i}").ToList();
        }

        public async Task<(IReadOnlyList<int> Batch, TaskCompletionSource Release)> NextRound()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _started.Reader.ReadAsync(timeout.Token);
        }

        public bool AnotherRoundStarted => _started.Reader.TryPeek(out _);
    }

    [Fact]
    public async Task Two_rounds_run_at_once_and_what_waits_meanwhile_goes_in_the_next_one()
    {
        var held = new HeldCommit();
        await using var commit = new GroupCommit<int, string>(held.Commit, NullLogger.Instance, "numbers", rounds: 2);

        var first = commit.Add(1);
        var a = await held.NextRound();
        var second = commit.Add(2);
        var b = await held.NextRound();
        var third = commit.Add(3);
        var fourth = commit.Add(4);
        Assert.Equal([1], a.Batch);
        Assert.Equal([2], b.Batch);
        Assert.False(held.AnotherRoundStarted);

        b.Release.SetResult();
        Assert.Equal("#2", await second);
        var c = await held.NextRound();
        Assert.Equal([3, 4], c.Batch);
        Assert.False(first.IsCompleted);

        a.Release.SetResult();
        c.Release.SetResult();
        Assert.Equal(["#1", "#3", "#4"], await Task.WhenAll(first, third, fourth));
        Assert.Equal(2, held.MostAtOnce);
    }

    [Fact]
    public async Task A_failed_round_fails_its_items_only_and_disposing_waits_for_the_rounds_still_running()
    {
        var held = new HeldCommit();
        var commit = new GroupCommit<int, string>(held.Commit, NullLogger.Instance, "numbers", rounds: 2);

        var refused = commit.Add(-1);
        var a = await held.NextRound();
        var kept = commit.Add(5);
        var b = await held.NextRound();
        a.Release.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused);

        var disposed = commit.DisposeAsync().AsTask();
        Assert.False(disposed.IsCompleted);
        b.Release.SetResult();
        await disposed;
        Assert.Equal("#5", await kept);
        Assert.Throws<ObjectDisposedException>(() => { _ = commit.Add(6); });
    }
}
