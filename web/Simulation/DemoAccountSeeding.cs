using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode only (a demo password is configured): seeds one account per role (<see cref="DemoAccounts"/>) and a
/// fresh key for the simulator's intake integration when this node runs the simulator (a node without it leaves the
/// key alone: several web nodes start together, and only the one simulating uses it). Runs after the registry is loaded.
/// </summary>
public sealed class DemoAccountSeeding(
    AccountStore accounts,
    IntegrationKeys keys,
    PoliceBindingDirectory police,
    JurisdictionDirectory directory,
    DemoIntegration demo,
    IOptions<AccessOptions> options,
    IOptions<SimulatorOptions> simulator,
    ILogger<DemoAccountSeeding> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.DemoPassword is not { Length: > 0 } password || directory.Tree is not { } tree)
            return;
        var demoAccounts = DemoAccounts.For(tree, directory.WorkersIn(tree.Root.Code));
        await accounts.UpsertDemo(demoAccounts, Authenticator.Hash(password));
        police.Invalidate();
        if (simulator.Value.Enabled)
            demo.Key = await keys.Issue(DemoIntegration.Simulator(tree.Root.Code));
        log.LogInformation("Demo accounts ready: {Accounts}", string.Join(", ", demoAccounts.Select(a => a.Username)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The intake integration the demo simulator reports through; its key is new at every start.</summary>
public sealed class DemoIntegration
{
    public const string Name = "demo-simulator";

    public string? Key { get; set; }

    public static Integration Simulator(string countyCode) =>
        new(Name, countyCode, Enum.GetValues<Incidents.IncidentSource>().Select(Json.Word).ToList(), Positions: true);
}
