using CommandCenter.Command;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Reminders;

namespace CommandCenter.Silo.Hosting;

/// <summary>Remote emergency command on a silo: the command clock, the instruction sweep's options and its wake at start.</summary>
public static class CommandHosting
{
    public static ISiloBuilder AddCommand(this ISiloBuilder silo, IConfiguration configuration)
    {
        // The reminders' clock unless the host brings its own (tests move it past an instruction's deadlines).
        silo.Services.TryAddKeyedSingleton<TimeProvider>(InstructionSweepGrain.ClockKey,
            (services, _) => services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
        silo.Services.AddOptions<CommandOptions>().Bind(configuration.GetSection("CommandCenter:Command")).ValidateOnStart();
        silo.Services.ValidateWith<CommandOptions>(o => o.Problem());
        return silo.WakeAtStart<IInstructionSweepGrain>("instruction");
    }
}
