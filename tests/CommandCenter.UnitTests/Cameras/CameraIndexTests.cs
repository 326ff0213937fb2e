using CommandCenter.Cameras;
using CommandCenter.Incidents;

namespace CommandCenter.Tests.Cameras;

/// <summary>Which cameras an incident's evidence comes from: the nearest, within the radius, found by place without a scan.</summary>
public sealed class CameraIndexTests
{
    private static StreamingCamera At(string id, double northMeters) =>
        new(id, 36.5 + northMeters / 111_195.0, 104.2, "http://127.0.0.1/" + id);

    [Fact]
    public void The_nearest_cameras_within_the_radius_come_first()
    {
        var index = new CameraIndex([At("far", 800), At("c", 300), At("a", 10), At("b", -120), At("edge", 499)], cellMeters: 500);

        Assert.Equal(["a", "b", "c"], index.Nearest(36.5, 104.2, radiusMeters: 500, count: 3).Select(c => c.Id));
        Assert.Equal(["a", "b", "c", "edge"], index.Nearest(36.5, 104.2, 500, 10).Select(c => c.Id));
        Assert.Empty(index.Nearest(36.5, 104.2, 5, 3));
        Assert.Empty(new CameraIndex([], 500).Nearest(36.5, 104.2, 500, 3));
    }

    /// <summary>
    /// The index against the plain definition over every camera, for random cameras (1,500 over some 10 × 10 km, as
    /// dense as a town's) and points over them and beyond their edges, with radii smaller and larger than a cell, at the latitude of the demo county and far north.
    /// </summary>
    [Theory]
    [InlineData(36.5, 500, 500, 3)]
    [InlineData(36.5, 500, 200, 10)]
    [InlineData(36.5, 300, 2_000, 5)]
    [InlineData(36.5, 2_000, 150, 3)]
    [InlineData(69.7, 500, 800, 4)]
    [InlineData(-33.9, 500, 500, 3)]
    public void Nearest_equals_the_nearest_of_all_cameras_by_distance(double latitude, double cellMeters, double radius, int count)
    {
        var random = new Random(1473);
        var cameras = Enumerable.Range(0, 1500)
            .Select(i => new StreamingCamera($"C{i:0000}", latitude + random.NextDouble() * 0.1, 104.0 + random.NextDouble() * 0.1, "rtsp://127.0.0.1/" + i))
            .ToList();
        // A few at the very same place, so that ties are ordered too.
        cameras.AddRange(cameras.Take(20).Select(c => c with { Id = c.Id + "-twin" }));
        var index = new CameraIndex(cameras, cellMeters);

        var found = 0;
        for (var i = 0; i < 500; i++)
        {
            var (lat, lng) = (latitude - 0.005 + random.NextDouble() * 0.11, 103.995 + random.NextDouble() * 0.11);
            var expected = cameras
                .Select(c => (Camera: c, Meters: Distance.Meters(lat, lng, c.Latitude, c.Longitude)))
                .Where(c => c.Meters <= radius)
                .OrderBy(c => c.Meters)
                .ThenBy(c => c.Camera.Id, StringComparer.Ordinal)
                .Take(count)
                .Select(c => c.Camera.Id)
                .ToList();
            Assert.Equal(expected, index.Nearest(lat, lng, radius, count).Select(c => c.Id));
            found += expected.Count;
        }
        Assert.True(found > 100, $"only {found} cameras near 500 points: the comparison says little");
        var twin = cameras[0];
        Assert.Equal([twin.Id, twin.Id + "-twin"], index.Nearest(twin.Latitude, twin.Longitude, 0, 2).Select(c => c.Id));
    }
}
