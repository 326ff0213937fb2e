using CommandCenter.RollCalls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Reminders;

namespace CommandCenter.Silo.Hosting;

/// <summary>The video roll call on a silo: its store, the roll-call clock, the sweep's options and its wake at start.</summary>
public static class RollCallHosting
{
    public static ISiloBuilder AddRollCalls(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.TryAddSingleton<RollCallStore>();
        // The reminders' clock unless the host brings its own (tests move it past a roll call's close).
        silo.Services.TryAddKeyedSingleton<TimeProvider>(RollCallSweepGrain.ClockKey,
            (services, _) => services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
        silo.Services.AddOptions<RollCallOptions>().Bind(configuration.GetSection("CommandCenter:RollCalls")).ValidateOnStart();
        silo.Services.ValidateWith<RollCallOptions>(o => o.Problem());
        return silo.WakeAtStart<IRollCallSweepGrain>("roll-call");
    }
}
