using Microsoft.Extensions.Options;
using CommandCenter.Demo;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode (as <c>./run.sh</c> starts it): the demo accounts, the simulator and the demo cameras' local streams. Only
/// these methods touch the CommandCenter.Demo assembly, so a county's own installation never loads it.
/// </summary>
public static class DemoMode
{
    /// <summary>Whether anything of demo mode is configured (each part still checks its own setting).</summary>
    public static bool IsOn(IConfiguration configuration) =>
        configuration.GetValue<bool>("CommandCenter:DemoCounty")
        || !string.IsNullOrEmpty(configuration["CommandCenter:Access:DemoPassword"])
        || configuration.GetValue<bool>("CommandCenter:Simulator:Enabled")
        || !string.IsNullOrEmpty(configuration["CommandCenter:DemoStreams:Folder"]);

    public static WebApplicationBuilder AddDemoMode(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSingleton<DemoIntegration>();
        builder.Services.AddHostedService<DemoAccountSeeding>();
        builder.Services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection("CommandCenter:Simulator"));
        builder.Services.AddHttpClient(DemoSimulator.HttpClientName);
        builder.Services.AddSingleton<DemoCaseWorker>();
        builder.Services.AddSingleton<DemoPatrols>();
        builder.Services.AddSingleton<DemoAlerts>();
        builder.Services.AddSingleton<DemoCommand>();
        builder.Services.AddSingleton<DemoZeroReports>();
        builder.Services.AddHostedService<DemoSimulator>();
        builder.Services.AddOptions<DemoStreamOptions>().Bind(configuration.GetSection("CommandCenter:DemoStreams"));
        builder.Services.AddHostedService<DemoStreams>();
        return builder;
    }

    /// <summary>The local test streams of the demo cameras (run.sh), open like a camera on the network would be.</summary>
    public static WebApplication UseDemoStreams(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DemoStreamOptions>>().Value.Folder is { Length: > 0 } streams && Directory.Exists(streams))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(streams),
                RequestPath = "/demo-streams",
                ServeUnknownFileTypes = true,
            });
        }
        return app;
    }
}
