using CommandCenter.Geography;

namespace CommandCenter.Command;

/// <summary>Where one recipient of an instruction stands: issued, its client received it, signed (签收), reported back (回执), done.</summary>
public enum RecipientState
{
    Issued,
    Delivered,
    Signed,
    Reported,
    Done,
}

/// <summary>One recipient of an instruction as stored (<c>cc_instruction_recipient</c>).</summary>
public sealed record RecipientProgress(
    string Recipient,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? SignedAt,
    string? SignedBy,
    string? SignedByName,
    DateTimeOffset? ReportedAt,
    DateTimeOffset? DoneAt,
    DateTimeOffset? SignRemindedAt,
    DateTimeOffset? ReportRemindedAt,
    DateTimeOffset? EscalatedAt = null,
    string? EscalatedTo = null)
{
    public static RecipientProgress New(string recipient) => new(recipient, null, null, null, null, null, null, null, null);
}

/// <summary>
/// The rules of an instruction (指令下达、签收、回执): its deadlines from the time it is issued (to sign within 5 minutes
/// and report back within 30 by default), where each recipient stands, which deadline a recipient has missed (not
/// signed or not reported by its time; done late counts as missed), which reminders are due, and which stations a
/// broadcast reaches.
/// </summary>
public static class InstructionRules
{
    public static readonly TimeSpan DefaultSignWithin = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultReportWithin = TimeSpan.FromMinutes(30);
    /// <summary>The longest time to sign, in minutes (a day); the report-back's time is not shorter.</summary>
    public const int MaxSignMinutes = 24 * 60;

    /// <summary>The longest time to report back, in minutes (a week).</summary>
    public const int MaxReportMinutes = 7 * 24 * 60;

    /// <summary>When an instruction issued at <paramref name="at"/> is to be signed and reported on.</summary>
    public static (DateTimeOffset SignDue, DateTimeOffset ReportDue) Deadlines(DateTimeOffset at, TimeSpan? signWithin, TimeSpan? reportWithin) =>
        (at + (signWithin ?? DefaultSignWithin), at + (reportWithin ?? DefaultReportWithin));

    public static RecipientState State(RecipientProgress p) =>
        p.DoneAt is not null ? RecipientState.Done
        : p.ReportedAt is not null ? RecipientState.Reported
        : p.SignedAt is not null ? RecipientState.Signed
        : p.DeliveredAt is not null ? RecipientState.Delivered
        : RecipientState.Issued;

    /// <summary>Not signed by its time (still unsigned at <paramref name="now"/> past it, or signed after it).</summary>
    public static bool SignMissed(RecipientProgress p, DateTimeOffset signDue, DateTimeOffset now) =>
        p.SignedAt is { } signed ? signed > signDue : now > signDue;

    /// <summary>Not reported back by its time (nothing reported at <paramref name="now"/> past it, or the first report after it).</summary>
    public static bool ReportMissed(RecipientProgress p, DateTimeOffset reportDue, DateTimeOffset now) =>
        p.ReportedAt is { } reported ? reported > reportDue : now > reportDue;

    /// <summary>The reminders due for a recipient at <paramref name="now"/>: each deadline passed unmet, once.</summary>
    public static IReadOnlyList<InstructionReminder> RemindersDue(RecipientProgress p, DateTimeOffset signDue, DateTimeOffset reportDue, DateTimeOffset now)
    {
        var due = new List<InstructionReminder>(2);
        if (p.SignedAt is null && p.SignRemindedAt is null && now > signDue)
            due.Add(InstructionReminder.Sign);
        if (p.ReportedAt is null && p.ReportRemindedAt is null && now > reportDue)
            due.Add(InstructionReminder.Report);
        return due;
    }

    /// <summary>
    /// Whether the issuer may escalate a recipient to its superior level (上级督办): it has missed a deadline (to sign
    /// or to report back) and has not reported back since.
    /// </summary>
    public static bool MayEscalate(RecipientProgress p, DateTimeOffset signDue, DateTimeOffset reportDue, DateTimeOffset now) =>
        p.ReportedAt is null && (SignMissed(p, signDue, now) || ReportMissed(p, reportDue, now));

    /// <summary>What a recipient still owes (what 催办 reminds it of, and an escalation says it failed to do): to sign, when it has not, else to report back.</summary>
    public static InstructionReminder Missing(RecipientProgress p) => p.SignedAt is null ? InstructionReminder.Sign : InstructionReminder.Report;

    /// <summary>The superior level of a station: a village's township, a township's county (the area above it).</summary>
    public static string SuperiorOf(JurisdictionTree tree, string station) => tree.Find(station)?.ParentCode ?? tree.Root.Code;

    /// <summary>Whether an area is a station an instruction or a session can name: a township or a village.</summary>
    public static bool IsStation(JurisdictionLevel level) => level is JurisdictionLevel.Township or JurisdictionLevel.Village;

    /// <summary>The stations of a broadcast to <paramref name="code"/>: it (when a station) and every township and village below it, in tree order.</summary>
    public static IReadOnlyList<string> StationsUnder(JurisdictionTree tree, string code)
    {
        var stations = new List<string>();
        var pending = new Stack<string>([code]);
        while (pending.TryPop(out var next))
        {
            if (tree.Find(next) is not { } area || area.Level == JurisdictionLevel.Grid)
                continue;
            if (IsStation(area.Level))
                stations.Add(area.Code);
            foreach (var child in tree.ChildrenOf(next).Reverse())
                pending.Push(child.Code);
        }
        return stations;
    }
}
