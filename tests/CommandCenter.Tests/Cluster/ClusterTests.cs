using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Cluster;

/// <summary>The grains on the real PostgreSQL providers, through silo restarts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Two_silos_form_one_cluster_through_the_postgres_membership_table()
    {
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);

        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = $1 AND status = $2");
        cmd.Parameters.Add(new() { Value = fixture.Cluster.Options.ClusterId });
        cmd.Parameters.Add(new() { Value = (int)SiloStatus.Active });
        Assert.Equal(2L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Incidents_and_feeds_survive_a_restart_of_every_silo()
    {
        var (grid, county) = ($"t-grid-{Guid.NewGuid():N}", $"t-county-{Guid.NewGuid():N}");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var id = IncidentIds.FromIdempotencyKey("user:cluster-test", Guid.NewGuid().ToString());
            var result = await Grains.GetGrain<IIncidentGrain>(id).Report(Report($"重启前{i}", grid, county));
            Assert.Equal(ReportOutcome.Created, result.Outcome);
            ids.Add(id);
        }

        foreach (var silo in fixture.Cluster.Silos.ToList())
            await fixture.Cluster.RestartSiloAsync(silo);
        await fixture.Cluster.InitializeClientAsync();

        for (var i = 0; i < 3; i++)
        {
            var stored = await Grains.GetGrain<IIncidentGrain>(ids[i]).Get();
            Assert.Equal($"重启前{i}", stored!.Title);
            Assert.Equal([grid, county], stored.Path);
        }
        var after = IncidentIds.FromIdempotencyKey("user:cluster-test", Guid.NewGuid().ToString());
        await Grains.GetGrain<IIncidentGrain>(after).Report(Report("重启后", grid, county));

        foreach (var code in new[] { grid, county })
        {
            var page = await Grains.GetGrain<IFeedGrain>(code).Read(0, 100);
            Assert.Equal([1L, 2, 3, 4], page.Entries.Select(e => e.Sequence));
            Assert.Equal([.. ids, after], page.Entries.Select(e => e.Incident.Id));
            Assert.Equal(4, page.Head);
        }
    }

    [Fact]
    public async Task A_retried_report_neither_duplicates_the_incident_nor_its_feed_entry()
    {
        var grid = $"t-grid-{Guid.NewGuid():N}";
        var incident = Grains.GetGrain<IIncidentGrain>(IncidentIds.FromIdempotencyKey("user:cluster-test", Guid.NewGuid().ToString()));
        var report = Report("重复提交", grid);

        var first = await incident.Report(report);
        var retry = await incident.Report(report);
        var reused = await incident.Report(report with { Title = "不同的事" });

        Assert.Equal(ReportOutcome.Created, first.Outcome);
        Assert.Equal(ReportOutcome.Replayed, retry.Outcome);
        Assert.Equal(ReportOutcome.KeyReused, reused.Outcome);
        Assert.Equal("重复提交", reused.Incident.Title);
        var page = await Grains.GetGrain<IFeedGrain>(grid).Read(0, 100);
        Assert.Single(page.Entries);
    }

    [Fact]
    public async Task Concurrent_reports_share_commits_and_leave_every_feed_gapless_without_duplicates_and_counted()
    {
        var (grid, county) = ($"t-busy-{Guid.NewGuid():N}", $"t-busy-county-{Guid.NewGuid():N}");
        var keys = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid().ToString()).ToList();
        Task<ReportResult> Send(string key, int i) =>
            Grains.GetGrain<IIncidentGrain>(IncidentIds.FromIdempotencyKey("user:cluster-test", key)).Report(Report($"并发{i}", grid, county));

        var results = await Task.WhenAll(keys.Select(Send).Concat(keys.Take(50).Select(Send)));

        Assert.Equal(300, results.Count(r => r.Outcome == ReportOutcome.Created));
        Assert.Equal(50, results.Count(r => r.Outcome == ReportOutcome.Replayed));
        foreach (var code in new[] { grid, county })
        {
            var entries = await ReadAll(Grains.GetGrain<IFeedGrain>(code));
            Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), entries.Select(e => e.Sequence));
            Assert.Equal(300, entries.Select(e => e.Incident.Id).Distinct().Count());
        }
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var snapshot = await Grains.GetGrain<IFeedGrain>(grid).Snapshot();
        Assert.Equal(300, snapshot.Head);
        Assert.Equal(new FeedCounters(300, 300), snapshot.Counters);
        Assert.Equal(300L, await Scalar("SELECT count(*) FROM cc_feed_entry WHERE jurisdiction = $1", county));
        Assert.Equal(300L, await Scalar("SELECT seq FROM cc_feed_head WHERE jurisdiction = $1", county));
    }

    [Fact]
    public async Task Feeds_written_in_shared_commits_each_stay_gapless()
    {
        var county = $"t-shared-county-{Guid.NewGuid():N}";
        var grids = Enumerable.Range(0, 20).Select(i => $"t-shared-{i}-{Guid.NewGuid():N}").ToList();

        await Task.WhenAll(grids.SelectMany(grid => Enumerable.Range(0, 30).Select(i =>
            Grains.GetGrain<IIncidentGrain>(Guid.NewGuid()).Report(Report($"{grid}-{i}", grid, county)))));

        foreach (var grid in grids)
        {
            var page = await Grains.GetGrain<IFeedGrain>(grid).Read(0, 100);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), page.Entries.Select(e => e.Sequence));
            Assert.All(page.Entries, e => Assert.Equal(grid, e.Incident.GridCode));
        }
        var all = await ReadAll(Grains.GetGrain<IFeedGrain>(county));
        Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)i), all.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_feed_not_told_of_a_committed_entry_reads_it_back_when_the_next_one_shows_the_gap()
    {
        var grid = $"t-gap-{Guid.NewGuid():N}";
        var feed = Grains.GetGrain<IFeedGrain>(grid);
        for (var i = 0; i < 2; i++)
            await Grains.GetGrain<IIncidentGrain>(Guid.NewGuid()).Report(Report($"告知{i}", grid));
        Assert.Equal(2, (await feed.Snapshot()).Head);

        // Entry 3 is committed as a silo that died before telling the feed would have left it.
        var untold = Append("untold", grid);
        await using (var db = NpgsqlDataSource.Create(TestEnvironment.Postgres))
        await using (var batch = db.CreateBatch())
        {
            batch.BatchCommands.Add(FeedStore.AppendCommand([new FeedStore.Row(grid, untold, System.Text.Json.JsonSerializer.Serialize(untold.Incident, Json.Options), untold.Kind, untold.Counts)]));
            await batch.ExecuteNonQueryAsync();
        }
        var stale = await feed.Read(0, 10);
        Assert.Equal([1L, 2], stale.Entries.Select(e => e.Sequence));

        await Grains.GetGrain<IIncidentGrain>(Guid.NewGuid()).Report(Report("告知之后", grid));

        var page = await feed.Read(0, 10);
        Assert.Equal([1L, 2, 3, 4], page.Entries.Select(e => e.Sequence));
        Assert.Equal(untold.Incident.Id, page.Entries[2].Incident.Id);
        var snapshot = await feed.Snapshot();
        Assert.Equal((4L, 4), (snapshot.Head, snapshot.Counters.Open));
    }

    private static async Task<List<FeedEntry>> ReadAll(IFeedGrain feed)
    {
        var entries = new List<FeedEntry>();
        for (var page = await feed.Read(0, 1000); page.Entries.Count > 0; page = await feed.Read(entries[^1].Sequence, 1000))
            entries.AddRange(page.Entries);
        return entries;
    }

    private static async Task<object?> Scalar(string sql, string parameter)
    {
        await using var db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = parameter });
        return await cmd.ExecuteScalarAsync();
    }

    private static FeedAppend Append(string eventId, string gridCode)
    {
        var summary = new IncidentSummary(Guid.NewGuid(), IncidentSource.Hotline12345, "service", eventId, 36.5, 104.2, gridCode,
            IncidentStatus.Reported, DateTimeOffset.UtcNow);
        return new FeedAppend(eventId, FeedKinds.IncidentReported, summary.ReportedAt, summary, new FeedCounts(1, 0, 0, 0));
    }

    private static ReportIncident Report(string title, params string[] path) =>
        new(IncidentSource.GridWorker, "dispute", title, "邻里纠纷", 36.55, 104.17, "李网格", path[0], path, "user:cluster-test", "GridWorker");
}
