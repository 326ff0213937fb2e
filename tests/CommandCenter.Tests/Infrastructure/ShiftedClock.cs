namespace CommandCenter.Tests.Infrastructure;

/// <summary>The real clock moved by <see cref="Shift"/>: lets a test jump past an expiry without sleeping.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
}
