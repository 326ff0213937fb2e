using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CommandCenter.Silo.Hosting;

/// <summary>
/// What a command center process (a web host or a headless silo) sends over OTLP when
/// <c>CommandCenter:Telemetry:OtlpEndpoint</c> is set (OTLP over gRPC, e.g. http://10.20.0.7:4317: a collector,
/// Jaeger, Tempo). Traces, from either: the spans of <see cref="Sources"/>, a report's POST, its grain calls (the
/// silo's activity propagation carries the caller's trace into each), the commit round that wrote it and the feed
/// round that told its feeds (each linked to the spans it served), the feed grains' pushes to the hub (linked
/// likewise) and the SQL. Metrics, from a headless silo (a web host serves its own on /metrics): the meters of
/// <see cref="SiloMeters"/>. Unset, nothing listens and no span is made.
/// </summary>
public static class TelemetryHosting
{
    public const string OtlpEndpointKey = "CommandCenter:Telemetry:OtlpEndpoint";

    public static readonly IReadOnlyList<string> Sources =
    [
        Tracing.Source.Name, "Microsoft.AspNetCore", "Microsoft.Orleans.Application", "Npgsql",
    ];

    /// <summary>The meters of what every silo runs: the product's, Orleans', Npgsql's and the .NET runtime's.</summary>
    public static readonly IReadOnlyList<string> SiloMeters = [ProductMeter.Meter.Name, "Microsoft.Orleans", "Npgsql", "System.Runtime"];

    /// <summary>The configured OTLP endpoint; a value that is not an absolute http or https URL is refused at start with the key's name.</summary>
    public static Uri? OtlpEndpoint(IConfiguration configuration) =>
        configuration[OtlpEndpointKey] is not { Length: > 0 } text ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" ? endpoint
        : throw new InvalidOperationException($"{OtlpEndpointKey} must be an absolute http or https URL (http://10.20.0.7:4317), not '{text}'.");

    public static IServiceCollection AddCommandCenterTracing(this IServiceCollection services, IConfiguration configuration)
    {
        if (OtlpEndpoint(configuration) is { } otlp)
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource([.. Sources]).AddOtlpExporter(o => o.Endpoint = otlp));
        return services;
    }

    /// <summary>A headless silo's metrics (<see cref="SiloMeters"/>) over OTLP, when the endpoint is configured.</summary>
    public static IServiceCollection AddCommandCenterOtlpMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (OtlpEndpoint(configuration) is { } otlp)
            services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter([.. SiloMeters]).AddOtlpExporter(o => o.Endpoint = otlp));
        return services;
    }
}
