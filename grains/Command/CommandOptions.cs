namespace CommandCenter.Command;

/// <summary>Remote emergency command (<c>CommandCenter:Command</c>): the sweep that reminds stations of instructions past their time.</summary>
public sealed class CommandOptions
{
    /// <summary>How often the instruction sweep looks for deadlines passed unmet.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem() =>
        SweepInterval <= TimeSpan.Zero ? "CommandCenter:Command:SweepInterval must be positive."
        : ReminderPeriod < TimeSpan.FromMinutes(1) ? "CommandCenter:Command:ReminderPeriod must be at least a minute (Orleans reminders)."
        : null;
}
