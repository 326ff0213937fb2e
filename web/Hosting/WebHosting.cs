using Microsoft.Extensions.Options;
using CommandCenter.Feeds;
using CommandCenter.Silo.Hosting;
using CommandCenter.Web.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using CommandCenter.Web.Components;
using CommandCenter.Web.Hubs;
using CommandCenter.Web.Simulation;
using CommandCenter.Web.Video;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Scalar.AspNetCore;
using StackExchange.Redis;

namespace CommandCenter.Web.Hosting;

/// <summary>Everything the web host adds to a co-hosted CommandCenter silo, in one place.</summary>
public static class WebHosting
{
    /// <summary>What a 503 or 429 answers in <c>Retry-After</c>: a second (a retry with the same key is safe).</summary>
    public const string RetryAfterSeconds = "1";

    /// <summary>
    /// SignalR on the Redis backplane and the feed publisher that pushes through it (or, while Redis is down, to this
    /// node's own walls). One Redis connection serves the backplane, the readiness check and the snapshot cache, so
    /// /health/ready checks the one walls depend on.
    /// </summary>
    public static IServiceCollection AddFeedPush(this IServiceCollection services, string redis)
    {
        var backplane = new BackplaneConnection(redis);
        services.AddSingleton(backplane);
        services.AddSingleton<LocalFeedGroups>();
        services.AddSingleton<IFeedPublisher, SignalRFeedPublisher>();
        services.AddSignalR()
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .AddStackExchangeRedis(o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal("commandcenter");
                o.ConnectionFactory = _ => backplane.Get();
            });
        return services;
    }

    public static WebApplicationBuilder AddCommandCenterWeb(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var redis = configuration.GetConnectionString("Redis")
            ?? throw new InvalidOperationException("ConnectionStrings:Redis is not set (see README).");

        builder.Services.AddHostedService<RegistryStartup>();
        builder.Services.AddHostedService<KeysStartup>();
        builder.AddCommandCenterAccess();
        builder.AddCommandCenterTelemetry();
        builder.UseOrleans(silo => silo.AddCommandCenter(configuration).UseConfiguredEndpoints(configuration));
        builder.Services.AddFeedPush(redis);
        builder.Services.AddSingleton<Cameras.SnapshotCache>();
        builder.Services.AddSingleton<Cameras.VideoWallLayouts>();
        builder.Services.AddSingleton<Cameras.EvidenceCollector>();
        builder.AddApplicationServices();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Cameras.EvidenceCollector>());

        builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        // Pages are Chinese: emit the characters themselves, not numeric entities (the encoder still escapes markup).
        builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = DescribeFieldAtFault);
        builder.Services.AddOpenApi(ApiDocument.Configure);
        builder.Services.AddRazorComponents();
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"])
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);

        builder.Services.AddRateLimiter(o =>
        {
            o.AddConcurrencyLimiter(IncidentsApi.ReportLimit, limit =>
            {
                limit.PermitLimit = IncidentsApi.MaxConcurrentReports;
                limit.QueueLimit = IncidentsApi.MaxQueuedReports;
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
                var overloaded = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == IncidentsApi.ReportLimit;
                await (overloaded
                    ? Results.Problem("Too many reports at once; retry with the same Idempotency-Key.",
                        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy.")
                    : Results.Problem("Too many requests from you; wait a moment and retry.",
                        statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.")).ExecuteAsync(context.HttpContext);
            };
        });

        builder.Services.AddOptions<VideoOptions>().Bind(configuration.GetSection("CommandCenter:Video"))
            .Validate(o => o.Problem() is null, "CommandCenter:Video is not valid (see VideoOptions.Problem).").ValidateOnStart();
        builder.Services.AddSingleton(sp => new Lazy<JanusSecrets>(() =>
            JanusSecrets.Load(sp.GetRequiredService<IOptions<VideoOptions>>().Value)));
        builder.Services.AddSingleton<JanusClient>();
        builder.Services.AddSingleton<VideoTickets>();
        builder.Services.AddOptions<AttachmentOptions>().Bind(configuration.GetSection("CommandCenter:Attachments"))
            .Validate(o => o.MaxBytes > 0, "CommandCenter:Attachments:MaxBytes must be a positive number of bytes.")
            .Validate(o => !o.RolesWithOriginals.Any(r => r is CommandCenter.Access.Role.Integration or CommandCenter.Access.Role.Citizen),
                "CommandCenter:Attachments:OriginalRoles may name people's roles only.").ValidateOnStart();
        if (DemoMode.IsOn(configuration))
            builder.AddDemoMode();
        return builder;
    }

    public static WebApplication MapCommandCenter(this WebApplication app)
    {
        app.UseCommandCenterProxies();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        if (DemoMode.IsOn(app.Configuration))
            app.UseDemoStreams();
        app.UseWebSockets();
        app.UseCommandCenterAccess();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapAuthApi();
        app.MapAccountsApi();
        app.MapIncidentsApi();
        app.MapWorkflowApi();
        app.MapAttachmentsApi();
        app.MapIntakeApi();
        app.MapJurisdictionsApi();
        app.MapFeedsApi();
        app.MapWorkersApi();
        app.MapPatrolsApi();
        app.MapAlertsApi();
        app.MapCommandApi();
        app.MapZeroReportsApi();
        app.MapCamerasApi();
        app.MapVideoWallApi();
        app.MapCalendarApi();
        app.MapCategoriesApi();
        app.MapStatsApi();
        app.MapReportsApi();
        app.MapRankingsApi();
        app.MapVideoApi();
        app.MapRollCallsApi();
        app.MapJanusProxy();
        // A connection signed in with a token or cookie closes when that expires; clients reconnect with a fresh one.
        app.MapMetrics();
        app.MapHub<WallHub>(WallHub.Path, o => o.CloseOnAuthenticationExpiration = true).RequireAuthorization(AccessHosting.PersonPolicy);

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReport.Write })
            .AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapRazorComponents<App>();
        return app;
    }

    /// <summary>
    /// Problems raised by the framework itself (before an endpoint runs) name the field at fault too; every 503 says when
    /// to try again.
    /// </summary>
    private static void DescribeFieldAtFault(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable && !context.HttpContext.Response.HasStarted)
            context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        if (context.ProblemDetails is { Status: StatusCodes.Status415UnsupportedMediaType } and not HttpValidationProblemDetails)
        {
            // Routing refuses the type before any endpoint is chosen, so the message cannot name that endpoint's types.
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]>
            {
                ["Content-Type"] = ["Send the body in a type this endpoint accepts: application/json for most; text/csv or an Excel workbook for the "
                    + "people and camera lists; GeoJSON or a zip of shapefiles for the jurisdictions (the OpenAPI document lists each)."],
            };
        }
    }

    /// <summary>
    /// Bad input never surfaces as a 500; a cluster that cannot answer right now is a 503 (retry with the same key). That
    /// includes a call canceled inside the cluster: a grain whose activation could not register in the grain directory
    /// while a restarted node joins answers its callers with a canceled task.
    /// </summary>
    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        Orleans.Runtime.OrleansException or TimeoutException or OperationCanceledException or Npgsql.NpgsqlException =>
            StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
