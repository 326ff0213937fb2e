using CommandCenter.Incidents;

namespace CommandCenter.Cameras;

/// <summary>A camera that can give a frame: it has a stream address and is not known to be offline.</summary>
public sealed record StreamingCamera(string Id, double Latitude, double Longitude, string StreamUrl);

/// <summary>
/// Cameras in square cells of latitude and longitude, so that the ones near a point are found by looking at the few
/// cells around it instead of every camera of the county. Immutable: a new list is a new index.
/// </summary>
public sealed class CameraIndex
{
    private readonly double _cellDegrees;
    private readonly Dictionary<(long Row, long Column), StreamingCamera[]> _cells;

    /// <param name="cameras">The cameras.</param>
    /// <param name="cellMeters">A cell's side (north–south); about the usual search radius, so a search looks at a few cells.</param>
    public CameraIndex(IEnumerable<StreamingCamera> cameras, double cellMeters)
    {
        _cellDegrees = Math.Max(1, cellMeters) / Distance.MetersPerDegree;
        _cells = cameras.GroupBy(c => (Row(c.Latitude), Column(c.Longitude))).ToDictionary(g => g.Key, g => g.ToArray());
        Count = _cells.Values.Sum(c => c.Length);
    }

    public int Count { get; }

    /// <summary>The <paramref name="count"/> cameras nearest the point within <paramref name="radiusMeters"/>, nearest first (ties by id).</summary>
    public IReadOnlyList<StreamingCamera> Nearest(double latitude, double longitude, double radiusMeters, int count)
    {
        if (count <= 0 || radiusMeters < 0 || Count == 0)
            return [];
        // A box that holds the circle: a degree of longitude shrinks with the cosine of the latitude, least at the box's
        // edge farthest from the equator. One percent more, so that rounding never leaves a camera on the rim outside.
        var latitudeSpan = 1.01 * radiusMeters / Distance.MetersPerDegree;
        var farthest = Math.Min(89.9, Math.Abs(latitude) + latitudeSpan);
        var longitudeSpan = latitudeSpan / Math.Cos(farthest * Math.PI / 180);
        var (top, bottom) = (Row(latitude - latitudeSpan), Row(latitude + latitudeSpan));
        var (left, right) = (Column(longitude - longitudeSpan), Column(longitude + longitudeSpan));
        var candidates = (bottom - top + 1) * (right - left + 1) <= _cells.Count
            ? Cells(top, bottom, left, right)
            : _cells.Values.SelectMany(c => c);
        return candidates
            .Select(c => (Camera: c, Meters: Distance.Meters(latitude, longitude, c.Latitude, c.Longitude)))
            .Where(c => c.Meters <= radiusMeters)
            .OrderBy(c => c.Meters)
            .ThenBy(c => c.Camera.Id, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Camera)
            .ToList();
    }

    private IEnumerable<StreamingCamera> Cells(long top, long bottom, long left, long right)
    {
        for (var row = top; row <= bottom; row++)
        {
            for (var column = left; column <= right; column++)
            {
                if (_cells.TryGetValue((row, column), out var cameras))
                {
                    foreach (var camera in cameras)
                        yield return camera;
                }
            }
        }
    }

    private long Row(double latitude) => (long)Math.Floor(latitude / _cellDegrees);

    private long Column(double longitude) => (long)Math.Floor(longitude / _cellDegrees);
}
