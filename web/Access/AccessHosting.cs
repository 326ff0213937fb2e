using System.Threading.RateLimiting;
using CommandCenter.Access;
using CommandCenter.Web.Api;
using CommandCenter.Web.Hubs;
using CommandCenter.Web.Simulation;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CommandCenter.Web.Access;

/// <summary>
/// Sign-in and access control wiring: cookies for the pages, bearer tokens for API, mobile and SignalR clients,
/// API keys for intake integrations, all decided by <see cref="AccessPolicy"/>; keys in PostgreSQL, encrypted with the
/// <see cref="KeyCertificate"/>; rate limits.
/// </summary>
public static class AccessHosting
{
    /// <summary>Picks cookie, bearer token or API key per request.</summary>
    public const string Scheme = "CommandCenter";

    public const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The authorization policy of the pages and the hub: a signed-in person (integrations use the API only).</summary>
    public const string PersonPolicy = "person";

    public static WebApplicationBuilder AddCommandCenterAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var access = builder.Configuration.GetSection("CommandCenter:Access").Get<AccessOptions>() ?? new AccessOptions();
        services.AddOptions<AccessOptions>().Bind(builder.Configuration.GetSection("CommandCenter:Access"))
            .Validate(o => Proxies.Problem(o.KnownProxies) is null, "CommandCenter:Access:KnownProxies: each an IP address or a network (10.0.0.0/8).")
            .ValidateOnStart();

        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<SessionStore>();
        services.TryAddKeyedSingleton<TimeProvider>(SessionGuard.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddSingleton<SessionGuard>();
        services.AddSingleton<Microsoft.AspNetCore.Authentication.IClaimsTransformation>(sp => sp.GetRequiredService<SessionGuard>());
        services.AddSingleton<HubSessions>();
        services.AddHostedService<SessionSweep>();
        services.TryAddSingleton<AuditLog>();
        services.AddSingleton(LockoutPolicy.Default);
        services.AddSingleton<Authenticator>();
        services.AddSingleton<IntegrationKeys>();

        // The antiforgery cookie is secure over TLS too, like the sign-in cookie.
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // The keys at rest: read (or, in demo mode, made) before anything starts, so a host without them does not start.
        var keys = KeyCertificate.ForHost(builder.Configuration[KeyCertificate.FileSetting], builder.Configuration[KeyCertificate.PasswordSetting],
            DemoMode.IsOn(builder.Configuration), builder.Environment.ContentRootPath);
        services.AddSingleton(keys);
        services.AddDataProtection().SetApplicationName("CommandCenter")
            .ProtectKeysWithCertificate(keys.Certificate)
            .UnprotectKeysWithAnyCertificate(keys.Certificate);
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource, ILoggerFactory>((o, db, logs) =>
                o.XmlRepository = new PostgresXmlRepository(db, new CertificateXmlEncryptor(keys.Certificate, logs)));

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie, bearer token or API key", o => o.ForwardDefaultSelector = SchemeFor)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "cc.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over TLS (directly, or through a known proxy: UseCommandCenterProxies).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = access.CookieLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                // APIs and the hub answer 401/403; only pages redirect to the sign-in page.
                o.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(BearerTokenDefaults.AuthenticationScheme, o =>
            {
                o.BearerTokenExpiration = access.TokenLifetime;
                o.Events.OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments(WallHub.Path) && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                        context.Token = token;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        services.AddAuthorization(o => o.AddPolicy(PersonPolicy, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.ToCaller() is { Role: not Role.Integration })));
        services.AddCascadingAuthenticationState();

        // Bodies are small everywhere except a county import, which raises its own limit.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.Configure<RateLimiterOptions>(o =>
        {
            // Sign-in attempts per client address; only form posts and token requests count, not showing the page.
            o.AddPolicy(AuthApi.SignInLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.ClientAddress() ?? "", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = access.SignInsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            // Citizens' ratings come without an account: per client address, generous for a shared network, tight for guessing.
            o.AddPolicy(Api.WorkflowApi.RatingLimit, context =>
                RateLimitPartition.GetFixedWindowLimiter(context.ClientAddress() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = access.RatingsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
            o.AddPolicy(IntakeApi.RateLimit, context =>
                RateLimitPartition.GetTokenBucketLimiter(context.Caller()?.Id ?? "", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = 2 * access.IntakePerSecond,
                    TokensPerPeriod = access.IntakePerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                }));
        });
        return builder;
    }

    /// <summary>
    /// Forwarded headers from the configured proxies only (<see cref="AccessOptions.KnownProxies"/>), first of all, so
    /// that everything after sees the client's address and scheme; HSTS on every answer over HTTPS.
    /// </summary>
    public static WebApplication UseCommandCenterProxies(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessOptions>>().Value;
        if (access.KnownProxies.Count > 0)
            app.UseForwardedHeaders(Proxies.Options(access.KnownProxies));
        app.UseHsts();
        return app;
    }

    public static WebApplication UseCommandCenterAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static string SchemeFor(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(IntegrationKeys.Header))
            return ApiKeyHandler.SchemeName;
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || (context.Request.Path.StartsWithSegments(WallHub.Path) && context.Request.Query.ContainsKey("access_token")))
            return BearerTokenDefaults.AuthenticationScheme;
        return CookieAuthenticationDefaults.AuthenticationScheme;
    }

    private static Task RedirectOrStatus(HttpContext context, string redirectUri, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>The reverse proxies whose forwarded headers are believed (<see cref="AccessOptions.KnownProxies"/>).</summary>
public static class Proxies
{
    /// <summary>Null when every entry is an address or a network, else the first that is not.</summary>
    public static string? Problem(IEnumerable<string> proxies) =>
        proxies.FirstOrDefault(p => !System.Net.IPAddress.TryParse(p, out _) && !System.Net.IPNetwork.TryParse(p, out _));

    /// <summary>X-Forwarded-For and X-Forwarded-Proto from these proxies alone, one hop (the proxy in front of the nodes).</summary>
    public static ForwardedHeadersOptions Options(IEnumerable<string> proxies)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (System.Net.IPAddress.TryParse(proxy, out var address))
                options.KnownProxies.Add(address);
            else
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
        }
        return options;
    }
}
