using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Silo.Hosting;

/// <summary>What the cluster's sweeps (deadlines, patrols, alerts) and their options need on every silo.</summary>
public static class SweepHosting
{
    /// <summary>
    /// Every silo wakes the sweep <typeparamref name="TSweep"/> when it starts, so that what fell due while no silo
    /// ran is done at once; when that fails (PostgreSQL not there yet) the sweep's reminder brings it later.
    /// </summary>
    public static ISiloBuilder WakeAtStart<TSweep>(this ISiloBuilder silo, string what) where TSweep : ISweepGrain =>
        silo.AddStartupTask(async (services, _) =>
        {
            try
            {
                await services.GetRequiredService<IGrainFactory>().GetGrain<TSweep>(0).Wake();
            }
            catch (Exception e)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SweepHosting))
                    .LogWarning(e, "Waking the {Sweep} sweep failed; its reminder will bring it", what);
            }
        });

    /// <summary>Refuses to start with <typeparamref name="TOptions"/> that <paramref name="problem"/> finds fault with, saying which.</summary>
    public static IServiceCollection ValidateWith<TOptions>(this IServiceCollection services, Func<TOptions, string?> problem) where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new ProblemValidation<TOptions>(problem)));
        return services;
    }

    private sealed class ProblemValidation<TOptions>(Func<TOptions, string?> problem) : IValidateOptions<TOptions> where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            problem(options) is { } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}
