using CommandCenter.Feeds;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Tracks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommandCenter.Tests.Tracks;

/// <summary>
/// The history's writer: never waits on the database, retries a failed write, makes a missing day's partition, and
/// counts every position it could not keep on <c>cc.positions.history</c>. The counter is the product meter's, shared
/// by every writer in the process, so these tests run alone, after the collections that send positions.
/// </summary>
[Collection(PositionHistoryCollection.Name)]
public sealed class PositionHistoryTests
{
    [Fact]
    public async Task With_the_database_gone_every_position_is_counted_as_dropped_and_none_is_waited_for()
    {
        await using var db = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={TestEnvironment.FreeTcpPort()};Username=nobody;Timeout=1");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new TrackOptions { QueueCapacity = 4 });
        using var counts = new OutcomeCounts("cc.positions.history");
        var history = new PositionHistory(new TrackStore(db, options, NullLogger<TrackStore>.Instance), options, clock,
            NullLogger<PositionHistory>.Instance);

        var appending = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
            history.Append(new WorkerPosition("w-" + i, 36.5, 104.2, clock.GetUtcNow()));
        appending.Stop();
        Assert.True(appending.ElapsedMilliseconds < 200, $"50 appends took {appending.ElapsedMilliseconds} ms");
        // The writer took one batch (at most the 4 then queued) and is stuck retrying it; 4 more wait in the queue.
        Assert.InRange(counts["dropped"], 50 - 4 - 4, 50 - 4);

        // Stopping: the writer gets its grace on the clock, then gives up and counts what it still held.
        var stopping = history.DisposeAsync().AsTask();
        while (!stopping.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(stopping, Task.Delay(10));
        }
        await stopping;

        Assert.Equal(0, counts["written"]);
        Assert.Equal(50, counts["dropped"]);
    }

    [Fact]
    public async Task A_position_on_a_day_without_its_partition_makes_the_day_and_is_written()
    {
        await TestEnvironment.EnsureSchema();
        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        var options = Options.Create(new TrackOptions());
        var store = new TrackStore(db, options, NullLogger<TrackStore>.Instance);
        // A day far ahead of any sweep's days ahead, unique to this run.
        var day = PositionPartitions.DayOf(DateTimeOffset.UtcNow.AddDays(200 + Random.Shared.Next(1000)));
        var at = PositionPartitions.RangeOf(day).From.AddHours(10);
        Assert.DoesNotContain(PositionPartitions.NameOf(day), await store.Partitions());
        using var counts = new OutcomeCounts("cc.positions.history");
        var workerId = "history-" + Guid.NewGuid().ToString("N")[..8];

        await using (var history = new PositionHistory(store, options, TimeProvider.System, NullLogger<PositionHistory>.Instance))
            history.Append(new WorkerPosition(workerId, 36.5, 104.2, at));

        Assert.Contains(PositionPartitions.NameOf(day), await store.Partitions());
        Assert.Equal([new TrackPoint(36.5, 104.2, at)], await store.Read(workerId, at.AddHours(-1), at.AddHours(1), limit: 10));
        Assert.Equal(1, counts["written"]);
        Assert.Equal(0, counts["dropped"]);
        await using var drop = db.CreateCommand($"DROP TABLE {PositionPartitions.NameOf(day)}");
        await drop.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PositionHistoryCollection
{
    public const string Name = "position history";
}
