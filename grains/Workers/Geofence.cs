using NetTopologySuite.Geometries;

namespace CommandCenter.Workers;

/// <summary>
/// Whether a person is in their grid, like Traccar's geofence enter/exit events: a position farther than the margin
/// outside the grid starts the clock; staying out for the configured time notes "left grid"; the first position back
/// within the margin after that notes "back in grid". Wandering out and back sooner notes nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Geofence([property: Id(0)] DateTimeOffset? OutsideSince, [property: Id(1)] bool Noted)
{
    public static readonly Geofence Inside = new(null, false);

    /// <summary>Whether the point lies farther than <paramref name="marginMeters"/> outside the grid's polygon.</summary>
    /// <remarks>The margin is turned into degrees of latitude: east–west it is a little shorter (× cos latitude).</remarks>
    public static bool FarOutside(Geometry grid, double latitude, double longitude, double marginMeters) =>
        !grid.IsWithinDistance(new Point(longitude, latitude), marginMeters / Incidents.Distance.MetersPerDegree);

    /// <summary>The fence after a position; <paramref name="note"/> is what to note of it, if anything.</summary>
    public Geofence Next(bool farOutside, DateTimeOffset at, TimeSpan after, out GridNoteKind? note)
    {
        note = null;
        if (!farOutside)
        {
            if (Noted)
                note = GridNoteKind.BackInGrid;
            return Inside;
        }
        var since = OutsideSince ?? at;
        if (!Noted && at - since >= after)
        {
            note = GridNoteKind.LeftGrid;
            return new(since, true);
        }
        return new(since, Noted);
    }
}
