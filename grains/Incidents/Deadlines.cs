using CommandCenter.Calendar;

namespace CommandCenter.Incidents;

/// <summary>The deadline rules that look at a case's state and the time: plain code, tested without a grain or a clock.</summary>
public static class Deadlines
{
    /// <summary>A missed deadline to record: the event kind (overdue, or supervision escalated) and the step it concerns.</summary>
    public sealed record Missed(string Kind, DeadlineStep Step);

    /// <summary>
    /// What is missed at <paramref name="now"/>: the running step's deadline (when not yet recorded as overdue) opens a
    /// supervision; a supervision's own deadline sends it one level up. Null when nothing is due, or it is already recorded.
    /// </summary>
    public static Missed? Review(IncidentDetails incident, DateTimeOffset now)
    {
        if (incident.Supervision is { } supervision)
            return supervision.Due <= now ? new Missed(IncidentEventKinds.SupervisionEscalated, supervision.Step) : null;
        if (incident.Deadline is { } deadline && !incident.Overdue && deadline.Due <= now)
            return new Missed(IncidentEventKinds.Overdue, deadline.Step);
        return null;
    }

    /// <summary>
    /// The event that records what is missed at <paramref name="now"/> (<see cref="Review"/>): a supervision opened, or
    /// sent one level up, by <see cref="Supervisor"/>, due after the supervision term; null when nothing is due.
    /// </summary>
    public static IncidentEvent? Record(IncidentHistory history, DateTimeOffset now, SlaTable sla, WorkingCalendar calendar)
    {
        var incident = history.Details ?? throw new ArgumentException("There is no case to review.", nameof(history));
        if (Review(incident, now) is not { } missed)
            return null;
        var due = sla.Due(DeadlineStep.Supervision, null, now, calendar).Due;
        var supervision = new Supervision(Supervisor(incident, missed), missed.Step, now, due, (incident.Supervision?.Round ?? 0) + 1);
        return history.Next(missed.Kind, now, CaseRules.SystemActor, null, new IncidentChange(Supervision: supervision));
    }

    /// <summary>
    /// Who supervises (督办) after <paramref name="missed"/>: the level above where the case lies for a missed step, the
    /// level above the supervisor for a missed supervision (the county center supervises itself at the top).
    /// </summary>
    public static string Supervisor(IncidentDetails incident, Missed missed) =>
        CaseRules.Up(incident, missed.Kind == IncidentEventKinds.Overdue ? incident.Level : incident.Supervision!.By);

    /// <summary>When the case must be looked at next: its supervision's deadline, else its running step's; null when neither runs.</summary>
    public static DateTimeOffset? NextReview(IncidentDetails incident) =>
        incident.Supervision?.Due ?? (incident.Deadline is { } deadline && !incident.Overdue ? deadline.Due : null);
}
