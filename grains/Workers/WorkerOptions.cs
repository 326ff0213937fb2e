namespace CommandCenter.Workers;

/// <summary>The rules of people on the move (<c>CommandCenter:Workers</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>A person not off duty whose last position is older than this has lost contact (失联).</summary>
    public TimeSpan LostContactAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A position implying a faster move from the last accepted one is dropped as an impossible jump.</summary>
    public double MaxSpeedKmh { get; set; } = 150;

    /// <summary>How far outside their grid a person must be to count as out of it (GPS wanders at the edge).</summary>
    public double GeofenceMarginMeters { get; set; } = 200;

    /// <summary>How long a person must stay out of their grid before it is noted.</summary>
    public TimeSpan GeofenceAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A person standing still sends the same point: it keeps them in contact, and walls are told again at most this
    /// often (they judge lost contact by the position's time).
    /// </summary>
    public TimeSpan UnmovedResendAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The nearest responders list the grid people of the incident's own grid first (网格事网格办).</summary>
    public bool GridPeopleFirst { get; set; } = true;
}
