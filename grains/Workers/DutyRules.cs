namespace CommandCenter.Workers;

/// <summary>
/// Duty status (在岗状态). A person chooses off duty, on duty, on patrol or SOS from the phone; busy is the loop's: it
/// holds while any case the person accepted is not yet handled, over the status they chose, except SOS, which
/// always shows.
/// </summary>
public static class DutyRules
{
    /// <summary>The status people see: SOS, else busy while cases are open, else what the person chose.</summary>
    public static DutyStatus Effective(DutyStatus chosen, int openCases) =>
        chosen == DutyStatus.Sos ? DutyStatus.Sos
        : openCases > 0 ? DutyStatus.Busy
        : chosen;

    /// <summary>Why the person may not choose <paramref name="requested"/> from the phone now; null when they may.</summary>
    public static string? RefuseFromPhone(DutyStatus requested, int openCases) => requested switch
    {
        DutyStatus.Busy => "Busy is set by accepting a case and cleared by handling it.",
        DutyStatus.OffDuty when openCases > 0 => $"Handle your {openCases} accepted case(s) before going off duty.",
        _ => null,
    };

    /// <summary>Whether the person is free to take a case: on duty or on patrol (not off duty, busy or calling for help).</summary>
    public static bool Available(DutyStatus effective) => effective is DutyStatus.OnDuty or DutyStatus.OnPatrol;

    /// <summary>What the person has chosen after accepting a case: whoever takes a case is on duty.</summary>
    public static DutyStatus OnAccept(DutyStatus chosen) => chosen == DutyStatus.OffDuty ? DutyStatus.OnDuty : chosen;

    /// <summary>
    /// Lost contact (失联): someone who is not off duty, whose last position is older than <paramref name="after"/>
    /// (or who has sent none).
    /// </summary>
    public static bool LostContact(DutyStatus effective, DateTimeOffset? lastPositionAt, DateTimeOffset now, TimeSpan after) =>
        effective != DutyStatus.OffDuty && (lastPositionAt is not { } at || now - at > after);
}
