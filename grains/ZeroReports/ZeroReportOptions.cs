namespace CommandCenter.ZeroReports;

/// <summary>The daily zero-report (<c>CommandCenter:ZeroReports</c>): the sweep that reminds units missing their report after the deadline.</summary>
public sealed class ZeroReportOptions
{
    /// <summary>How often the sweep looks for units whose report of the day is missing at the deadline.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem() =>
        SweepInterval <= TimeSpan.Zero ? "CommandCenter:ZeroReports:SweepInterval must be positive."
        : ReminderPeriod < TimeSpan.FromMinutes(1) ? "CommandCenter:ZeroReports:ReminderPeriod must be at least a minute (Orleans reminders)."
        : null;
}
