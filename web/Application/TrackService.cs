using CommandCenter.Access;
using CommandCenter.Tracks;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Application;

/// <summary>The period of a track: <c>?from=&amp;to=</c>, ISO 8601.</summary>
public sealed record TrackQuery(string? From, string? To);

/// <summary>
/// A person's simplified track over a period: the kept points with their times, how many positions were recorded
/// and the tolerance the line keeps to.
/// </summary>
public sealed record Track(string WorkerId, string Name, DateTimeOffset From, DateTimeOffset To, double ToleranceMetres, int Recorded,
    IReadOnlyList<TrackPoint> Points);

/// <summary>Track history (轨迹回放): where a person went over a period, for playback on the wall; every read is audited (<see cref="ReadAudit"/>).</summary>
public sealed class TrackService(WorkerService workers, TrackStore store, IOptions<TrackOptions> options, ReadAudit reads)
{
    /// <remarks>A person outside the caller's jurisdiction is "not found" (<see cref="WorkerService.Visible"/>).</remarks>
    public async Task<Outcome<Track>> Read(Actor actor, string id, TrackQuery query)
    {
        if (workers.Visible(actor.Caller, id) is not { } worker)
            return WorkerService.NoWorker(id);

        var errors = new Dictionary<string, string[]>();
        var from = QueryTime.Read("from", query.From, errors);
        var to = QueryTime.Read("to", query.To, errors);
        if (query.From is null or "")
            errors["from"] = ["Required: " + QueryTime.Expected];
        if (query.To is null or "")
            errors["to"] = ["Required: " + QueryTime.Expected];
        var maxPeriod = options.Value.MaxPeriod;
        if (from is { } start && to is { } end)
        {
            if (end <= start)
                errors["to"] = ["Must be after from."];
            else if (end - start > maxPeriod)
                errors["to"] = [$"At most {maxPeriod.TotalDays:0.#} days after from."];
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);

        var (tolerance, max) = (options.Value.ToleranceMetres, options.Value.MaxRecorded);
        await reads.Record(actor, AuditActions.ReadTrack, "worker:" + worker.Id, $"{worker.Name} · {from:O} – {to:O}");
        var recorded = await store.Read(worker.Id, from!.Value, to!.Value, max + 1);
        if (recorded.Count > max)
            return Refusal.Invalid("to", $"More than {max} positions recorded in this period: choose a shorter one.");
        return new Track(worker.Id, worker.Name, from.Value, to.Value, tolerance, recorded.Count,
            TrackSimplification.Simplify(recorded, tolerance));
    }
}
