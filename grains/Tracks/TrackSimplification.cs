using CommandCenter.Incidents;

namespace CommandCenter.Tracks;

/// <summary>A point of a track: where a person was, and when.</summary>
public sealed record TrackPoint(double Lat, double Lng, DateTimeOffset At);

/// <summary>
/// Douglas–Peucker simplification with a tolerance in metres: a point is kept when it lies farther than the tolerance
/// from the line between the points kept around it. The first and last points are always kept, and every kept point
/// keeps its time, so playback still moves at the pace the person did.
/// </summary>
public static class TrackSimplification
{
    public static IReadOnlyList<TrackPoint> Simplify(IReadOnlyList<TrackPoint> points, double toleranceMetres)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(toleranceMetres);
        if (points.Count <= 2)
            return points;

        // Metres on a plane tangent at the first point: a county is small enough for the equirectangular projection.
        var cosLat = Math.Cos(points[0].Lat * Math.PI / 180);
        var x = new double[points.Count];
        var y = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            x[i] = (points[i].Lng - points[0].Lng) * cosLat * Distance.MetersPerDegree;
            y[i] = (points[i].Lat - points[0].Lat) * Distance.MetersPerDegree;
        }

        var keep = new bool[points.Count];
        keep[0] = keep[^1] = true;
        // Spans still to look at, instead of recursion: a week of positions every few seconds is deep.
        var spans = new Stack<(int First, int Last)>();
        spans.Push((0, points.Count - 1));
        while (spans.Count > 0)
        {
            var (first, last) = spans.Pop();
            var farthest = -1;
            var farthestDistance = toleranceMetres;
            for (var i = first + 1; i < last; i++)
            {
                var distance = DistanceToSegment(x[i], y[i], x[first], y[first], x[last], y[last]);
                if (distance > farthestDistance)
                    (farthest, farthestDistance) = (i, distance);
            }
            if (farthest < 0)
                continue;
            keep[farthest] = true;
            spans.Push((first, farthest));
            spans.Push((farthest, last));
        }

        var kept = new List<TrackPoint>();
        for (var i = 0; i < points.Count; i++)
        {
            if (keep[i])
                kept.Add(points[i]);
        }
        return kept;
    }

    /// <summary>Distance in metres from a point to the segment between two others (to the nearer end past either end).</summary>
    private static double DistanceToSegment(double px, double py, double ax, double ay, double bx, double by)
    {
        var (dx, dy) = (bx - ax, by - ay);
        var lengthSquared = dx * dx + dy * dy;
        var t = lengthSquared == 0 ? 0 : Math.Clamp(((px - ax) * dx + (py - ay) * dy) / lengthSquared, 0, 1);
        var (cx, cy) = (ax + t * dx - px, ay + t * dy - py);
        return Math.Sqrt(cx * cx + cy * cy);
    }
}
