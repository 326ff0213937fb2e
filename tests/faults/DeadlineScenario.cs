using CommandCenter.Bench;

namespace CommandCenter.Faults;

/// <summary>
/// The whole cluster down across SLA deadlines (fault.sh --fault deadlines). The script runs every node of the command
/// center with a fake clock (libfaketime) and moves it on at each step this client asks for: batch A is filed on the
/// working day before its deadline (<see cref="FaultOptions.Due"/>, 24:00 China time); the cluster is stopped and
/// started minutes before that deadline, where nothing may be recorded yet and batch B (due a working day later) is
/// filed; then every node is killed (SIGKILL) and started again with the clock <see cref="FaultOptions.Down"/> seconds
/// on, past A's deadline. From that restart the store is polled until every incident of A has its missed deadline
/// recorded; each must be within <see cref="RecordWithinSeconds"/>, exactly once, and none of B; a few sweeps later,
/// and once more after a further restart, still exactly once. Every acknowledged incident must be stored and every
/// feed gapless, as in the other scenarios.
/// </summary>
public static class DeadlineScenario
{
    /// <summary>How soon after the restart every missed deadline must be recorded.</summary>
    public const double RecordWithinSeconds = 60;

    /// <summary>How long the store is polled past <see cref="RecordWithinSeconds"/>, so that a late record is seen and timed.</summary>
    private const double PollPastSeconds = 30;

    /// <summary>The product's deadline sweep interval (WorkflowOptions.SweepInterval, not set by fault.sh).</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>How many sweep intervals pass before the records are counted again: after the watch from the kill on ended, and after the last restart.</summary>
    private const int SweepsBeforeRecount = 3;

    /// <summary>How long the script may take to stop or kill the cluster and start it again.</summary>
    private static readonly TimeSpan StepWithin = TimeSpan.FromSeconds(240);

    public static async Task<int> Run(FaultOptions options, FaultSession session, CancellationToken stop)
    {
        var product = session.Product;
        var nodes = options.Urls;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var bodies = product.Grids.Select(ProductTarget.ReportBody).ToArray();
        Attempt[] Batch(string name) => [.. Enumerable.Range(0, (int)Math.Round(options.Rate * options.Seconds))
            .Select(i => new Attempt($"deadline-{runId}-{name}-{i}", bodies[i % bodies.Length], i % nodes.Count))];
        var reports = new Reports(session.Http, nodes, session.ApiKey);
        var store = new StoreCheck(options.Postgres);
        var a = Batch("a");
        var b = Batch("b");
        Console.Error.WriteLine($"faults: deadlines, two batches of {a.Length} reports at {options.Rate}/s over {nodes.Count} node(s) to " +
            $"{product.County} {product.CountyName}; batch A due {Cst(options.Due)}");
        Console.WriteLine($"{options.Fault,-11} two batches of {a.Length} reports at {options.Rate}/s through the intake path, one Idempotency-Key each, " +
            (nodes.Count == 1 ? "one web node" : $"spread over {nodes.Count} web nodes") + $", the command center on a fake clock; county {product.County}");
        try
        {
            await reports.Load(a, options.Rate, () => { }, stop);
            var aIds = Ids(a);
            var aDues = await store.Dues(aIds, stop);
            var wrongDue = aIds.Count(id => !aDues.TryGetValue(id, out var row) || row.Due != options.Due);
            Console.WriteLine($"batch A       {aIds.Count,6}   acknowledged of {a.Length}, filed {Span(aDues.Values.Select(r => r.ReportedAt))}; " +
                $"{aIds.Count - wrongDue} due {Cst(options.Due)}, {wrongDue} due otherwise");

            if (await Step(options, "a-filed", stop) is not { ReadyAt: not null })
                return NotRun(options, "a-filed");
            var atStart = Recorded(await store.Missed(aIds, product.County, stop));
            await reports.Load(b, options.Rate, () => { }, stop);
            var bIds = Ids(b);
            var bDues = await store.Dues(bIds, stop);
            var bLate = bIds.Count(id => !bDues.TryGetValue(id, out var row) || row.ReportedAt >= options.Due || row.Due <= options.Due);
            var beforeKill = Recorded(await store.Missed([.. aIds, .. bIds], product.County, stop));
            Console.WriteLine($"batch B       {bIds.Count,6}   acknowledged of {b.Length}, filed {Span(bDues.Values.Select(r => r.ReportedAt))} after the cluster was " +
                $"stopped and started again; due {Span(bDues.Values.Select(r => r.Due))}; {bLate} filed at or after A's deadline or due by it");
            Console.WriteLine($"before        {beforeKill,6}   incidents of A and B with a missed deadline recorded before the kill, after B was filed " +
                $"({atStart} of A when the cluster was up again)");

            // The store is watched from the kill on, so that records made before the nodes answer ready are timed too.
            var watching = Watch(store, aIds, product.County, StepPath(options, "b-filed") + ".done", stop);
            if (await Step(options, "b-filed", stop) is not { } outage)
                return NotRun(options, "b-filed");
            Console.WriteLine($"fault       every node of the cluster killed (SIGKILL), started again {(outage.RestartedAt - outage.KilledAt) / 1000.0:0.0} s later " +
                $"with the fake clock {options.Down:0} s on, past A's deadline");
            if (outage.ReadyAt is not { } readyAt)
                return NotRun(options, "b-filed");
            var readySeconds = (readyAt - outage.RestartedAt) / 1000.0;
            Console.WriteLine($"ready         {readySeconds,6:0.0} s   (from the restart to /health/ready answering 200 on every web node)");

            var seen = await watching;
            var fromRestart = seen.Values.Select(t => (t - outage.RestartedAt) / 1000.0).Order().ToArray();
            var late = fromRestart.Count(s => s > RecordWithinSeconds);
            Console.WriteLine($"recorded      {seen.Count,6}   of {aIds.Count} incidents of A with their missed deadline recorded, " +
                (fromRestart.Length == 0 ? "none" : $"from the restart p50 {Percentile(fromRestart, 0.5):0.0} / max {fromRestart[^1]:0.0} s, " +
                    FromReady((seen.Values.Max() - readyAt) / 1000.0)) +
                $"; {late} later than {RecordWithinSeconds:0} s, {aIds.Count - seen.Count} not within {RecordWithinSeconds + PollPastSeconds:0} s");

            await Task.Delay(SweepInterval * SweepsBeforeRecount, stop);
            var afterSweeps = await Once(store, aIds, bIds, product.County, stop);
            Console.WriteLine($"once          {afterSweeps.Describe()} ({SweepsBeforeRecount} sweep intervals after the watch ended)");

            if (await Step(options, "recorded", stop) is not { ReadyAt: not null })
                return NotRun(options, "recorded");
            await Task.Delay(SweepInterval * SweepsBeforeRecount, stop);
            var afterRestart = await Once(store, aIds, bIds, product.County, stop);
            Console.WriteLine($"again         {afterRestart.Describe()} (the cluster stopped and started once more, {SweepsBeforeRecount} sweep intervals after ready)");

            var lost = (await store.Absent([.. aIds, .. bIds], stop)).Count;
            var feeds = await store.Feeds(product.County, stop);
            Console.WriteLine($"lost          {lost,6}   (acknowledged, then absent from cc_incident)");
            feeds.Print();

            var unacknowledged = a.Length - aIds.Count + b.Length - bIds.Count;
            var failed = unacknowledged != 0 || wrongDue != 0 || bLate != 0 || atStart != 0 || beforeKill != 0 || seen.Count != aIds.Count || late != 0
                || !afterSweeps.Held || !afterRestart.Held || lost != 0 || feeds.County.Any || feeds.Others.Any;
            Console.WriteLine($"result      {(failed ? "FAILED" : "passed")}: sent {a.Length + b.Length}, acknowledged {aIds.Count + bIds.Count}, " +
                $"A due {Cst(options.Due)} ({wrongDue} otherwise), {beforeKill} recorded before the kill, " +
                $"{seen.Count} of {aIds.Count} recorded after the restart, max {(fromRestart.Length == 0 ? "-" : $"{fromRestart[^1]:0.0} s")} " +
                $"({late} later than {RecordWithinSeconds:0} s); once: {afterSweeps.Summary}; after one more restart: {afterRestart.Summary}; " +
                $"lost {lost}, doubled {feeds.County.Doubled}, missing {feeds.County.Missing}, feed gaps {feeds.County.Gaps}" +
                (feeds.Others.Any ? ", faults on other feeds" : "") + $", ready {readySeconds:0.0} s after the restart");
            return failed ? 1 : 0;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            Console.WriteLine($"result      NOT RUN: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>How the records of the two batches stood at one count: A must have exactly one each, B none.</summary>
    private sealed record OnceCount(int AOnce, int ANone, int AMore, int BAny, int EntriesOff)
    {
        public bool Held => ANone == 0 && AMore == 0 && BAny == 0 && EntriesOff == 0;

        public string Summary => $"A {AOnce} once, {ANone} none, {AMore} more; B {BAny} recorded; {EntriesOff} feed entries off";

        public string Describe() => $"{AOnce,6}   of A recorded exactly once, {ANone} not at all, {AMore} more than once; {BAny} of B recorded; " +
            $"{EntriesOff} incidents whose incident.supervised entries on the county feed differ from their records";
    }

    private static async Task<OnceCount> Once(StoreCheck store, IReadOnlyList<Guid> a, IReadOnlyList<Guid> b, string county, CancellationToken stop)
    {
        var counts = await store.Missed([.. a, .. b], county, stop);
        var ofA = a.Select(id => counts[id]).ToArray();
        return new OnceCount(ofA.Count(c => c.Events == 1), ofA.Count(c => c.Events == 0), ofA.Count(c => c.Events > 1),
            b.Count(id => counts[id].Events != 0), counts.Values.Count(c => c.CountyEntries != c.Events));
    }

    /// <summary>
    /// When each of <paramref name="ids"/> first had a missed deadline recorded (Unix ms), the store asked every 250 ms
    /// until all have, or <see cref="RecordWithinSeconds"/> + <see cref="PollPastSeconds"/> after the restart that
    /// <paramref name="restartFile"/> tells (or <see cref="StepWithin"/> when it does not come).
    /// </summary>
    private static async Task<Dictionary<Guid, long>> Watch(StoreCheck store, IReadOnlyList<Guid> ids, string county, string restartFile,
        CancellationToken stop)
    {
        var seen = new Dictionary<Guid, long>();
        var until = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)StepWithin.TotalMilliseconds;
        while (seen.Count < ids.Count && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < until)
        {
            var counts = await store.Missed(ids, county, stop);
            var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var (id, count) in counts)
            {
                if (count.Events > 0)
                    seen.TryAdd(id, at);
            }
            if (Restart.Read(restartFile) is { } times)
                until = times.Restarted + (long)((RecordWithinSeconds + PollPastSeconds) * 1000);
            await Task.Delay(250, stop);
        }
        return seen;
    }

    /// <summary>
    /// Asks the script to stop or kill the cluster and start it again (writes <c>steps/NAME</c>) and waits for its
    /// answer (<c>steps/NAME.done</c>) and for every web node to be ready. Null when the script did not answer.
    /// </summary>
    private static async Task<Restarted?> Step(FaultOptions options, string name, CancellationToken stop)
    {
        var path = StepPath(options, name);
        await File.WriteAllTextAsync(path + ".tmp", "", stop);
        File.Move(path + ".tmp", path, overwrite: true);
        return await Restart.Watch(path + ".done", options.Urls, options.ReadyTimeout, StepWithin, stop);
    }

    private static string StepPath(FaultOptions options, string name) => Path.Combine(options.Steps, name);

    private static int NotRun(FaultOptions options, string step)
    {
        Console.WriteLine($"result      NOT RUN: after step {step} the script did not start the cluster again, or it was not ready " +
            $"within {options.ReadyTimeout:0} s");
        return 1;
    }

    private static List<Guid> Ids(IEnumerable<Attempt> attempts) => [.. attempts.Where(x => x.Acknowledged).Select(x => x.Id!.Value)];

    private static int Recorded(IReadOnlyDictionary<Guid, MissedCount> counts) => counts.Values.Count(c => c.Events != 0 || c.CountyEntries != 0);

    private static string FromReady(double seconds) =>
        seconds >= 0 ? $"the last {seconds:0.0} s after ready" : $"the last {-seconds:0.0} s before ready";

    private static string Cst(DateTimeOffset instant) => $"{instant.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} CST";

    private static string Span(IEnumerable<DateTimeOffset> instants)
    {
        var all = instants.Order().ToArray();
        return all.Length == 0 ? "-" : all[0] == all[^1] ? Cst(all[0]) : $"{Cst(all[0])} to {Cst(all[^1])}";
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
