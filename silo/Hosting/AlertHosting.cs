using CommandCenter.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        return silo.WakeAtStart<IAlertSweepGrain>("alert");
    }

    /// <summary>Options, validated at start, and the store: the incident commits (on every silo) write alerts.</summary>
    public static IServiceCollection AddAlertStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection("CommandCenter:Alerts")).ValidateOnStart();
        services.ValidateWith<AlertOptions>(o => o.Problem());
        services.TryAddSingleton<AlertStore>();
        return services;
    }
}
