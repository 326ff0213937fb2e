using CommandCenter.Geography;
using CommandCenter.Tests.Geography;
using CommandCenter.Workers;
using NetTopologySuite.Geometries;

namespace CommandCenter.Tests.Workers;

/// <summary>The geofence: far enough and long enough outside one's grid is noted once, and so is coming back.</summary>
public sealed class GeofenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan After = TimeSpan.FromMinutes(2);
    private const double Margin = 200;

    /// <summary>A square of 0.01° (about 1.1 km north–south) with its south-west corner at 36.5 N, 104.1 E.</summary>
    private static readonly Geometry Square = new GeometryFactory().CreatePolygon(
        [new(104.1, 36.5), new(104.11, 36.5), new(104.11, 36.51), new(104.1, 36.51), new(104.1, 36.5)]);

    [Fact]
    public void Within_the_margin_outside_the_edge_counts_as_in_the_grid()
    {
        Assert.False(Geofence.FarOutside(Square, 36.505, 104.105, Margin));
        Assert.False(Geofence.FarOutside(Square, 36.51 + 150 / 111_320.0, 104.105, Margin));
        Assert.True(Geofence.FarOutside(Square, 36.51 + 250 / 111_320.0, 104.105, Margin));
    }

    [Fact]
    public void A_demo_grid_holds_its_centre_and_not_a_point_in_the_next_township()
    {
        var grid = DemoCountyData.AtLevel(JurisdictionLevel.Grid).First();
        var (lat, lng) = DemoCountyData.Tree.CenterOf(grid.Code);
        Assert.False(Geofence.FarOutside(grid.Geometry, lat, lng, Margin));
        var envelope = grid.Geometry.EnvelopeInternal;
        Assert.True(Geofence.FarOutside(grid.Geometry, lat, envelope.MaxX + 0.05, Margin));
    }

    [Fact]
    public void Leaving_is_noted_once_after_the_configured_time_and_coming_back_once()
    {
        var fence = Geofence.Inside.Next(farOutside: true, T0, After, out var first);
        Assert.Null(first);
        fence = fence.Next(true, T0.AddMinutes(1), After, out var early);
        Assert.Null(early);
        fence = fence.Next(true, T0.AddMinutes(2), After, out var left);
        Assert.Equal((GridNoteKind.LeftGrid, true, T0), (left!.Value, fence.Noted, fence.OutsideSince!.Value));
        fence = fence.Next(true, T0.AddMinutes(5), After, out var still);
        Assert.Null(still);
        fence = fence.Next(false, T0.AddMinutes(6), After, out var back);
        Assert.Equal((GridNoteKind.BackInGrid, Geofence.Inside), (back!.Value, fence));
    }

    [Fact]
    public void Stepping_out_and_back_sooner_notes_nothing_and_starts_the_clock_again()
    {
        var fence = Geofence.Inside.Next(true, T0, After, out _).Next(false, T0.AddMinutes(1), After, out var back);
        Assert.Null(back);
        fence = fence.Next(true, T0.AddMinutes(2), After, out _).Next(true, T0.AddMinutes(3), After, out var left);
        Assert.Null(left);
        Assert.Equal(T0.AddMinutes(2), fence.OutsideSince);
    }
}
