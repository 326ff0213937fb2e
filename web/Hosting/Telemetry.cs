using System.Net;
using CommandCenter.Access;
using CommandCenter.Silo.Hosting;
using CommandCenter.Web.Access;
using OpenTelemetry.Metrics;

namespace CommandCenter.Web.Hosting;

/// <summary>Configuration section <c>CommandCenter:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// Addresses or networks ("10.20.0.5", "10.20.0.0/24") that may scrape <c>/metrics</c> without signing in: the
    /// Prometheus server's. Anyone else needs an account whose role may read metrics (administrators).
    /// </summary>
    public List<string> ScrapeFrom { get; set; } = [];

    /// <summary>Whether every entry of <see cref="ScrapeFrom"/> is an address or a network.</summary>
    public bool IsValid() => ScrapeFrom.All(a => IPNetwork.TryParse(Network(a), out _));

    /// <summary>Whether <paramref name="address"/> (IPv4 mapped into IPv6 counts as IPv4) is one of <see cref="ScrapeFrom"/>.</summary>
    public bool MayScrape(IPAddress? address)
    {
        if (address is null)
            return false;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return ScrapeFrom.Any(a => IPNetwork.TryParse(Network(a), out var network) && network.Contains(address));
    }

    /// <summary>A single address is a network of one.</summary>
    private static string Network(string address) => address.Contains('/') ? address : address + (address.Contains(':') ? "/128" : "/32");
}

/// <summary>
/// Metrics (OpenTelemetry) of the product and of what it runs on, for a Prometheus scrape at <see cref="MetricsPath"/>:
/// the product's meter (<c>CommandCenter</c>: group commits, evidence outcomes, contained background failures), Orleans, ASP.NET Core
/// (requests, Kestrel, SignalR connections, rate limiting), Npgsql's pools and commands, and the .NET runtime.
/// Traces are <see cref="TelemetryHosting"/>'s, as in a headless silo (which sends its metrics over OTLP).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static readonly IReadOnlyList<string> Meters =
    [
        .. TelemetryHosting.SiloMeters, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.RateLimiting",
    ];

    private static readonly AccessRule Rule = new(AccessAction.ReadMetrics, AccessTarget.County);

    public static WebApplicationBuilder AddCommandCenterTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection("CommandCenter:Telemetry"))
            .Validate(o => o.IsValid(),
                "CommandCenter:Telemetry:ScrapeFrom takes IP addresses and networks (10.20.0.5, 10.20.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter([.. Meters]).AddPrometheusExporter());
        builder.Services.AddCommandCenterTracing(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// The scrape endpoint: a configured scraper's address passes, anyone else is decided by the access policy like any
    /// endpoint (401 without a sign-in, 403 for a role that may not read metrics).
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
            {
                if (!options.MayScrape(http.Connection.RemoteIpAddress) && AccessFilter.Refuse(http, Rule) is { } refused)
                    await refused.ExecuteAsync(http);
                else
                    await next(http);
            }), optionsName: null)
            .WithMetadata(Rule);
        return app;
    }
}
