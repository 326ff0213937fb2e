using CommandCenter.Tracks;

namespace CommandCenter.Tests.Tracks;

/// <summary>Douglas–Peucker with a tolerance in metres, keeping the times of the points it keeps.</summary>
public sealed class TrackSimplificationTests
{
    private const double MetresPerDegree = 111_195.0;
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, ChinaTime.Offset);

    /// <summary>A point <paramref name="east"/> and <paramref name="north"/> metres from the start, <paramref name="second"/> s after it.</summary>
    private static TrackPoint At(double east, double north, int second) =>
        new(36.5 + north / MetresPerDegree, 104.2 + east / (MetresPerDegree * Math.Cos(36.5 * Math.PI / 180)), Start.AddSeconds(second));

    [Fact]
    public void A_straight_walk_keeps_its_ends_with_their_times()
    {
        var walk = Enumerable.Range(0, 100).Select(i => At(i * 10, 0.5 * (i % 2), i * 10)).ToList();

        var kept = TrackSimplification.Simplify(walk, toleranceMetres: 10);

        Assert.Equal([walk[0], walk[^1]], kept);
    }

    [Fact]
    public void A_corner_farther_than_the_tolerance_is_kept_and_wobbles_within_it_are_not()
    {
        // East 500 m, then north 500 m, wobbling 3 m either side.
        var east = Enumerable.Range(0, 51).Select(i => At(i * 10, i % 2 == 0 ? 3 : -3, i * 8));
        var north = Enumerable.Range(1, 50).Select(i => At(500 + (i % 2 == 0 ? 3 : -3), i * 10, 400 + i * 8));
        var walk = east.Concat(north).ToList();

        var kept = TrackSimplification.Simplify(walk, toleranceMetres: 10);

        Assert.Equal([walk[0], walk[50], walk[^1]], kept);
        Assert.Equal(Start.AddSeconds(400), kept[1].At);
    }

    [Fact]
    public void A_zero_tolerance_keeps_every_point_off_the_line_and_drops_those_on_it()
    {
        // Along a parallel to 30 m east, then 3 m north of the line from the start to 40 m east.
        var walk = new[] { At(0, 0, 0), At(10, 0, 10), At(20, 0, 20), At(30, 0, 30), At(40, 3, 40) };

        Assert.Equal([walk[0], walk[3], walk[4]], TrackSimplification.Simplify(walk, 0));
        Assert.Equal([walk[0], walk[4]], TrackSimplification.Simplify(walk, 3));
    }

    [Fact]
    public void A_person_who_went_out_and_back_keeps_the_far_point()
    {
        // Out 300 m and back to the start: the ends coincide, so distances count from the start itself.
        var walk = Enumerable.Range(0, 31).Select(i => At(i <= 15 ? i * 20 : (30 - i) * 20, 0, i * 10)).ToList();

        Assert.Equal([walk[0], walk[15], walk[^1]], TrackSimplification.Simplify(walk, 10));
    }

    [Fact]
    public void Short_tracks_come_back_as_they_are()
    {
        Assert.Empty(TrackSimplification.Simplify([], 10));
        var one = new[] { At(0, 0, 0) };
        Assert.Equal(one, TrackSimplification.Simplify(one, 10));
        var two = new[] { At(0, 0, 0), At(1, 1, 1) };
        Assert.Equal(two, TrackSimplification.Simplify(two, 10));
    }

    [Fact]
    public void No_point_left_out_lies_farther_than_the_tolerance_from_the_kept_line()
    {
        var random = new Random(15);
        var (x, y) = (0.0, 0.0);
        var walk = new List<TrackPoint>();
        for (var i = 0; i < 2_000; i++)
        {
            (x, y) = (x + random.NextDouble() * 20 - 8, y + random.NextDouble() * 20 - 12);
            walk.Add(At(x, y, i * 10));
        }

        var kept = TrackSimplification.Simplify(walk, toleranceMetres: 15);

        Assert.InRange(kept.Count, 3, walk.Count / 2);
        Assert.Equal(kept.OrderBy(p => p.At), kept);
        var keptIndexes = kept.Select(p => walk.IndexOf(p)).ToList();
        for (var k = 0; k + 1 < keptIndexes.Count; k++)
        {
            var (a, b) = (walk[keptIndexes[k]], walk[keptIndexes[k + 1]]);
            for (var i = keptIndexes[k] + 1; i < keptIndexes[k + 1]; i++)
                Assert.True(Metres(walk[i], a, b) <= 15.001, $"point {i} is {Metres(walk[i], a, b):0.0} m off the line");
        }
    }

    /// <summary>Distance in metres from p to the segment a–b, in metres east and north of the start.</summary>
    private static double Metres(TrackPoint p, TrackPoint a, TrackPoint b)
    {
        var cos = Math.Cos(36.5 * Math.PI / 180);
        (double X, double Y) M(TrackPoint q) => ((q.Lng - 104.2) * cos * MetresPerDegree, (q.Lat - 36.5) * MetresPerDegree);
        var (pm, am, bm) = (M(p), M(a), M(b));
        var (dx, dy) = (bm.X - am.X, bm.Y - am.Y);
        var t = Math.Clamp(((pm.X - am.X) * dx + (pm.Y - am.Y) * dy) / (dx * dx + dy * dy), 0, 1);
        return Math.Sqrt(Math.Pow(am.X + t * dx - pm.X, 2) + Math.Pow(am.Y + t * dy - pm.Y, 2));
    }
}
