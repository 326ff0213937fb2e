using CommandCenter.Categories;
using CommandCenter.Incidents;

namespace CommandCenter.Alerts;

/// <summary>
/// What a committed incident change alerts of, before the accounts are known: its report alerts the patrol officers
/// whose accounts cover a grid of its path (in the commit's statement, <see cref="AlertStore.InsertCommand"/>), a
/// dispatch to a person alerts that person's account. Each with the time it may wait for its 签收. A person's taking
/// the case (接警) signs their own alerts of it in the same commit.
/// </summary>
public static class AlertRules
{
    /// <summary>One alert to be written, for whichever accounts it matches.</summary>
    /// <param name="WorkerId">For a dispatch: the person dispatched to.</param>
    public sealed record Raised(Guid Incident, int Sequence, AlertKind Kind, string GridCode, IReadOnlyList<string> Path, string Category,
        string Title, DateTimeOffset At, DateTimeOffset DueAt, string? WorkerId);

    /// <summary>The alerts of <paramref name="Incident"/> to the account of <paramref name="WorkerId"/> are signed at <paramref name="At"/>.</summary>
    public sealed record Signed(Guid Incident, string WorkerId, DateTimeOffset At);

    /// <summary>A category among the safety categories, or a child of one, waits the shorter time.</summary>
    public static DateTimeOffset DueAt(string category, DateTimeOffset at, AlertOptions options) =>
        at + (options.SafetyCategories.Any(safety => CategoryCodes.Within(category, safety)) ? options.SafetyAcknowledgeWithin : options.AcknowledgeWithin);

    public static IEnumerable<Raised> Of(Guid incident, IReadOnlyList<IncidentEvent> events, IncidentDetails state, AlertOptions options)
    {
        foreach (var e in events)
        {
            if (e.Kind == IncidentEventKinds.Reported)
                yield return New(AlertKind.InGrid, e, null);
            else if (e.Kind == IncidentEventKinds.Dispatched && state.Assignee is { Kind: AssigneeKind.Worker } worker)
                yield return New(AlertKind.Dispatched, e, worker.Id);
        }

        Raised New(AlertKind kind, IncidentEvent e, string? workerId) => new(incident, e.Sequence, kind, state.GridCode, state.Path,
            state.Category, state.Title, e.At, DueAt(state.Category, e.At, options), workerId);
    }

    /// <summary>The alerts the change signs: a taker's own of the case.</summary>
    public static IEnumerable<Signed> SignedBy(Guid incident, IReadOnlyList<IncidentEvent> events, IncidentDetails state) =>
        events.LastOrDefault(e => e.Kind == IncidentEventKinds.Taken) is { } taken && state.Assignee is { Kind: AssigneeKind.Worker } taker
            ? [new Signed(incident, taker.Id, taken.At)]
            : [];
}
