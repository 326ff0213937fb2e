using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using CommandCenter.Silo.Hosting;

// A headless cluster member: it joins the web hosts' cluster through PostgreSQL and takes grains off them.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddHostedService<RegistryStartup>();
builder.UseOrleans(silo => silo.AddCommandCenter(builder.Configuration).UseConfiguredEndpoints(builder.Configuration).WithoutWallHub());
await builder.Build().RunAsync();
