using System.Net;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using CommandCenter.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace CommandCenter.Silo.Hosting;

/// <summary>The one place that says how a CommandCenter silo runs: Orleans on PostgreSQL, and the app's stores.</summary>
public static class CommandCenterSilo
{
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Cluster id, endpoints and the liveness probe timeout (Orleans:ProbeTimeout, default 2 s) from configuration (section
    /// Orleans), for the product's hosts; test clusters assign their own.
    /// With Orleans:Kubernetes=true the silo runs in a pod (deploy/kubernetes/): Orleans' Kubernetes hosting names it after
    /// the pod, advertises the pod's IP (POD_IP), listens on all addresses, takes ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID
    /// when they are set, and declares dead the silos whose pods are gone; membership stays in PostgreSQL.
    /// </summary>
    public static ISiloBuilder UseConfiguredEndpoints(this ISiloBuilder silo, IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans["ClusterId"] ?? "commandcenter";
            o.ServiceId = orleans["ServiceId"] ?? "commandcenter";
        });
        // A killed node is declared dead after about one probe period; Orleans' default of 5 s kept every call to the grains
        // it hosted (and to its share of the grain directory) waiting that long, past what a phone waits under load.
        silo.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = orleans.GetValue("ProbeTimeout", TimeSpan.FromSeconds(2)));
        var siloPort = orleans.GetValue("SiloPort", 11111);
        var gatewayPort = orleans.GetValue("GatewayPort", 30000);
        if (orleans.GetValue("Kubernetes", false))
        {
            silo.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort) = (siloPort, gatewayPort));
            silo.UseKubernetesHosting();
            return silo;
        }
        silo.ConfigureEndpoints(IPAddress.Parse(orleans["AdvertisedIP"] ?? "127.0.0.1"), siloPort, gatewayPort, listenOnAnyHostAddress: false);
        return silo;
    }

    /// <summary>Configures a silo (co-hosted in the web app or headless): Orleans on PostgreSQL and the app's stores.</summary>
    public static ISiloBuilder AddCommandCenter(this ISiloBuilder silo, IConfiguration configuration)
    {
        var postgres = PostgresConnectionString(configuration);
        // Grain calls carry the caller's trace (spans of Microsoft.Orleans.Application while something listens).
        silo.AddActivityPropagation();
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = postgres;
        });
        silo.AddAdoNetGrainStorage(StorageNames.Workers, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = postgres;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = postgres;
        });

        silo.Services.AddCommandCenterStores(configuration);
        silo.WakeAtStart<CommandCenter.Incidents.IDeadlineSweepGrain>("deadline");
        silo.AddPatrols(configuration);
        silo.AddAlerts();
        silo.AddCommand(configuration);
        silo.AddZeroReports(configuration);
        silo.AddRollCalls(configuration);
        silo.Services.AddHostedService<Tracks.TrackSweeper>();
        if (configuration.GetValue("CommandCenter:Cameras:Probing", true))
            silo.Services.AddHostedService<Cameras.CameraWatcher>();
        return silo;
    }

    /// <summary>A headless silo hosts no wall hub, so the feeds and the command sessions (which push to the hub) are placed elsewhere.</summary>
    public static ISiloBuilder WithoutWallHub(this ISiloBuilder silo)
    {
        silo.Services.PostConfigure<GrainTypeOptions>(o =>
        {
            o.Classes.Remove(typeof(FeedGrain));
            o.Classes.Remove(typeof(CommandCenter.Command.CommandSessionGrain));
        });
        return silo;
    }

    /// <summary>The app's own PostgreSQL stores and the registry copy; also what the web host's API uses.</summary>
    public static IServiceCollection AddCommandCenterStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(AppConnectionString(configuration)));
        services.TryAddSingleton<SchemaMigrator>();
        services.TryAddSingleton<FeedStore>();
        services.TryAddSingleton<FeedNotifier>();
        services.TryAddSingleton<JurisdictionStore>();
        services.TryAddSingleton<JurisdictionDirectory>();
        services.TryAddSingleton<CountyImporter>();
        services.TryAddSingleton<CommandCenter.Categories.CategoryStore>();
        services.TryAddSingleton<CommandCenter.Categories.CategoryCatalog>();
        services.TryAddSingleton<CommandCenter.Statistics.StatStore>();
        services.TryAddSingleton<CommandCenter.Statistics.StatBackfill>();
        services.TryAddSingleton<CommandCenter.Statistics.LitigationStore>();
        services.TryAddSingleton<CommandCenter.Statistics.FieldStatsStore>();
        services.TryAddSingleton<CommandCenter.Statistics.StoredReportStore>();
        services.TryAddSingleton<CommandCenter.Statistics.WorkerStatsStore>();
        services.TryAddSingleton<CommandCenter.Incidents.IncidentStore>();
        services.TryAddSingleton<CommandCenter.Incidents.IncidentCommits>();
        services.TryAddSingleton(sp => new CommandCenter.Incidents.SlaTable(sp.GetRequiredService<IOptions<CommandCenter.Incidents.WorkflowOptions>>().Value));
        services.AddOptions<CommandCenter.Incidents.WorkflowOptions>().Bind(configuration.GetSection("CommandCenter:Workflow"));
        services.TryAddSingleton<CommandCenter.Incidents.AttachmentStore>();
        services.TryAddSingleton<CommandCenter.Calendar.CalendarService>();
        services.TryAddSingleton<Cameras.FrameGrabber>();
        services.TryAddSingleton<CommandCenter.Cameras.StreamProbe>();
        services.TryAddSingleton<CommandCenter.Cameras.CameraHealthStore>();
        services.TryAddSingleton<CommandCenter.Cameras.StreamingCameras>();
        services.TryAddSingleton<CommandCenter.Access.AuditLog>();
        services.TryAddSingleton<CommandCenter.Command.CommandStore>();
        services.TryAddSingleton<CommandCenter.Access.AccountStore>();
        services.TryAddSingleton<CommandCenter.Access.PoliceBindingDirectory>();
        services.TryAddSingleton<CommandCenter.Tracks.TrackStore>();
        services.TryAddSingleton<CommandCenter.Tracks.PositionHistory>();
        services.AddOptions<FeedOptions>().Bind(configuration.GetSection("CommandCenter:Feeds"));
        services.AddOptions<CommandCenter.Tracks.TrackOptions>().Bind(configuration.GetSection("CommandCenter:Tracks"));
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection("CommandCenter:Workers"));
        services.AddAlertStore(configuration);
        services.AddOptions<CommandCenter.Cameras.CameraOptions>().Bind(configuration.GetSection("CommandCenter:Cameras"))
            .PostConfigure(o => o.AllowedHosts = o.AllowedHosts.Count > 0 ? o.AllowedHosts : [.. CommandCenter.Cameras.CameraOptions.DefaultHosts]);
        services.AddOptions<CommandCenterOptions>().Bind(configuration.GetSection("CommandCenter"));
        return services;
    }

    /// <summary>
    /// The app's own pool: the configured connection with automatic preparation (64 statements per connection), unless
    /// the connection string asks for a number of its own.
    /// The commit path's statements are large (unnest and CTEs over some thirty arrays); prepared once per connection,
    /// PostgreSQL no longer parses and plans them for every commit. Its sessions run without PostgreSQL's JIT
    /// compilation (unless the connection string sets options of its own): the statistics' period queries sum a few
    /// dozen columns over tens of thousands of rows, which JIT compiled for some 50 ms a query, more than it saved (the
    /// statistics bench, #18).
    /// </summary>
    public static string AppConnectionString(IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString(configuration));
        // (ContainsKey would not tell: it is true for every keyword Npgsql knows.)
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        if (string.IsNullOrEmpty(builder.Options))
            builder.Options = "-c jit=off";
        return builder.ConnectionString;
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set (see README).");
}
