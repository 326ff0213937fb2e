namespace CommandCenter.Alerts;

/// <summary>Grid alerts (<c>CommandCenter:Alerts</c>): how long an alert may wait for its 签收, and the sweep that sends it up.</summary>
public sealed class AlertOptions
{
    /// <summary>How long an alert of any other category waits for its acknowledgement.</summary>
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The safety categories' codes: their alerts, and their children's, wait <see cref="SafetyAcknowledgeWithin"/>.</summary>
    public List<string> SafetyCategories { get; set; } = ["security", "safety"];

    public TimeSpan SafetyAcknowledgeWithin { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often the escalation sweep looks for alerts past their time.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem() =>
        AcknowledgeWithin <= TimeSpan.Zero ? "CommandCenter:Alerts:AcknowledgeWithin must be positive."
        : SafetyAcknowledgeWithin <= TimeSpan.Zero ? "CommandCenter:Alerts:SafetyAcknowledgeWithin must be positive."
        : SweepInterval <= TimeSpan.Zero ? "CommandCenter:Alerts:SweepInterval must be positive."
        : ReminderPeriod < TimeSpan.FromMinutes(1) ? "CommandCenter:Alerts:ReminderPeriod must be at least a minute (Orleans reminders)."
        : null;
}
