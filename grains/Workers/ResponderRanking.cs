using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Workers;

/// <summary>A person who could respond to an incident, as the ranking sees them.</summary>
/// <param name="InIncidentGrid">The person is bound to the incident's grid.</param>
/// <param name="PoliceBound">A patrol officer bound to the incident's grid (警务+网格).</param>
public sealed record ResponderCandidate(WorkerRecord Worker, WorkerView View, double DistanceMeters, bool InIncidentGrid, bool PoliceBound);

/// <summary>
/// The nearest responder (就近派单): who may be sent to an incident, in order. Only the available: on duty or on
/// patrol (<see cref="DutyRules.Available"/>), in contact and with a position; busy, off duty, SOS and lost contact
/// (失联) are left out. With <c>gridPeopleFirst</c> the grid chief and grid workers of the incident's own grid come
/// first (the grid's people handle its matters, 网格事网格办), nearest first; then everyone else by distance.
/// </summary>
public static class ResponderRanking
{
    public const int MaxLimit = 50;

    public static bool Available(WorkerView view) =>
        view.Position is not null && !view.LostContact && DutyRules.Available(view.Status);

    public static IReadOnlyList<ResponderCandidate> Rank(IEnumerable<ResponderCandidate> candidates, bool gridPeopleFirst, int limit) =>
        candidates.Where(c => Available(c.View))
            .DistinctBy(c => c.Worker.Id)
            .OrderBy(c => gridPeopleFirst && c.InIncidentGrid && c.Worker.Role != WorkerRole.PatrolOfficer ? 0 : 1)
            .ThenBy(c => c.DistanceMeters)
            .ThenBy(c => c.Worker.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
}
