using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Workers;

namespace CommandCenter.Tests.Workers;

/// <summary>Which positions reach the walls: duplicates, late ones and impossible jumps do not.</summary>
public sealed class PositionFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);
    private const double MaxKmh = 150;

    /// <summary>One kilometre of latitude, in degrees.</summary>
    private const double Kilometre = 1 / 111.195;

    private static readonly WorkerPosition Last = new("w-0001", 36.55, 104.17, T0);

    [Fact]
    public void A_first_position_is_accepted() =>
        Assert.Equal(PositionVerdict.Accepted, PositionFilter.Judge(null, 36.55, 104.17, T0, MaxKmh));

    [Fact]
    public void The_same_point_later_is_unmoved_and_a_point_not_newer_is_older()
    {
        Assert.Equal(PositionVerdict.Unmoved, PositionFilter.Judge(Last, 36.55, 104.17, T0.AddSeconds(10), MaxKmh));
        Assert.Equal(PositionVerdict.Older, PositionFilter.Judge(Last, 36.56, 104.17, T0, MaxKmh));
        Assert.Equal(PositionVerdict.Older, PositionFilter.Judge(Last, 36.56, 104.17, T0.AddSeconds(-30), MaxKmh));
    }

    [Fact]
    public void A_kilometre_in_30_seconds_is_120_kmh_and_accepted_in_20_seconds_180_kmh_and_dropped()
    {
        Assert.Equal(PositionVerdict.Accepted, PositionFilter.Judge(Last, 36.55 + Kilometre, 104.17, T0.AddSeconds(30), MaxKmh));
        Assert.Equal(PositionVerdict.TooFast, PositionFilter.Judge(Last, 36.55 + Kilometre, 104.17, T0.AddSeconds(20), MaxKmh));
    }

    [Fact]
    public void A_jump_across_the_county_is_dropped_however_it_is_timed_within_minutes() =>
        Assert.Equal(PositionVerdict.TooFast, PositionFilter.Judge(Last, 36.85, 104.40, T0.AddMinutes(5), MaxKmh));

    [Fact]
    public void Distances_are_great_circle_metres()
    {
        Assert.InRange(Distance.Meters(36.55, 104.17, 36.55 + Kilometre, 104.17), 999, 1001);
        // Along a parallel a degree of longitude is about cos(latitude) of one of latitude.
        var degreeOfLongitude = 111_195 * Math.Cos(36.55 * Math.PI / 180);
        Assert.InRange(Distance.Meters(36.55, 104, 36.55, 105), degreeOfLongitude - 50, degreeOfLongitude + 50);
    }
}
