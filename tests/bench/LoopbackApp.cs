using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server.Features;
using StackExchange.Redis;

namespace CommandCenter.Bench;

/// <summary>
/// The bench's baselines are ASP.NET Core apps in its own process: on a free loopback port, warnings only, SignalR
/// camelCase on the product's Redis under a channel prefix of their own (so the two never see each other's traffic).
/// </summary>
public static class LoopbackApp
{
    public static WebApplicationBuilder Builder(string redis, string channelPrefix)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase)
            .AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal(channelPrefix));
        return builder;
    }

    /// <summary>Starts the app and answers its address (ending in a slash).</summary>
    public static async Task<Uri> Start(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the baseline app has no address");
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Stops the app within 10 s and disposes of it.</summary>
    public static async ValueTask Stop(WebApplication app)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
