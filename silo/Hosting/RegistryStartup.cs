using CommandCenter.Categories;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Silo.Hosting;

/// <summary>
/// Runs before the silo starts: migrates the schema (and rolls up, once, the statistics of incidents reported before
/// they were kept), imports the demo county when asked and the registry is empty, and loads this host's copy of the registry and of the categories; then keeps both fresh.
/// </summary>
public sealed class RegistryStartup(
    SchemaMigrator migrator,
    CountyImporter importer,
    JurisdictionStore store,
    JurisdictionDirectory directory,
    CategoryCatalog categories,
    StatBackfill statistics,
    IOptions<CommandCenterOptions> options,
    ILogger<RegistryStartup> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.Apply(cancellationToken);
        await statistics.Run(cancellationToken);
        await directory.Refresh(force: true);
        await categories.Refresh(force: true);
        if (options.Value.DemoCounty && directory.Tree is null)
        {
            // Hosts starting together on an empty registry import it once: the first under the lock, the others find it.
            await using var exclusive = await store.Exclusive(cancellationToken);
            await directory.Refresh(force: true);
            if (directory.Tree is null)
                await ImportDemoCounty();
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RegistryRefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await directory.Refresh();
                await categories.Refresh();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Registry refresh failed; keeping version {Version} (categories {CategoriesVersion})", directory.Version,
                    categories.Version);
            }
        }
    }

    /// <remarks>
    /// Apart from the start-up, so that the demo assembly is loaded only when demo mode asks for the demo county. The
    /// demo city imports with repair (its generated counties' seams); its people and cameras are the demo county's.
    /// </remarks>
    private async Task ImportDemoCounty()
    {
        var outcome = options.Value.DemoCity
            ? await importer.Import(DemoCity.GeoJson(), new JurisdictionImportOptions(Repair: true))
            : await importer.Import(DemoCounty.GeoJson());
        if (outcome.Problems.Count > 0)
            throw new InvalidOperationException("The demo county does not import: " + string.Join("; ", outcome.Problems.Take(5)));
        var tree = options.Value.DemoCity ? JurisdictionGeoJson.Parse(DemoCounty.GeoJson()).Tree! : directory.Tree!;
        var workers = DemoCounty.Workers(tree).Concat(DemoCounty.MoreGridWorkers(tree, options.Value.DemoMoreGridWorkers)).Select(w => new WorkerRecord(w.Id, w.Name, w.Role, w.GridCode, w.Latitude, w.Longitude)).ToList();
        var cameras = DemoCounty.Cameras(tree).Select(c => new CameraRecord(c.Id, c.Name, c.GridCode, c.Latitude, c.Longitude)).ToList();
        await store.UpsertPeopleAndCameras(workers, cameras);
        await directory.Refresh(force: true);
        log.LogInformation("Imported the demo {What}: {Areas} areas, {Workers} people, {Cameras} cameras", options.Value.DemoCity ? "city" : "county",
            directory.Tree!.All.Count, workers.Count, cameras.Count);
    }
}
