using CommandCenter.Access;
using CommandCenter.Feeds;
using Microsoft.Extensions.Logging;

namespace CommandCenter.RollCalls;

/// <summary>
/// One video roll call: loads it at activation; each change (<see cref="RollCallRules"/>) is one commit, then the
/// stations concerned hear of it on their feed groups (one-way: a page that misses it loads what rings again). A commit
/// that fails ends the activation, so the next call reloads the roll call as stored.
/// </summary>
public sealed class RollCallGrain(RollCallStore store, ILogger<RollCallGrain> log) : Grain, IRollCallGrain
{
    /// <summary>Who closes a roll call whose time is up (in the audit).</summary>
    public const string Sweep = "system:rollcall";

    private RollCall? _call;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _call = await store.Get(this.GetPrimaryKey());

    public Task<RollCall?> Get() => Task.FromResult(_call);

    public async Task<RollCall> Start(RollCall call, Caller by, string? clientAddress)
    {
        if (_call is not null)
            return _call;
        var started = call with { Id = this.GetPrimaryKey() };
        var names = string.Join(",", started.Stations.Select(s => s.Code));
        await Commit(() => store.Start(started, AuditLog.Row(started.StartedAt, by, AuditActions.StartRollCall, started.Id.ToString(),
            detail: $"{started.Title} · {names} · {started.AnswerWithin.TotalSeconds:0} s", clientAddress: clientAddress)));
        _call = started;
        foreach (var station in started.Stations)
            Tell(station.Code, open: true);
        return started;
    }

    public async Task<RollCall?> Delivered(string station, DateTimeOffset at)
    {
        if (_call is null || RollCallRules.Deliver(_call, station, Timestamps.Stored(at)) is not { } delivered)
            return _call;
        await Commit(() => store.Save(delivered.Id, delivered.Stations.First(s => s.Code == station)));
        return _call = delivered;
    }

    public async Task<RollCall?> Answered(string station, DateTimeOffset at)
    {
        if (_call is null || RollCallRules.Answer(_call, station, Timestamps.Stored(at)) is not { } answered)
            return _call;
        var own = answered.Stations.First(s => s.Code == station);
        await Commit(() => store.Save(answered.Id, own, AuditLog.Row(own.AnsweredAt!.Value, null, AuditActions.AnswerRollCall, answered.Id.ToString(),
            detail: $"{answered.Title} · {station} · {Json.Word(own.Outcome)} · {RollCallRules.Response(answered, own)!.Value.TotalSeconds:0.0} s",
            actor: "system:video")));
        _call = answered;
        Tell(station, open: false);
        return answered;
    }

    public async Task<RollCall?> Close(DateTimeOffset at, Caller? by, string? clientAddress)
    {
        if (_call is null || RollCallRules.Close(_call, Timestamps.Stored(at), by?.Name) is not { } closed)
            return _call;
        var counts = string.Join(", ", closed.Stations.GroupBy(s => s.Outcome).Select(g => $"{Json.Word(g.Key)} {g.Count()}"));
        await Commit(() => store.Close(closed, AuditLog.Row(closed.ClosedAt!.Value, by, AuditActions.EndRollCall, closed.Id.ToString(),
            detail: $"{closed.Title} · {counts}", clientAddress: clientAddress, actor: Sweep)));
        _call = closed;
        foreach (var station in closed.Stations)
            Tell(station.Code, open: false);
        return closed;
    }

    private async Task Commit(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch
        {
            // What is in memory may be ahead of what was stored: the next call reloads it.
            DeactivateOnIdle();
            throw;
        }
    }

    private void Tell(string station, bool open)
    {
        var notice = new RollCallNotice(station, this.GetPrimaryKey(), open);
        GrainFactory.GetGrain<IFeedGrain>(station).PublishRollCall(notice)
            .ContinueWith(t => log.LogWarning(t.Exception, "The roll-call notice to {Station} was not sent", station), TaskContinuationOptions.OnlyOnFaulted);
    }
}
