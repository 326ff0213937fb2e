using CommandCenter.Feeds;
using CommandCenter.Incidents;

namespace CommandCenter.Workers;

/// <summary>Which positions reach the walls: newer than the last accepted one, moved, and at a possible speed.</summary>
public static class PositionFilter
{
    public static PositionVerdict Judge(WorkerPosition? last, double latitude, double longitude, DateTimeOffset at, double maxSpeedKmh)
    {
        if (last is null)
            return PositionVerdict.Accepted;
        if (at <= last.At)
            return PositionVerdict.Older;
        if (last.Latitude == latitude && last.Longitude == longitude)
            return PositionVerdict.Unmoved;
        var metersPerSecond = Distance.Meters(last.Latitude, last.Longitude, latitude, longitude) / (at - last.At).TotalSeconds;
        return metersPerSecond * 3.6 > maxSpeedKmh ? PositionVerdict.TooFast : PositionVerdict.Accepted;
    }
}
