using CommandCenter.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Reminders;

namespace CommandCenter.Silo.Hosting;

/// <summary>Grid alerts on a silo: the alerts' clock and the sweep's wake at start (options and store are the stores').</summary>
public static class AlertHosting
{
    public static ISiloBuilder AddAlerts(this ISiloBuilder silo)
    {
        // The reminders' clock unless the host brings its own (tests move it past an alert's time).
        silo.Services.TryAddKeyedSingleton<TimeProvider>(AlertSweepGrain.ClockKey,
            (services, _) => services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
        silo.AddStartupTask(WakeSweep);
        return silo;
    }

    /// <summary>Options, validated at start, and the store: the incident commits (on every silo) write alerts.</summary>
    public static IServiceCollection AddAlertStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection("CommandCenter:Alerts")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, Validation>());
        services.TryAddSingleton<AlertStore>();
        return services;
    }

    /// <summary>Every silo wakes the alert sweep when it starts; when that fails its reminder brings it later.</summary>
    private static async Task WakeSweep(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweepGrain>(0).Wake();
        }
        catch (Exception e)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AlertHosting))
                .LogWarning(e, "Waking the alert sweep failed; its reminder will bring it");
        }
    }

    private sealed class Validation : IValidateOptions<AlertOptions>
    {
        public ValidateOptionsResult Validate(string? name, AlertOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
