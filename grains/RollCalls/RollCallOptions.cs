namespace CommandCenter.RollCalls;

/// <summary>The video roll call (<c>CommandCenter:RollCalls</c>): how long late answers count, and the sweep that closes roll calls.</summary>
public sealed class RollCallOptions
{
    /// <summary>How long after the time to answer a station's answer still counts, as late; then the roll call closes by itself.</summary>
    public TimeSpan LateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the sweep looks for roll calls whose close has come.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem() =>
        LateWindow < TimeSpan.Zero ? "CommandCenter:RollCalls:LateWindow may not be negative."
        : SweepInterval <= TimeSpan.Zero ? "CommandCenter:RollCalls:SweepInterval must be positive."
        : ReminderPeriod <= TimeSpan.Zero ? "CommandCenter:RollCalls:ReminderPeriod must be positive (and at least Orleans' minimum reminder period)."
        : null;
}
