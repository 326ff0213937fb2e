namespace CommandCenter.Incidents;

/// <summary>One entry of an incident's history (timeline): what happened, when, by whom, with its data as JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record IncidentEvent(
    [property: Id(0)] int Sequence,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? ActorRole,
    [property: Id(5)] string Data);

/// <summary>The kinds of <see cref="IncidentEvent"/>: one per workflow action, and those the case's own clock and links add.</summary>
public static class IncidentEventKinds
{
    /// <summary>上报: the report as accepted at the edge (data: <see cref="ReportedData"/>).</summary>
    public const string Reported = "reported";
    public const string Verified = "verified";
    public const string Rejected = "rejected";
    /// <summary>This report was merged into <see cref="IncidentChange.Incident"/>.</summary>
    public const string Merged = "merged";
    /// <summary>The duplicate <see cref="IncidentChange.Incident"/> was merged into this case.</summary>
    public const string Linked = "linked";
    public const string Resolved = "resolved";
    public const string Ticketed = "ticketed";
    public const string Dispatched = "dispatched";
    public const string Accepted = "accepted";
    /// <summary>接警: the person <see cref="IncidentChange.Assignee"/> took the case and is handling it.</summary>
    public const string Taken = "taken";
    public const string Handled = "handled";
    public const string FedBack = "fedBack";
    /// <summary>The feedback of the case this duplicate was merged into, for this report's reporter.</summary>
    public const string FeedbackShared = "feedbackShared";
    public const string Rated = "rated";
    /// <summary>A dissatisfied rating sent the case back to handling.</summary>
    public const string Reopened = "reopened";
    public const string Assessed = "assessed";
    /// <summary>The case went to the level above (by hand, or after too many reopenings).</summary>
    public const string Escalated = "escalated";
    /// <summary>The running step's deadline passed: a supervision (督办) is opened by the level above.</summary>
    public const string Overdue = "overdue";
    /// <summary>A supervision's own deadline passed: the next level up supervises.</summary>
    public const string SupervisionEscalated = "supervisionEscalated";
    /// <summary>A photo was stored for the case.</summary>
    public const string Attached = "attached";
    /// <summary>The camera a camera-offline case is about came back online (note: when, and for how long it was away).</summary>
    public const string CameraRecovered = "cameraRecovered";
    /// <summary>
    /// 调整网格: a re-import of the tree moved the case to <see cref="IncidentChange.GridCode"/> and
    /// <see cref="IncidentChange.Path"/> (its grid was split, merged or moved to another village); the levels it lay
    /// with and was supervised by keep their place on the path.
    /// </summary>
    public const string Moved = "moved";
}

