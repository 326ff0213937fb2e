using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CommandCenter.Silo.Hosting;

/// <summary>
/// Traces of a command center process (a web host or a headless silo): with <c>CommandCenter:Telemetry:OtlpEndpoint</c>
/// set (OTLP over gRPC, e.g. http://10.20.0.7:4317: a collector, Jaeger, Tempo), the spans of <see cref="Sources"/>
/// are exported there: a report's POST, its grain calls (the silo's activity propagation carries the caller's trace
/// into each), the commit round that wrote it and the feed round that told its feeds (each linked to the spans it
/// served), the feed grains' pushes to the hub (linked likewise) and the SQL. Unset, nothing listens and no span is made.
/// </summary>
public static class TracingHosting
{
    public const string OtlpEndpointKey = "CommandCenter:Telemetry:OtlpEndpoint";

    public static readonly IReadOnlyList<string> Sources =
    [
        Tracing.Source.Name, "Microsoft.AspNetCore", "Microsoft.Orleans.Application", "Npgsql",
    ];

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
}
