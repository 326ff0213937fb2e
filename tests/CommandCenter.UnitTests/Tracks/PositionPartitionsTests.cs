using CommandCenter.Tracks;

namespace CommandCenter.Tests.Tracks;

/// <summary>Day partitions of the track history: China Standard Time days, made ahead, dropped whole past retention.</summary>
public sealed class PositionPartitionsTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    [Fact]
    public void A_day_runs_from_midnight_to_midnight_China_Standard_Time()
    {
        var (from, to) = PositionPartitions.RangeOf(new DateOnly(2026, 12, 3));

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 16, 0, 0, TimeSpan.Zero), to);
        // 23:59 UTC on 2 December is already 3 December in Beijing; 15:59 UTC on 3 December still is.
        Assert.Equal(new DateOnly(2026, 12, 3), PositionPartitions.DayOf(new DateTimeOffset(2026, 12, 2, 23, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 12, 3), PositionPartitions.DayOf(new DateTimeOffset(2026, 12, 3, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 12, 4), PositionPartitions.DayOf(new DateTimeOffset(2026, 12, 3, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Names_stand_for_their_day_and_other_tables_are_not_days()
    {
        Assert.Equal("cc_position_20261203", PositionPartitions.NameOf(new DateOnly(2026, 12, 3)));
        Assert.Equal(new DateOnly(2026, 12, 3), PositionPartitions.DayOf("cc_position_20261203"));
        Assert.Null(PositionPartitions.DayOf("cc_position"));
        Assert.Null(PositionPartitions.DayOf("cc_position_worker_at"));
        Assert.Null(PositionPartitions.DayOf("cc_position_20261332"));
        Assert.Null(PositionPartitions.DayOf("cc_feed_20261203"));
    }

    [Fact]
    public void Today_in_Beijing_and_the_days_ahead_are_made()
    {
        var now = new DateTimeOffset(2026, 12, 31, 17, 0, 0, TimeSpan.Zero); // 1 January 2027, 01:00 CST

        Assert.Equal([new(2027, 1, 1), new(2027, 1, 2), new(2027, 1, 3)], PositionPartitions.DaysToCreate(now, daysAhead: 2));
        Assert.Equal([new DateOnly(2027, 1, 1)], PositionPartitions.DaysToCreate(now, daysAhead: 0));
    }

    [Fact]
    public void A_day_is_dropped_once_all_of_it_is_older_than_the_retention()
    {
        var now = new DateTimeOffset(2026, 12, 3, 10, 0, 0, ChinaTime.Offset);
        // 90 days before now is 4 September 10:00 CST: 3 September ended before it, 4 September did not.
        var existing = new[] { "cc_position_20260905", "cc_position_20260904", "cc_position_20260903", "cc_position_20260801", "cc_position_20261203" };

        Assert.Equal(["cc_position_20260801", "cc_position_20260903"], PositionPartitions.ToDrop(existing, now, Retention));
    }

    [Fact]
    public void The_last_kept_day_goes_at_the_moment_its_end_leaves_the_retention()
    {
        var end = PositionPartitions.RangeOf(new DateOnly(2026, 9, 4)).To;
        var day = new[] { "cc_position_20260904" };

        Assert.Empty(PositionPartitions.ToDrop(day, end + Retention - TimeSpan.FromTicks(1), Retention));
        Assert.Equal(day, PositionPartitions.ToDrop(day, end + Retention, Retention));
        Assert.Equal(day, PositionPartitions.ToDrop(day, end + TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Tables_that_are_not_day_partitions_are_never_dropped()
    {
        var now = new DateTimeOffset(2026, 12, 3, 10, 0, 0, ChinaTime.Offset);

        Assert.Empty(PositionPartitions.ToDrop(["cc_position", "cc_position_default", "cc_feed_entry"], now, TimeSpan.FromDays(1)));
    }
}
