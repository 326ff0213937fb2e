using System.Collections.Concurrent;
using CommandCenter.Access;
using CommandCenter.Web.Access;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Hubs;

/// <summary>What a hub client is told before its connection closes because its sign-in is over.</summary>
/// <param name="Reason">One of <see cref="SignInRules.Reasons"/>.</param>
/// <param name="Message">What the person reads.</param>
public sealed record SignedOutNotice(string Reason, string Message);

/// <summary>This node's hub connections of people, by the session each was opened in.</summary>
public sealed class HubSessions
{
    private readonly ConcurrentDictionary<string, (Guid Session, string Username, HubCallerContext Context)> _connections = new();

    public void Add(HubCallerContext context)
    {
        if (context.User.SessionOf() is { } session && context.User.ToCaller()?.Username is { } username)
            _connections[context.ConnectionId] = (session, username, context);
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public IReadOnlyList<(Guid Session, string Username, HubCallerContext Context)> All() => _connections.Values.ToList();
}

/// <summary>
/// Closes this node's hub connections whose sign-in is over, every <see cref="AccessOptions.SessionSweepInterval"/>:
/// each is asked of PostgreSQL (<see cref="SessionGuard.Recheck"/>), the client gets <c>signedOut</c> with the reason,
/// and the connection is aborted. A failed sweep is logged and counted; the next one tries again.
/// </summary>
public sealed class SessionSweep(HubSessions connections, SessionGuard guard, IHubContext<WallHub, IWallClient> hub,
    IOptionsMonitor<AccessOptions> options, ILogger<SessionSweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.SessionSweepInterval, stoppingToken);
                await Sweep();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                BackgroundFailures.Count("session sweep");
                log.LogWarning(e, "The sweep of hub sessions failed; the next one tries again");
            }
        }
    }

    private async Task Sweep()
    {
        foreach (var group in connections.All().GroupBy(c => (c.Session, c.Username)))
        {
            if (await guard.Recheck(group.Key.Session, group.Key.Username) is not { } reason)
                continue;
            var notice = new SignedOutNotice(reason, SignInRules.Describe(reason));
            foreach (var (_, _, context) in group)
            {
                await hub.Clients.Client(context.ConnectionId).SignedOut(notice);
                context.Abort();
                connections.Remove(context.ConnectionId);
            }
        }
    }
}
