using CommandCenter.Calendar;
using CommandCenter.Incidents;

namespace CommandCenter.Statistics;

/// <summary>
/// What one event adds to the statistics of its day (China Standard Time), its category and its source, in its grid
/// and every area above it. The KPIs are sums of these over a period (<see cref="Kpis"/>); each is counted once, by
/// the event that makes it true.
/// </summary>
public enum StatMeasure
{
    /// <summary>上报: the report.</summary>
    Reported,
    /// <summary>受理: the case left 待核实 into the loop (verified, taken, escalated or closed on the spot), not rejected or merged; once per case.</summary>
    Accepted,
    /// <summary>The report was rejected (不予受理).</summary>
    Rejected,
    /// <summary>The report was merged into another case as its duplicate.</summary>
    Merged,
    /// <summary>办结: the case was closed with feedback (on the spot, or fed back after handling) for the first time; once per case.</summary>
    Closed,
    /// <summary>Of <see cref="Closed"/>: no deadline of the case had been missed when it was first closed.</summary>
    ClosedOnTime,
    /// <summary>Of <see cref="Closed"/>: closed by the grid itself (微事不出格).</summary>
    ClosedAtGrid,
    /// <summary>Of <see cref="Closed"/>: closed at the village (小事不出村).</summary>
    ClosedAtVillage,
    /// <summary>Of <see cref="Closed"/>: closed at the township (大事不出镇).</summary>
    ClosedAtTownship,
    /// <summary>Of <see cref="Closed"/>: closed at the county or above (departments' cases included).</summary>
    ClosedAbove,
    /// <summary>A deadline of the case was missed for the first time; once per case.</summary>
    EverOverdue,
    /// <summary>督办: a missed deadline opened a supervision (each one).</summary>
    Supervised,
    /// <summary>A supervision's own deadline passed and the next level up took it over (each time).</summary>
    SupervisionEscalated,
    /// <summary>The case went to the level above (each time: by hand, or after too many reopenings).</summary>
    Escalated,
    /// <summary>The case was dispatched to a functional department (each dispatch).</summary>
    RoutedToDepartment,
    /// <summary>A dissatisfied rating sent the case back (each time).</summary>
    Reopened,
    RatedSatisfied,
    RatedNeutral,
    RatedDissatisfied,
}

/// <summary>How long a case took, in working hours (<see cref="WorkingCalendar.WorkingHoursBetween"/>), counted on the day it ends.</summary>
public enum StatDuration
{
    /// <summary>From the report until it was accepted (<see cref="StatMeasure.Accepted"/>).</summary>
    ToAccept,
    /// <summary>From the report until it was first closed (<see cref="StatMeasure.Closed"/>).</summary>
    ToClose,
}

public readonly record struct StatTime(StatDuration Kind, double WorkingHours);

/// <summary>What one event adds: its day, the measures it counts and the durations it ends.</summary>
public sealed record StatChange(DateOnly Day, IReadOnlyList<StatMeasure> Measures, IReadOnlyList<StatTime> Times)
{
    public bool IsEmpty => Measures.Count == 0 && Times.Count == 0;
}

/// <summary>The plain rule from an event (and the states before and after it) to what it adds to the statistics.</summary>
public static class StatFacts
{
    private static readonly HashSet<IncidentStatus> NotAccepted = [IncidentStatus.Reported, IncidentStatus.Rejected, IncidentStatus.Merged];

    public static StatChange Of(IncidentDetails? before, IncidentDetails after, IncidentEvent e, WorkingCalendar calendar)
    {
        var measures = new List<StatMeasure>();
        var times = new List<StatTime>();
        switch (e.Kind)
        {
            case IncidentEventKinds.Reported:
                measures.Add(StatMeasure.Reported);
                break;
            case IncidentEventKinds.Rejected:
                measures.Add(StatMeasure.Rejected);
                break;
            case IncidentEventKinds.Merged:
                measures.Add(StatMeasure.Merged);
                break;
            case IncidentEventKinds.Overdue:
                measures.Add(StatMeasure.Supervised);
                break;
            case IncidentEventKinds.SupervisionEscalated:
                measures.Add(StatMeasure.SupervisionEscalated);
                break;
            case IncidentEventKinds.Escalated:
                measures.Add(StatMeasure.Escalated);
                break;
            case IncidentEventKinds.Dispatched when after.Assignee?.Kind == AssigneeKind.Department:
                measures.Add(StatMeasure.RoutedToDepartment);
                break;
            case IncidentEventKinds.Rated when after.Rating is { } rating:
                measures.Add(rating switch
                {
                    Rating.Satisfied => StatMeasure.RatedSatisfied,
                    Rating.Neutral => StatMeasure.RatedNeutral,
                    _ => StatMeasure.RatedDissatisfied,
                });
                break;
        }
        if (before is { Status: IncidentStatus.Reported } && !NotAccepted.Contains(after.Status))
        {
            measures.Add(StatMeasure.Accepted);
            times.Add(new StatTime(StatDuration.ToAccept, calendar.WorkingHoursBetween(after.ReportedAt, e.At)));
        }
        if (before?.FirstClosedAt is null && after.FirstClosedAt is not null)
        {
            measures.Add(StatMeasure.Closed);
            if (!after.EverOverdue)
                measures.Add(StatMeasure.ClosedOnTime);
            measures.Add(ClosedAt(after));
            times.Add(new StatTime(StatDuration.ToClose, calendar.WorkingHoursBetween(after.ReportedAt, e.At)));
        }
        if (before is { EverOverdue: false } && after.EverOverdue)
            measures.Add(StatMeasure.EverOverdue);
        if (before is not null && after.Reopens > before.Reopens)
            measures.Add(StatMeasure.Reopened);
        return new StatChange(ChinaTime.Day(e.At), measures, times);
    }

    /// <summary>
    /// Folds <paramref name="events"/> of incident <paramref name="id"/> onto <paramref name="history"/>, with what each
    /// adds (<see cref="Of"/>, with the state before and after it): the history after them and the additions in order.
    /// </summary>
    public static (IncidentHistory After, IReadOnlyList<StatChange> Changes) Fold(IncidentHistory history, Guid id, IEnumerable<IncidentEvent> events,
        WorkingCalendar calendar)
    {
        var changes = new List<StatChange>();
        foreach (var e in events)
        {
            var before = history.Details;
            history = history.Apply(id, e);
            changes.Add(Of(before, history.Details!, e, calendar));
        }
        return (history, changes);
    }

    /// <summary>The level a case was closed at, by where its responsible area lies on its path (grid, village, township, above).</summary>
    private static StatMeasure ClosedAt(IncidentDetails incident) => incident.Path.ToList().IndexOf(incident.Level) switch
    {
        0 => StatMeasure.ClosedAtGrid,
        1 => StatMeasure.ClosedAtVillage,
        2 => StatMeasure.ClosedAtTownship,
        _ => StatMeasure.ClosedAbove,
    };
}
