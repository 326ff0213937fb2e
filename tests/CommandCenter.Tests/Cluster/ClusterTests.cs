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
    public async Task An_append_with_a_known_event_id_returns_its_sequence_even_after_reactivation()
    {
        var code = $"t-feed-{Guid.NewGuid():N}";
        var feed = Grains.GetGrain<IFeedGrain>(code);
        var first = await feed.Append(Append("e-1", code));
        var second = await feed.Append(Append("e-2", code));

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(first, await feed.Append(Append("e-1", code)));
        Assert.Equal([1L, 2L], new[] { first, second });
        Assert.Equal(2, (await feed.Read(0, 10)).Head);
    }

    [Fact]
    public async Task Concurrent_appends_are_batched_without_gaps_or_duplicates_and_counted()
    {
        var code = $"t-busy-{Guid.NewGuid():N}";
        var feed = Grains.GetGrain<IFeedGrain>(code);
        var appends = Enumerable.Range(0, 300).Select(i => Append($"e-{i}", code)).ToList();

        var sequences = await Task.WhenAll(appends.Concat(appends.Take(50)).Select(feed.Append));

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), sequences.Take(300).Order());
        Assert.Equal(sequences.Take(50), sequences.Skip(300));
        var entries = new List<FeedEntry>();
        for (var page = await feed.Read(0, 1000); page.Entries.Count > 0; page = await feed.Read(entries[^1].Sequence, 1000))
            entries.AddRange(page.Entries);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(300, entries.Select(e => e.Incident.Id).Distinct().Count());

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var snapshot = await feed.Snapshot();
        Assert.Equal(300, snapshot.Head);
        Assert.Equal(new FeedCounters(300, 300), snapshot.Counters);
    }

    [Fact]
    public async Task Feeds_written_in_shared_commits_each_stay_gapless()
    {
        var codes = Enumerable.Range(0, 20).Select(i => $"t-shared-{i}-{Guid.NewGuid():N}").ToList();

        var appended = await Task.WhenAll(codes.SelectMany(code => Enumerable.Range(0, 30).Select(async i =>
            (code, sequence: await Grains.GetGrain<IFeedGrain>(code).Append(Append($"{code}-{i}", code))))));

        foreach (var code in codes)
        {
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), appended.Where(a => a.code == code).Select(a => a.sequence).Order());
            var page = await Grains.GetGrain<IFeedGrain>(code).Read(0, 100);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), page.Entries.Select(e => e.Sequence));
            Assert.All(page.Entries, e => Assert.Equal(code, e.Incident.GridCode));
        }
    }

    private static FeedAppend Append(string eventId, string gridCode)
    {
        var summary = new IncidentSummary(Guid.NewGuid(), IncidentSource.Hotline12345, "民生服务", eventId, 36.5, 104.2, gridCode,
            IncidentStatus.Reported, DateTimeOffset.UtcNow);
        return new FeedAppend(eventId, FeedKinds.IncidentReported, summary.ReportedAt, summary, new FeedCounts(1, 0, 0, 0));
    }

    private static ReportIncident Report(string title, params string[] path) =>
        new(IncidentSource.GridWorker, "矛盾纠纷", title, "邻里纠纷", 36.55, 104.17, "李网格", path[0], path, "user:cluster-test", "GridWorker");
}
