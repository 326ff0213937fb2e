using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.TestingHost;
using CommandCenter.Demo;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// A one-silo TestCluster like <see cref="ClusterFixture"/> (ADO.NET clustering, storage and reminders on PostgreSQL)
/// whose deadline clock the tests move: <see cref="Clock"/> is the reminder service's clock, which the Incident grain
/// and the deadline sweep share; the rest of the runtime keeps real time. Moving it makes the other clusters' cases
/// due too, so this cluster has a database of its own (<see cref="Postgres"/>) on the test server. The sweep runs every
/// <see cref="SweepInterval"/>, so that a deadline missed while no silo ran shows within seconds.
/// </summary>
public sealed class DeadlineClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>This cluster's own database (set before the silos start; silos of a TestCluster are built from configurator types).</summary>
    public static string Postgres { get; private set; } = "";

    /// <summary>One clock for every silo of this fixture (silos of a TestCluster are built from configurator types).</summary>
    public static ShiftedClock Clock { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await TestEnvironment.FreshDatabase("commandcenter_deadlines");
        var builder = new TestClusterBuilder(1);
        builder.Options.UseTestClusterMembership = false;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Stops the silo (and the client), runs <paramref name="whileDown"/>, then starts a new silo.</summary>
    public async Task Restart(Action whileDown)
    {
        await Cluster.StopClusterClientAsync();
        await Cluster.StopAllSilosAsync();
        whileDown();
        await Cluster.StartAdditionalSiloAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = TestEnvironment.Configuration(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = Postgres,
                ["CommandCenter:Workflow:ReminderPeriod"] = ReminderPeriod.ToString(),
                ["CommandCenter:Workflow:SweepInterval"] = SweepInterval.ToString(),
                // The patrol sweep keeps the same clock (the reminders'), so the patrol tests move it too.
                ["CommandCenter:Patrols:ReminderPeriod"] = ReminderPeriod.ToString(),
                ["CommandCenter:Patrols:SweepInterval"] = SweepInterval.ToString(),
                // So does the roll-call sweep (RollCallRestartTests).
                ["CommandCenter:RollCalls:ReminderPeriod"] = ReminderPeriod.ToString(),
                ["CommandCenter:RollCalls:SweepInterval"] = SweepInterval.ToString(),
                // The camera health tests probe by hand while they move the clock; the demo county gives their cameras grids.
                ["CommandCenter:Cameras:Probing"] = "false",
                ["CommandCenter:DemoCounty"] = "true",
            });
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = ReminderPeriod);
            ClusterFixture.ConfigureSilo(siloBuilder, configuration);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = CommandCenter.Silo.Hosting.CommandCenterSilo.Invariant;
                o.ConnectionString = Postgres;
            });
    }
}

[CollectionDefinition(Name)]
public sealed class DeadlineClusterCollection : ICollectionFixture<DeadlineClusterFixture>
{
    public const string Name = "deadline cluster";
}
