using CommandCenter.Incidents;

namespace CommandCenter.Web.Hosting;

/// <summary>
/// Reads the rating-link key once the schema is migrated (<see cref="Silo.Hosting.RegistryStartup"/> starts first):
/// a node given another keys' certificate than the one its county's key was encrypted with refuses to start, and says
/// so, instead of failing later at every answer that carries a rating link (README, "Keys at rest").
/// </summary>
public sealed class KeysStartup(RatingLinks links) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => links.Check();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
