using CommandCenter.ZeroReports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Reminders;

namespace CommandCenter.Silo.Hosting;

/// <summary>The daily zero-report on a silo: its store, the zero-report clock, the sweep's options and its wake at start.</summary>
public static class ZeroReportHosting
{
    public static ISiloBuilder AddZeroReports(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.TryAddSingleton<ZeroReportStore>();
        // The reminders' clock unless the host brings its own (tests move it past a day's deadline).
        silo.Services.TryAddKeyedSingleton<TimeProvider>(ZeroReportSweepGrain.ClockKey,
            (services, _) => services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
        silo.Services.AddOptions<ZeroReportOptions>().Bind(configuration.GetSection("CommandCenter:ZeroReports")).ValidateOnStart();
        silo.Services.ValidateWith<ZeroReportOptions>(o => o.Problem());
        return silo.WakeAtStart<IZeroReportSweepGrain>("zero-report");
    }
}
