using System.Diagnostics;
using System.Globalization;
using System.Net;
using CommandCenter.Bench;

namespace CommandCenter.Faults;

/// <summary>
/// The kill scenario (kill-node.sh): reports at a fixed rate, spread over the nodes, while the script kills one node
/// with SIGKILL and starts it again; a wall client on each node follows the county feed. Then every key re-sent, the
/// store counted in SQL, and the walls checked for a gapless feed.
/// </summary>
public static class KillScenario
{
    public static async Task<int> Run(FaultOptions options, FaultSession session, CancellationToken stop)
    {
        var product = session.Product;
        var nodes = options.Urls;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var bodies = product.Grids.Select(ProductTarget.ReportBody).ToArray();
        var attempts = Enumerable.Range(0, (int)Math.Round(options.Rate * options.Seconds))
            .Select(i => new Attempt($"fault-{runId}-{i}", bodies[i % bodies.Length], i % nodes.Count))
            .ToArray();
        var reports = new Reports(session.Http, nodes, session.ApiKey);
        var walls = new List<WallFollower>();
        try
        {
            for (var n = 0; n < nodes.Count; n++)
                walls.Add(await WallFollower.Start(nodes, n, product.County, product.Head, session.DutyToken, stop));
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"result      NOT RUN: {e.Message}");
            return 1;
        }

        long startedAt = 0;
        var restart = Restart.Watch(options, TimeSpan.FromSeconds(options.Seconds + 60), stop);
        Console.Error.WriteLine($"faults: {attempts.Length} reports at {options.Rate}/s over {nodes.Count} node(s) to {product.County} " +
            $"{product.CountyName} ({product.Grids.Count} grids)");
        await reports.Load(attempts, options.Rate, () =>
        {
            startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // Moved in whole, so that the script never reads it half written.
            File.WriteAllText(options.StartedFile + ".tmp", startedAt.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(options.StartedFile + ".tmp", options.StartedFile, overwrite: true);
        }, stop);
        var acknowledged = attempts.Where(a => a.Acknowledged).ToArray();
        var sent = attempts.Where(a => a.Sent).ToArray();

        Console.WriteLine($"kill-node   {options.Rate}/s for {options.Seconds:0.#} s through the intake path, one Idempotency-Key each, " +
            (nodes.Count == 1 ? "one node" : $"spread over {nodes.Count} web nodes, node {options.KillNode + 1} killed") + $"; county {product.County}");
        Console.WriteLine($"sent          {sent.Length,6}");
        Console.WriteLine($"acknowledged  {acknowledged.Length,6}   (2xx with an incident id)");
        var unacknowledgedSent = sent.Where(a => !a.Acknowledged).ToArray();
        var failuresLine = $"failed        {unacknowledgedSent.Length,6}   ({Tally(unacknowledgedSent)})";

        var restarted = await restart;
        if (restarted is null || stop.IsCancellationRequested)
        {
            Console.WriteLine(failuresLine);
            Console.WriteLine("result      NOT RUN: " + (stop.IsCancellationRequested ? "stopped" : Restart.Missing));
            return 1;
        }
        if (restarted.ReadyAt is not { } readyAt)
        {
            Console.WriteLine(failuresLine);
            Console.WriteLine($"result      NOT RUN: the node did not answer /health/ready within {options.ReadyTimeout:0} s of its restart");
            return 1;
        }
        // A request sent shortly before the kill may still have been on its way (its answer cut off): a second of grace.
        var outside = unacknowledgedSent.Count(a => a.Node == options.KillNode && (a.SentAt < restarted.KilledAt - 1000 || a.SentAt > readyAt));
        var survivorsFailed = unacknowledgedSent.Count(a => a.Node != options.KillNode);
        Console.WriteLine(failuresLine + (outside == 0 && survivorsFailed == 0 ? ", all sent to the killed node during the outage"
            : $", {outside} of them sent to the killed node outside the outage, {survivorsFailed} to the other node(s)"));
        Console.WriteLine($"kill        SIGKILL {(restarted.KilledAt - startedAt) / 1000.0:0.0} s into the load, started again " +
            $"{(restarted.RestartedAt - restarted.KilledAt) / 1000.0:0.0} s later (once none of its processes ran)");
        var readySeconds = (readyAt - restarted.RestartedAt) / 1000.0;
        Console.WriteLine($"ready         {readySeconds,6:0.0} s   (from the restart to the first 200 of /health/ready)");
        var backAt = acknowledged.Where(a => a.Node == options.KillNode && a.SentAt > restarted.KilledAt).Select(a => a.SentAt).DefaultIfEmpty().Min();
        var capacitySeconds = backAt == 0 ? (double?)null : (backAt - restarted.KilledAt) / 1000.0;
        if (nodes.Count > 1)
        {
            Console.WriteLine($"capacity      {(capacitySeconds is { } c ? $"{c,6:0.0} s" : "   never")}   (from the kill to the first report the killed node acknowledged again)");
            var during = sent.Where(a => a.Node != options.KillNode && a.SentAt >= restarted.KilledAt && a.SentAt <= readyAt).ToArray();
            var before = sent.Where(a => a.Node != options.KillNode && a.SentAt < restarted.KilledAt - 1000).ToArray();
            var survivorFailures = unacknowledgedSent.Where(a => a.Node != options.KillNode).Select(a => (a.SentAt - restarted.KilledAt) / 1000.0).ToArray();
            Console.WriteLine($"survivor      {survivorsFailed,6}   failed of {sent.Count(a => a.Node != options.KillNode)} sent to the other node(s)" +
                (survivorFailures.Length > 0 ? $" ({Tally(unacknowledgedSent.Where(a => a.Node != options.KillNode))}; sent {survivorFailures.Min():0.0} to {survivorFailures.Max():0.0} s after the kill)" : "") + "; " +
                $"answered in p50 {Percentile(during, 0.5):0} / p99 {Percentile(during, 0.99):0} / max {Percentile(during, 1):0} ms during the outage " +
                $"(before it: p50 {Percentile(before, 0.5):0} / p99 {Percentile(before, 0.99):0} ms)");
        }

        var store = new StoreCheck(options.Postgres);
        IReadOnlySet<Guid> lostAtRestart;
        IReadOnlyDictionary<string, (int Status, Guid? Id, string? Failure)> answers;
        FeedCount feeds;
        IReadOnlySet<Guid> absentAtEnd;
        long headAfterLoad;
        bool[] caughtUp;
        long[] appliedAtHead;
        int?[] connectedAtHead;
        TimeSpan resentIn;
        try
        {
            // Before anything is re-sent, which would report again what the restart lost.
            lostAtRestart = await store.Absent([.. acknowledged.Select(a => a.Id!.Value)], stop);
            headAfterLoad = await store.Head(product.County, stop);
            caughtUp = await Task.WhenAll(walls.Select(w => w.ReachHead(headAfterLoad, TimeSpan.FromSeconds(30))));
            appliedAtHead = [.. walls.Select(w => w.Applied)];
            connectedAtHead = [.. walls.Select(w => w.ConnectedTo)];
            var resent = Stopwatch.StartNew();
            answers = await reports.Resend(sent, concurrency: 16, tries: 5, stop);
            resentIn = resent.Elapsed;
            feeds = await store.Feeds(product.County, stop);
            absentAtEnd = await store.Absent([.. answers.Values.Where(a => a.Id is not null).Select(a => a.Id!.Value)], stop);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            Console.WriteLine($"result      NOT RUN: {e.GetType().Name}: {e.Message}");
            return 1;
        }
        finally
        {
            foreach (var wall in walls)
                await wall.DisposeAsync();
        }

        var ofAcknowledged = acknowledged.Select(a => (Acked: a, Again: answers.GetValueOrDefault(a.Key))).ToArray();
        var different = ofAcknowledged.Count(x => x.Again.Id is { } id && id != x.Acked.Id);
        var madeAgain = ofAcknowledged.Where(x => x.Again.Status == (int)HttpStatusCode.Created).Select(x => x.Acked.Id!.Value);
        var lost = lostAtRestart.Union(madeAgain).Union(absentAtEnd).Count();
        var unanswered = sent.Count(a => answers.GetValueOrDefault(a.Key).Id is null);
        var unacknowledged = unacknowledgedSent.Select(a => answers.GetValueOrDefault(a.Key)).ToArray();
        Console.WriteLine($"re-sent       {answers.Count,6}   every key sent, same body, in {resentIn.TotalSeconds:0.0} s: " +
            $"{ofAcknowledged.Count(x => x.Again.Status == (int)HttpStatusCode.OK)} acknowledged ones replayed (200); of the unacknowledged, " +
            $"{unacknowledged.Count(a => a.Status == (int)HttpStatusCode.OK)} had been stored (200), " +
            $"{unacknowledged.Count(a => a.Status == (int)HttpStatusCode.Created)} were new (201); {unanswered} without an incident id");
        Console.WriteLine($"lost          {lost,6}   (acknowledged, then absent from cc_incident, or made anew (201) when re-sent)");
        Console.WriteLine($"doubled       {feeds.County.Doubled,6}   (incidents with more than one incident.reported entry on the county feed)");
        Console.WriteLine($"missing       {feeds.County.Missing,6}   (incidents in cc_incident without an incident.reported entry on the county feed)");
        Console.WriteLine($"different     {different,6}   (acknowledged keys answered with another incident when re-sent)");
        Console.WriteLine($"feed gaps     {feeds.County.Gaps,6}   (sequence numbers 1..{feeds.CountyHead} without an entry on the county feed, or entries past it)");
        Console.WriteLine($"other feeds   {feeds.Others.Doubled} doubled, {feeds.Others.Missing} missing, {feeds.Others.Gaps} gaps " +
            $"over {feeds.OtherFeeds} township, village and grid feeds");
        var wallsFailed = 0;
        for (var n = 0; n < walls.Count; n++)
        {
            var wall = walls[n];
            var ok = caughtUp[n] && !wall.Resynced;
            wallsFailed += ok ? 0 : 1;
            Console.WriteLine($"wall {n + 1}        {(ok ? "gapless" : "NOT CAUGHT UP")}: county feed {product.Head + 1}..{headAfterLoad} applied up to {appliedAtHead[n]}" +
                (wall.Waiting > 0 ? $", {wall.Waiting} waiting past a missing number" : "") + $", {wall.Duplicates} duplicates ignored" +
                (wall.GapRefills > 0 ? $", {wall.GapRefills} gap(s) refilled by subscribing again after {WallFollower.GapTimeout.TotalSeconds:0} s" : "") +
                (wall.DroppedAt is { } dropped
                    ? $"; dropped {(dropped - restarted.KilledAt) / 1000.0:0.0} s after the kill, subscribed again " +
                      (wall.BackAt is { } back ? $"{(back - dropped) / 1000.0:0.0} s later, on node {connectedAtHead[n] + 1}" : "never")
                    : "; never dropped") + (wall.Resynced ? "; told to resync (too far behind to replay)" : ""));
        }

        var capacityMissed = nodes.Count > 1 && capacitySeconds is not (not null and <= 60);
        var failed = lost != 0 || different != 0 || unanswered != 0 || feeds.County.Any || feeds.Others.Any || wallsFailed != 0
            || survivorsFailed != 0 || capacityMissed;
        Console.WriteLine($"result      {(failed ? "FAILED" : "passed")}: sent {sent.Length}, acknowledged {acknowledged.Length}, " +
            $"failed {unacknowledgedSent.Length}, lost {lost}, doubled {feeds.County.Doubled}, missing {feeds.County.Missing}, " +
            $"different {different}, feed gaps {feeds.County.Gaps}" +
            (feeds.Others.Any ? ", faults on other feeds" : "") + (unanswered != 0 ? $", {unanswered} keys not answered when re-sent" : "") +
            (wallsFailed != 0 ? $", {wallsFailed} wall(s) not caught up" : ", walls gapless") +
            (nodes.Count > 1 ? $", survivor failed {survivorsFailed}, capacity back {(capacitySeconds is { } s ? $"{s:0.0} s" : "never")} after the kill" : "") +
            $", ready {readySeconds:0.0} s after the restart");
        return failed ? 1 : 0;
    }

    /// <summary>"refused 330, connection lost 19": failures counted by kind, most first.</summary>
    private static string Tally(IEnumerable<Attempt> failures) =>
        string.Join(", ", failures.GroupBy(a => a.Failure ?? "?").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")
            .DefaultIfEmpty("none"));

    private static double Percentile(IReadOnlyCollection<Attempt> attempts, double q)
    {
        if (attempts.Count == 0)
            return double.NaN;
        var sorted = attempts.Select(a => a.Took).Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
