using CommandCenter.Feeds;
using CommandCenter.Incidents;
using CommandCenter.Silo.Hosting;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;

namespace CommandCenter.Tests.Web;

/// <summary>A headless silo (as silo/Program.cs builds it) joins the web host's cluster and takes grains, but never feeds.</summary>
[Collection(WebCollection.Name)]
public sealed class HeadlessSiloTests(WebFixture web)
{
    [Fact]
    public async Task A_headless_silo_joins_the_cluster_and_reports_still_reach_the_wall()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        TestLogs.AddTo(builder.Logging, "headless-silo");
        builder.Configuration.AddInMemoryCollection(TestEnvironment.Settings(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = web.ClusterId,
            ["Orleans:SiloPort"] = TestEnvironment.FreeTcpPort().ToString(),
            ["Orleans:GatewayPort"] = TestEnvironment.FreeTcpPort().ToString(),
            // Orleans places new grains by load (resource-optimized placement, preferring the calling silo within a
            // margin): a silo busy starting to probe the other tests' cameras may lose the incidents this test
            // needs on it, so this one does not probe.
            ["CommandCenter:Cameras:Probing"] = "false",
        }));
        builder.Services.AddHostedService<RegistryStartup>();
        builder.UseOrleans(silo => silo.AddCommandCenter(builder.Configuration).UseConfiguredEndpoints(builder.Configuration).WithoutWallHub());
        using var headless = builder.Build();
        await headless.StartAsync();
        try
        {
            var grains = web.Services.GetRequiredService<IGrainFactory>();
            var management = grains.GetGrain<IManagementGrain>(0);
            var hosts = await management.GetHosts(onlyActive: true);
            Assert.Equal(2, hosts.Count);

            // Reports enter through the headless silo, and their incident grains are placed on it: by a placement hint,
            // because the placement by load picks the web silo until the new silo's own load figures are known to it.
            // Their feeds could not be placed there if they wanted: that silo does not offer them.
            var viaHeadless = headless.Services.GetRequiredService<IGrainFactory>();
            var headlessSilo = hosts.Keys.Single(s => s != web.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
            await KnowsFeeds(viaHeadless);
            var tree = web.Directory.Tree!;
            var expected = new List<(string Grid, long Sequence)>();
            await using var wall = await web.ConnectWall();
            for (var i = 100; i < 112; i++)
            {
                var (lat, lng, grid) = Reports.InsideGrid(web, i);
                var head = (await wall.Subscribe(grid, await web.Head(grid))).Head;
                var report = new ReportIncident(IncidentSource.Police, "security", $"集群{i}", "", lat, lng, null, grid, tree.PathToRoot(grid),
                    "user:duty", "DutyOfficer");
                RequestContext.Set(IPlacementDirector.PlacementHintKey, headlessSilo);
                var result = await viaHeadless.GetGrain<IIncidentGrain>(Guid.NewGuid()).Report(report);
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
                Assert.Equal(ReportOutcome.Created, result.Outcome);
                expected.Add((grid, head + 1));
            }
            foreach (var (grid, sequence) in expected)
                Assert.Equal(sequence, (await wall.Take(grid, 1))[0].Sequence);

            var onHeadless = await management.GetDetailedGrainStatistics(hostsIds: [headlessSilo]);
            Assert.Contains(onHeadless, s => s.GrainType.Contains(nameof(IncidentGrain), StringComparison.Ordinal));
            Assert.DoesNotContain(onHeadless, s => s.GrainType.Contains(nameof(FeedGrain), StringComparison.Ordinal));
        }
        finally
        {
            await headless.StopAsync();
        }
    }

    /// <summary>
    /// Waits (at most 30 s) until the headless silo has the web silo's manifest: it has no feed grain class of its own,
    /// so until then it cannot resolve IFeedGrain.
    /// </summary>
    private static async Task KnowsFeeds(IGrainFactory grains)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                grains.GetGrain<IFeedGrain>("probe");
                return;
            }
            catch (ArgumentException) when (!timeout.IsCancellationRequested)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }
}
