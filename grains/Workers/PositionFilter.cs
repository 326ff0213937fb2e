using CommandCenter.Feeds;

namespace CommandCenter.Workers;

/// <summary>Which positions reach the walls: newer than the last accepted one, moved, and at a possible speed.</summary>
public static class PositionFilter
{
    private const double EarthRadiusMeters = 6_371_000;

    public static PositionVerdict Judge(WorkerPosition? last, double latitude, double longitude, DateTimeOffset at, double maxSpeedKmh)
    {
        if (last is null)
            return PositionVerdict.Accepted;
        if (at <= last.At)
            return PositionVerdict.Older;
        if (last.Latitude == latitude && last.Longitude == longitude)
            return PositionVerdict.Unmoved;
        var metersPerSecond = MetersBetween(last.Latitude, last.Longitude, latitude, longitude) / (at - last.At).TotalSeconds;
        return metersPerSecond * 3.6 > maxSpeedKmh ? PositionVerdict.TooFast : PositionVerdict.Accepted;
    }

    /// <summary>Great-circle distance (haversine).</summary>
    public static double MetersBetween(double lat1, double lng1, double lat2, double lng2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLng = Radians(lng2 - lng1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
