using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Web.Application;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode: the people of the demo county working simulated reports round the closed loop, so the wall shows cases
/// moving and closing. The county duty officer verifies, tickets, dispatches to the grid and gives feedback; the
/// township station accepts and handles; the citizen rates through the rating link's path. Some cases are left
/// waiting after dispatch, to run into their deadlines. Every action goes through the incident service, its grain and the
/// audit log exactly as the API's do (audited with the client address "demo-simulator").
/// </summary>
public sealed class DemoCaseWorker(IGrainFactory grains, AccountStore accounts, IncidentService incidents, IOptions<SimulatorOptions> options,
    TimeProvider clock, ILogger<DemoCaseWorker> log)
{
    public const string ClientAddress = "demo-simulator";

    private Dictionary<string, Caller>? _stations;
    private Caller? _duty;

    /// <summary>Works the case round the loop with pauses between steps; returns when it is done, left waiting, or the demo stops.</summary>
    public async Task Work(Guid id, Random random, CancellationToken ct)
    {
        try
        {
            if (!await Ready() || await grains.GetGrain<IIncidentGrain>(id).Get() is not { } incident)
                return;
            if (_stations!.GetValueOrDefault(incident.Path.Count > 2 ? incident.Path[2] : "") is not { } station)
                return;
            var duty = _duty!;
            var citizen = RatingLinks.Citizen(id);
            if (random.NextDouble() < 0.05)
            {
                await Step(id, duty, IncidentAction.Reject, random, ct, note: "经核实,不属实");
                return;
            }
            if (!await Step(id, duty, IncidentAction.Verify, random, ct))
                return;
            await Step(id, duty, IncidentAction.Ticket, random, ct);
            await Step(id, duty, IncidentAction.Dispatch, random, ct, target: new Assignee(AssigneeKind.Jurisdiction, incident.GridCode, incident.GridCode));
            if (random.NextDouble() < options.Value.LeftWaitingShare)
                return;
            await Step(id, station, IncidentAction.Accept, random, ct);
            await Step(id, station, IncidentAction.Handle, random, ct, note: "已到现场处置完毕");
            await Step(id, duty, IncidentAction.Feedback, random, ct, note: "您反映的问题已处理,请评价");
            var rating = random.NextDouble() switch { < 0.8 => Rating.Satisfied, < 0.95 => Rating.Neutral, _ => Rating.Dissatisfied };
            await Step(id, citizen, IncidentAction.Rate, random, ct, rating: rating, note: rating == Rating.Dissatisfied ? "问题没有彻底解决" : null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("caseWorker");
            log.LogWarning(e, "Simulated case work on {Incident} failed", id);
        }
    }

    private async Task<bool> Step(Guid id, Caller caller, IncidentAction action, Random random, CancellationToken ct,
        string? note = null, Assignee? target = null, Rating? rating = null)
    {
        var pause = options.Value.CaseStepSeconds;
        await Task.Delay(TimeSpan.FromSeconds(pause * (0.5 + random.NextDouble())), clock, ct);
        var command = new IncidentCommand(action, caller, $"sim-{id:N}-{Json.Word(action)}", note, Target: target, Rating: rating);
        var outcome = await incidents.Run(new Actor(caller, ClientAddress), id, command);
        return outcome.Refusal is null;
    }

    /// <summary>The demo accounts that act: the duty officer and each township's station.</summary>
    private async Task<bool> Ready()
    {
        if (_duty is not null)
            return true;
        var all = await accounts.List();
        var duty = all.FirstOrDefault(a => a.Username == "duty" && a.Role == Role.DutyOfficer);
        if (duty is null)
            return false;
        _stations = all.Where(a => a.Role == Role.TownshipStation && a.Jurisdictions.Count == 1)
            .GroupBy(a => a.Jurisdictions[0])
            .ToDictionary(g => g.Key, g => g.First().ToCaller());
        _duty = duty.ToCaller();
        return true;
    }
}
