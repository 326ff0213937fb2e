using CommandCenter.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A headless cluster member: it joins the web hosts' cluster through PostgreSQL and takes grains off them.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Critical);
builder.Services.AddHostedService<RegistryStartup>();
builder.Services.AddCommandCenterTracing(builder.Configuration).AddCommandCenterOtlpMetrics(builder.Configuration);
builder.UseOrleans(silo => silo.AddCommandCenter(builder.Configuration).UseConfiguredEndpoints(builder.Configuration).WithoutWallHub());
await builder.Build().RunAsync();
