using CommandCenter.Patrols;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Reminders;

namespace CommandCenter.Silo.Hosting;

/// <summary>Patrol duties on a silo: options, stores, the patrols' clock, and the sweep's wake at start.</summary>
public static class PatrolHosting
{
    public static ISiloBuilder AddPatrols(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<PatrolOptions>().Bind(configuration.GetSection("CommandCenter:Patrols")).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PatrolOptions>, Validation>());
        silo.Services.TryAddSingleton<PatrolStore>();
        silo.Services.TryAddSingleton<PatrolEvaluator>();
        // The reminders' clock unless the host brings its own (tests move it to a window's end).
        silo.Services.TryAddKeyedSingleton<TimeProvider>(PatrolSweepGrain.ClockKey,
            (services, _) => services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
        silo.AddStartupTask(WakeSweep);
        return silo;
    }

    /// <summary>
    /// Every silo wakes the patrol sweep when it starts, so that a window that ended while no silo ran is recorded at
    /// once; when that fails (PostgreSQL not there yet) the sweep's reminder brings it later.
    /// </summary>
    private static async Task WakeSweep(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IPatrolSweepGrain>(0).Wake();
        }
        catch (Exception e)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PatrolHosting))
                .LogWarning(e, "Waking the patrol sweep failed; its reminder will bring it");
        }
    }

    /// <summary>Refuses to start with windows or limits that make no sense, saying which.</summary>
    private sealed class Validation : IValidateOptions<PatrolOptions>
    {
        public ValidateOptionsResult Validate(string? name, PatrolOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
