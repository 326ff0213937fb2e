using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CommandCenter.Geography;
using CommandCenter.Tracks;
using Microsoft.Extensions.Options;

namespace CommandCenter.Patrols;

/// <summary>A grid's patrol over a period: its tally, and who of its people patrolled or checked in.</summary>
public sealed record GridPatrol(string GridCode, PatrolTally Tally, IReadOnlyList<string> PatrolledBy);

/// <summary>
/// Gathers the evidence of patrols over a period (a window at its end, or so far) and tallies it per grid by
/// <see cref="PatrolRules"/>: the sessions overlapping it, the positions of those people from the track history
/// (<see cref="TrackStore"/>, from one <see cref="PatrolOptions.PositionGap"/> before the period, so a position just
/// before it vouches for its start), the check-ins in it and the grids' checkpoints. Reads happen here, when asked
/// (at a window's end, or for one person's grid); nothing of it runs on the intake of reports or positions.
/// </summary>
public sealed class PatrolEvaluator(PatrolStore store, TrackStore tracks, IOptions<PatrolOptions> options, IOptions<TrackOptions> trackOptions)
{
    private const int ReadsAtOnce = 4;

    private readonly ConditionalWeakTable<JurisdictionTree, ConcurrentDictionary<string, PatrolSectors>> _sectors = new();

    /// <summary>The grids' patrols over the period (each grid of <paramref name="grids"/>, in that order).</summary>
    public async Task<IReadOnlyList<GridPatrol>> Evaluate(Period period, IReadOnlyList<string> grids, JurisdictionTree tree)
    {
        var wanted = grids.ToHashSet(StringComparer.Ordinal);
        var one = grids.Count == 1 ? grids[0] : null;
        var sessions = (await store.Sessions(period, one)).Where(s => wanted.Contains(s.GridCode)).ToList();
        var checkIns = (await store.CheckIns(period, one is null ? null : grids)).Where(c => wanted.Contains(c.GridCode)).ToList();
        var checkpoints = (await store.Checkpoints(one is null ? null : grids)).ToLookup(c => c.GridCode);

        var gap = options.Value.PositionGap;
        var traces = new ConcurrentBag<(string Grid, string Worker, PatrolTrace Trace)>();
        foreach (var chunk in sessions.GroupBy(s => (s.WorkerId, s.GridCode)).Chunk(ReadsAtOnce))
        {
            await Task.WhenAll(chunk.Select(async person =>
            {
                var sectors = SectorsOf(tree, person.Key.GridCode);
                if (sectors is null)
                    return;
                var positions = await tracks.Read(person.Key.WorkerId, period.From - gap, period.To, trackOptions.Value.MaxRecorded);
                var trace = PatrolRules.Trace(person.Select(s => s.Period), positions, period, p => sectors.Inside(p.Lat, p.Lng), gap);
                traces.Add((person.Key.GridCode, person.Key.WorkerId, trace));
            }));
        }

        var tracesByGrid = traces.ToLookup(t => t.Grid);
        var checkInsByGrid = checkIns.ToLookup(c => c.GridCode);
        return grids.Select(code =>
        {
            var sectors = SectorsOf(tree, code);
            var gridTraces = tracesByGrid[code].ToList();
            var gridCheckIns = checkInsByGrid[code].ToList();
            var visitedSectors = gridTraces.SelectMany(t => t.Trace.Counted).Select(p => sectors?.SectorOf(p.Lat, p.Lng)).OfType<int>().Distinct().Count();
            var visitedCheckpoints = gridCheckIns.Where(c => c.Kind == CheckInKind.Checkpoint).Select(c => c.Checkpoint).OfType<int>().Distinct().Count();
            var tally = new PatrolTally(PatrolRules.Total(gridTraces.SelectMany(t => t.Trace.InGrid)), visitedSectors, sectors?.Count ?? 0,
                visitedCheckpoints, checkpoints[code].Count(), gridCheckIns.Count);
            var by = gridTraces.Where(t => t.Trace.InGrid.Count > 0).Select(t => t.Worker).Concat(gridCheckIns.Select(c => c.WorkerId))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new GridPatrol(code, tally, by);
        }).ToList();
    }

    /// <summary>The grid's sectors (kept per tree), or null when it is not a grid of the tree.</summary>
    private PatrolSectors? SectorsOf(JurisdictionTree tree, string code) =>
        tree.Find(code) is { Level: JurisdictionLevel.Grid } grid
            ? _sectors.GetOrCreateValue(tree).GetOrAdd(code, _ => new PatrolSectors(grid.Geometry, options.Value.CoverageDivisions))
            : null;
}
