using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;
using StackExchange.Redis;

namespace CommandCenter.Web.Hosting;

public sealed class PostgresHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
        }
    }
}

/// <summary>
/// The Redis connection the SignalR backplane uses, shared with the readiness check so that it checks that very
/// connection. The backplane owns it and disposes it when it stops; this holder is not disposable, so the container
/// does not dispose the connection before the backplane has unsubscribed.
/// </summary>
public sealed class BackplaneConnection(string configuration)
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection =
        new(async () => await ConnectionMultiplexer.ConnectAsync(configuration));

    public Task<IConnectionMultiplexer> Get() => _connection.Value;

    /// <summary>Whether the connection has been made and is up now (false while Redis is down or before the first use).</summary>
    public bool IsConnected => _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully && _connection.Value.Result.IsConnected;
}

/// <summary>
/// Redis carries the walls' live traffic between web nodes and keeps the cameras' latest frames; without it a node
/// still takes reports and its own walls still receive (<see cref="Hubs.SignalRFeedPublisher"/>), so it is degraded,
/// not unready: a load balancer keeps sending it traffic.
/// </summary>
public sealed class RedisHealthCheck(BackplaneConnection backplane) : IHealthCheck
{
    public const string Degraded = "Redis does not answer: walls on other web nodes miss live entries until it is back " +
        "(then they catch up from the feed), camera frames are not shared between nodes, new wall subscriptions wait.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!backplane.IsConnected && backplane.Get().IsCompleted)
            return HealthCheckResult.Degraded(Degraded);
        try
        {
            var latency = await (await backplane.Get()).GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (RedisException e)
        {
            return HealthCheckResult.Degraded(Degraded, e);
        }
    }
}

public sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var self = snapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(self == SiloStatus.Active
            ? HealthCheckResult.Healthy($"{active} active silo(s)")
            : HealthCheckResult.Unhealthy($"This silo is {self}."));
    }
}

/// <summary>
/// <c>/health/ready</c>'s answer: the overall status (200 for healthy and degraded, 503 for unhealthy) and each check's
/// status and description, so an operator sees what is degraded, e.g.
/// <c>{"status":"Degraded","checks":{"postgres":{"status":"Healthy"},"redis":{"status":"Degraded","description":"Redis does not answer: …"}}}</c>.
/// </summary>
public static class HealthReport
{
    public static Task Write(HttpContext http, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
