using System.Diagnostics;
using System.Globalization;
using System.Net;
using CommandCenter.Bench;

namespace CommandCenter.Faults;

/// <summary>
/// A fault under load (fault.sh): reports at a fixed rate, spread over the web nodes, while the script injects the
/// fault and ends it (kills a web node and starts it again, or stops PostgreSQL or Redis and starts it again); a wall
/// client on each web node follows the county feed. Then every key re-sent, the store counted in SQL, the walls checked
/// for a gapless feed, and what the fault asks of the product judged (<see cref="FaultOptions.Fault"/>).
/// </summary>
public static class FaultScenario
{
    /// <summary>The longest a report may wait for its answer while PostgreSQL is down.</summary>
    public const double AnswerWithinMs = 2000;

    /// <summary>How soon after PostgreSQL is back reports must be acknowledged again, without anyone restarting anything.</summary>
    public const double RecoverWithinSeconds = 30;

    public static async Task<int> Run(FaultOptions options, FaultSession session, CancellationToken stop)
    {
        var kill = options.Fault == FaultOptions.Kill;
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
        var health = new HealthWatch();
        using var loadOver = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var watching = health.Run(nodes[0], loadOver.Token);
        Console.Error.WriteLine($"faults: {attempts.Length} reports at {options.Rate}/s over {nodes.Count} node(s) to {product.County} " +
            $"{product.CountyName} ({product.Grids.Count} grids)");
        await reports.Load(attempts, options.Rate, () =>
        {
            startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // Moved in whole, so that the script never reads it half written.
            File.WriteAllText(options.StartedFile + ".tmp", startedAt.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(options.StartedFile + ".tmp", options.StartedFile, overwrite: true);
        }, stop);
        await loadOver.CancelAsync();
        await watching;
        var acknowledged = attempts.Where(a => a.Acknowledged).ToArray();
        var sent = attempts.Where(a => a.Sent).ToArray();

        Console.WriteLine($"{options.Fault,-11} {options.Rate}/s for {options.Seconds:0.#} s through the intake path, one Idempotency-Key each, " +
            (nodes.Count == 1 ? "one web node" : $"spread over {nodes.Count} web nodes") +
            (kill ? $", web node {options.KillNode + 1} killed" : $", {options.Fault} stopped") + $"; county {product.County}");
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
        // A request sent shortly before the fault may still have been on its way (its answer cut off): a second of grace.
        var outside = unacknowledgedSent.Count(a => (!kill || a.Node == options.KillNode) && (a.SentAt < restarted.KilledAt - 1000 || a.SentAt > readyAt));
        var survivorsFailed = kill ? unacknowledgedSent.Count(a => a.Node != options.KillNode) : 0;
        Console.WriteLine(failuresLine + (outside == 0 && survivorsFailed == 0
            ? (unacknowledgedSent.Length == 0 ? "" : kill ? ", all sent to the killed node during the outage" : ", all sent during the outage")
            : kill ? $", {outside} of them sent to the killed node outside the outage, {survivorsFailed} to the other node(s)"
            : $", {outside} of them sent outside the outage"));
        var what = kill ? "SIGKILL to the web node" : $"{options.Fault} stopped";
        Console.WriteLine($"fault       {what} {(restarted.KilledAt - startedAt) / 1000.0:0.0} s into the load, started again " +
            $"{(restarted.RestartedAt - restarted.KilledAt) / 1000.0:0.0} s later");
        var readySeconds = (readyAt - restarted.RestartedAt) / 1000.0;
        Console.WriteLine($"ready         {readySeconds,6:0.0} s   (from the restart to the first 200 of the {(kill ? "killed " : "")}node's /health/ready)");
        var outage = sent.Where(a => a.SentAt >= restarted.KilledAt && a.SentAt <= restarted.RestartedAt).ToArray();
        var slow = outage.Count(a => a.Took > AnswerWithinMs);
        var unclean = unacknowledgedSent.Count(a => a.Failure != "503");
        var firstAckAfter = acknowledged.Where(a => a.SentAt >= restarted.RestartedAt).Select(a => a.SentAt).DefaultIfEmpty().Min();
        var recoveredSeconds = firstAckAfter == 0 ? (double?)null : (firstAckAfter - restarted.RestartedAt) / 1000.0;
        var failedAfterRecovery = unacknowledgedSent.Count(a => firstAckAfter != 0 && a.SentAt > firstAckAfter + 1000);
        if (!kill)
        {
            Console.WriteLine($"outage        {outage.Length,6}   sent while {options.Fault} was down: {outage.Count(a => a.Acknowledged)} acknowledged, answered in " +
                $"p50 {Percentile(outage, 0.5):0} / p99 {Percentile(outage, 0.99):0} / max {Percentile(outage, 1):0} ms" +
                (options.Fault == FaultOptions.PostgresDown ? $"; {slow} took longer than {AnswerWithinMs:0} ms" : ""));
            var healthAnswers = health.Between(restarted.KilledAt + 2000, restarted.RestartedAt).GroupBy(h => h.Describe()).Select(g => $"{g.Count()} x {g.Key}");
            Console.WriteLine($"health        /health/ready of node 1 while {options.Fault} was down (from 2 s after the stop): {string.Join("; ", healthAnswers.DefaultIfEmpty("not asked"))}");
            Console.WriteLine($"recovered     {(recoveredSeconds is { } r ? $"{r,6:0.0} s" : "   never")}   (from {options.Fault}'s restart to the first report acknowledged again; " +
                $"{failedAfterRecovery} failed later, nothing restarted the app)");
        }
        var backAt = acknowledged.Where(a => a.Node == options.KillNode && a.SentAt > restarted.KilledAt).Select(a => a.SentAt).DefaultIfEmpty().Min();
        var capacitySeconds = backAt == 0 ? (double?)null : (backAt - restarted.KilledAt) / 1000.0;
        if (kill && nodes.Count > 1)
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
            $"{unacknowledged.Count(a => a.Status == (int)HttpStatusCode.Created)} were new (201); {unanswered} without an incident id" +
            (unanswered == 0 ? "" : $" ({string.Join(", ", sent.Select(a => answers.GetValueOrDefault(a.Key)).Where(a => a.Id is null)
                .GroupBy(a => a.Failure ?? "not re-sent").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))})"));
        Console.WriteLine($"lost          {lost,6}   (acknowledged, then absent from cc_incident, or made anew (201) when re-sent)");
        Console.WriteLine($"different     {different,6}   (acknowledged keys answered with another incident when re-sent)");
        feeds.Print();
        var wallsFailed = 0;
        for (var n = 0; n < walls.Count; n++)
        {
            var wall = walls[n];
            // A resync (the wall reloads and goes on from the head) is a wall's answer to missing more than a replay holds:
            // right for a wall on another node while Redis was down, a fault anywhere else.
            var ok = caughtUp[n] && (wall.Resyncs == 0 || options.Fault == FaultOptions.RedisDown);
            wallsFailed += ok ? 0 : 1;
            Console.WriteLine($"wall {n + 1}        {(ok ? wall.Resyncs > 0 ? "caught up" : "gapless" : "NOT CAUGHT UP")}: county feed {product.Head + 1}..{headAfterLoad} applied up to {appliedAtHead[n]}" +
                (wall.Waiting > 0 ? $", {wall.Waiting} waiting past a missing number" : "") + $", {wall.Duplicates} duplicates ignored" +
                (wall.GapRefills > 0 ? $", {wall.GapRefills} gap(s) refilled by subscribing again after {WallFollower.GapTimeout.TotalSeconds:0} s" : "") +
                (wall.DroppedAt is { } dropped
                    ? $"; dropped {(dropped - restarted.KilledAt) / 1000.0:0.0} s after the kill, subscribed again " +
                      (wall.BackAt is { } back ? $"{(back - dropped) / 1000.0:0.0} s later, on node {connectedAtHead[n] + 1}" : "never")
                    : "; never dropped") + (wall.Resyncs > 0 ? $"; resynced {wall.Resyncs} time(s) (too far behind to replay: went on from the head, {wall.Skipped} numbers skipped)" : "") +
                (kill ? "" : $"; applied {wall.AppliedAt(restarted.RestartedAt) - wall.AppliedAt(restarted.KilledAt)} entries while {options.Fault} was down"));
        }

        var capacityMissed = kill && nodes.Count > 1 && capacitySeconds is not (not null and <= 60);
        var faultMissed = options.Fault switch
        {
            FaultOptions.PostgresDown => slow != 0 || unclean != 0 || recoveredSeconds is not (not null and <= RecoverWithinSeconds) || failedAfterRecovery != 0,
            FaultOptions.RedisDown => unacknowledgedSent.Length != 0 || walls.All(w => w.AppliedAt(restarted.RestartedAt) <= w.AppliedAt(restarted.KilledAt))
                || health.Between(restarted.KilledAt + 2000, restarted.RestartedAt) is var during
                && (during.Count == 0 || during.Any(h => h.Status != 200 || h.Overall != "Degraded" || !h.NotHealthy.StartsWith("redis:", StringComparison.Ordinal))),
            _ => false,
        };
        var failed = lost != 0 || different != 0 || unanswered != 0 || feeds.County.Any || feeds.Others.Any || wallsFailed != 0
            || survivorsFailed != 0 || capacityMissed || faultMissed;
        Console.WriteLine($"result      {(failed ? "FAILED" : "passed")}: sent {sent.Length}, acknowledged {acknowledged.Length}, " +
            $"failed {unacknowledgedSent.Length}, lost {lost}, doubled {feeds.County.Doubled}, missing {feeds.County.Missing}, " +
            $"different {different}, feed gaps {feeds.County.Gaps}" +
            (feeds.Others.Any ? ", faults on other feeds" : "") + (unanswered != 0 ? $", {unanswered} keys not answered when re-sent" : "") +
            (wallsFailed != 0 ? $", {wallsFailed} wall(s) not caught up"
                : walls.Any(w => w.Resyncs > 0) ? $", walls caught up ({walls.Count(w => w.Resyncs > 0)} resynced)" : ", walls gapless") +
            (kill && nodes.Count > 1 ? $", survivor failed {survivorsFailed}, capacity back {(capacitySeconds is { } s ? $"{s:0.0} s" : "never")} after the kill" : "") +
            (options.Fault == FaultOptions.PostgresDown ? $", {slow} answers slower than {AnswerWithinMs:0} ms, {unclean} failures other than 503 problem+json with Retry-After, " +
                $"recovered {(recoveredSeconds is { } rs ? $"{rs:0.0} s" : "never")} after PostgreSQL was back" : "") +
            (options.Fault == FaultOptions.RedisDown ? $", {unacknowledgedSent.Length} reports refused while Redis was down" : "") +
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
