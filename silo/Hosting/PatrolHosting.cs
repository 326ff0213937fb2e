using CommandCenter.Patrols;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Reminders;

namespace CommandCenter.Silo.Hosting;

/// <summary>Patrol duties on a silo: options, stores, the patrols' clock, and the sweep's wake at start.</summary>
public static class PatrolHosting
{
    public static ISiloBuilder AddPatrols(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<PatrolOptions>().Bind(configuration.GetSection("CommandCenter:Patrols")).ValidateOnStart();
        silo.Services.ValidateWith<PatrolOptions>(o => o.Problem());
        silo.Services.TryAddSingleton<PatrolStore>();
        silo.Services.TryAddSingleton<PatrolEvaluator>();
        // The reminders' clock unless the host brings its own (tests move it to a window's end).
        silo.Services.TryAddKeyedSingleton<TimeProvider>(PatrolSweepGrain.ClockKey,
            (services, _) => services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
        return silo.WakeAtStart<IPatrolSweepGrain>("patrol");
    }
}
