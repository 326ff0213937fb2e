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
}

public sealed class RedisHealthCheck(BackplaneConnection backplane) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await (await backplane.Get()).GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (RedisException e)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", e);
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
