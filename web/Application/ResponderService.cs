using CommandCenter.Access;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Workers;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Application;

/// <summary>One person the dispatcher may send: who, where from, how free.</summary>
public sealed record ResponderView(
    string WorkerId,
    string Name,
    WorkerRole Role,
    string GridCode,
    string GridName,
    double DistanceMeters,
    DutyStatus Status,
    int PositionAgeSeconds,
    int OpenCases,
    bool PoliceBound,
    bool InIncidentGrid);

/// <summary>
/// The nearest responders of an incident (就近派单), within the caller's jurisdiction: the available people nearest
/// the incident as the feed of the caller's area knows their last positions (<see cref="IFeedGrain.NearestAvailable"/>),
/// with the incident's own grid's available people added (its feed's), each checked with their Worker grain (status, contact, open cases) and
/// ranked by <see cref="ResponderRanking"/>.
/// </summary>
public sealed class ResponderService(
    IncidentService incidents,
    JurisdictionDirectory directory,
    PoliceBindingDirectory police,
    IGrainFactory grains,
    IOptions<WorkerOptions> options,
    TimeProvider clock)
{
    public const int DefaultLimit = 10;

    /// <summary>More positions than asked for are checked: the feed's copy of a status may be a moment old.</summary>
    private const int Oversample = 3;

    public async Task<Outcome<IReadOnlyList<ResponderView>>> Nearest(Caller caller, Guid id, int? limit)
    {
        var count = limit ?? DefaultLimit;
        if (count is < 1 or > ResponderRanking.MaxLimit)
            return Refusal.Invalid("limit", $"From 1 to {ResponderRanking.MaxLimit}.");
        if (await incidents.Visible(caller, id, AccessAction.DispatchIncidents) is not { } incident || directory.Tree is not { } tree)
            return Refusal.NotFound($"No incident {id}.");

        // The caller's area that holds the incident: its feed knows the positions of exactly the people in it.
        var area = caller.Jurisdictions.First(code => tree.IsWithin(incident.GridCode, code));
        // And the grid's feed its own people's (one feed when the caller's area is the grid): those available come
        // first however far (GridPeopleFirst).
        var near = await Task.WhenAll(new[] { area, incident.GridCode }.Distinct(StringComparer.Ordinal)
            .Select(code => grains.GetGrain<IFeedGrain>(code).NearestAvailable(incident.Latitude, incident.Longitude, count * Oversample)));
        var ids = near.SelectMany(positions => positions).Select(p => p.WorkerId).Distinct(StringComparer.Ordinal).ToList();
        var views = await Task.WhenAll(ids.Select(w => grains.GetGrain<IWorkerGrain>(w).Get()));
        var bindings = await police.Current();
        var candidates = views
            .Where(v => v?.Position is not null
                        && AccessPolicy.Decide(caller, AccessAction.ReadPeople, v.Worker.GridCode, tree) == AccessDecision.Allowed)
            .Select(v => new ResponderCandidate(v!.Worker, v,
                Distance.Meters(incident.Latitude, incident.Longitude, v.Position!.Latitude, v.Position.Longitude),
                v.Worker.GridCode == incident.GridCode, bindings.IsBound(v.Worker.Id, incident.GridCode)));

        var now = clock.GetUtcNow();
        return ResponderRanking.Rank(candidates, options.Value.GridPeopleFirst, count)
            .Select(c => new ResponderView(c.Worker.Id, c.Worker.Name, c.Worker.Role, c.Worker.GridCode,
                tree.NameOf(c.Worker.GridCode), Math.Round(c.DistanceMeters, 1), c.View.Status,
                (int)Math.Max(0, (now - c.View.Position!.At).TotalSeconds), c.View.OpenCases, c.PoliceBound, c.InIncidentGrid))
            .ToList();
    }
}
