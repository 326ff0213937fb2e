using CommandCenter.Silo.Hosting;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// A two-silo Orleans TestCluster configured exactly as the product's silos (ADO.NET clustering, grain storage and
/// reminders on the test PostgreSQL, the feed publisher on the Redis backplane); only the ports and cluster id are the
/// test cluster's own.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await TestEnvironment.EnsureSchema();
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>A silo as the product's, on the test PostgreSQL and Redis.</summary>
    public static void ConfigureSilo(ISiloBuilder siloBuilder, IConfiguration configuration)
    {
        siloBuilder.AddCommandCenter(configuration);
        siloBuilder.Services.AddLogging(logging => TestLogs.AddTo(logging, "silo"));
        siloBuilder.Services.AddHostedService<RegistryStartup>();
        siloBuilder.Services.AddFeedPush(TestEnvironment.Redis);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => ConfigureSilo(siloBuilder, TestEnvironment.Configuration());
    }

    /// <summary>The test client finds the silos through the same PostgreSQL membership table.</summary>
    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = CommandCenterSilo.Invariant;
                o.ConnectionString = TestEnvironment.Postgres;
            });
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
