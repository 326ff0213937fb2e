using CommandCenter.Access;
using CommandCenter.Feeds;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Hubs;

/// <summary>What <see cref="WallHub.Subscribe"/> answers once the backlog has been sent.</summary>
public sealed record SubscribeResult(string Jurisdiction, long Head, bool Resync);

/// <summary>What <see cref="WallHub.JoinSession"/> answers once the session's log since the number asked for has been sent.</summary>
/// <see cref="View"/>: the view its leader shared last, if anyone leads it.
public sealed record SessionJoined(Guid Session, long Head, CommandCenter.Command.LedView? View);

/// <summary>
/// Walls and phones follow jurisdiction feeds here; what it sends them is <see cref="IWallClient"/>.
/// Only signed-in callers connect, and each joins only the feeds of its own jurisdiction (<see cref="AccessPolicy"/>):
/// a connection is in no group it was not allowed into, so no entry from outside its scope can reach it.
/// </summary>
[Authorize(Policy = AccessHosting.PersonPolicy)]
public sealed class WallHub(IGrainFactory grains, JurisdictionDirectory directory, TimeProvider clock, LocalFeedGroups local,
    Application.CommandService command, HubSessions sessions) : Hub<IWallClient>
{
    public const string Path = "/hubs/wall";
    public const int MaxSubscriptionsPerConnection = 16;
    public const int MaxSessionsPerConnection = 4;
    private const int PageSize = FeedGrain.MaxEntriesPerMessage;

    public static string Group(string jurisdictionCode) => "feed:" + jurisdictionCode;

    public static string SessionGroup(Guid session) => "command:" + session.ToString("N");

    /// <summary>
    /// Joins the jurisdiction's live feed, then sends every entry after <paramref name="afterSequence"/> as
    /// <c>entries</c> messages (a page each). Live entries may arrive while the backlog is sent: clients apply entries by sequence.
    /// When the client is too far behind nothing is replayed and <see cref="SubscribeResult.Resync"/> is true.
    /// </summary>
    public async Task<SubscribeResult> Subscribe(string jurisdictionCode, long afterSequence)
    {
        var caller = Context.User.ToCaller();
        var decision = AccessPolicy.Decide(caller, AccessAction.ReadFeeds, jurisdictionCode ?? "", directory.Tree);
        if (decision != AccessDecision.Allowed)
        {
            throw new HubException(decision switch
            {
                AccessDecision.NotFound => $"Unknown jurisdiction '{jurisdictionCode}'.",
                AccessDecision.RoleForbidden => "Forbidden: your role may not follow feeds.",
                _ => $"Forbidden: '{jurisdictionCode}' is outside your jurisdiction.",
            });
        }
        var subscriptions = Subscriptions();
        if (subscriptions.Add(jurisdictionCode!) && subscriptions.Count > MaxSubscriptionsPerConnection)
        {
            subscriptions.Remove(jurisdictionCode!);
            throw new HubException($"At most {MaxSubscriptionsPerConnection} subscriptions per connection.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, Group(jurisdictionCode!), Context.ConnectionAborted);
        local.Add(Group(jurisdictionCode!), Context.ConnectionId);
        var feed = grains.GetGrain<IFeedGrain>(jurisdictionCode!);
        var after = afterSequence;
        while (true)
        {
            var from = after;
            var page = await ClusterRetry.Run(() => feed.Read(from, PageSize), clock, Context.ConnectionAborted);
            if (page.Resync)
                return new SubscribeResult(jurisdictionCode!, page.Head, true);
            if (page.Entries.Count == 0)
                return new SubscribeResult(jurisdictionCode!, page.Head, false);
            await Clients.Caller.Entries(page.Entries, Context.ConnectionAborted);
            after = page.Entries[^1].Sequence;
        }
    }

    public async Task Unsubscribe(string jurisdictionCode)
    {
        if (Subscriptions().Remove(jurisdictionCode ?? ""))
        {
            local.Remove(Group(jurisdictionCode!), Context.ConnectionId);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(jurisdictionCode!), Context.ConnectionAborted);
        }
    }

    /// <summary>
    /// Follows a command session the caller may follow (<see cref="CommandCenter.Access.AccessPolicy.DecideSession"/>): joins its
    /// group, then sends its log after <paramref name="afterSequence"/> as <c>sessionEntries</c> messages. Live entries
    /// may arrive meanwhile: clients apply entries by sequence.
    /// </summary>
    public async Task<SessionJoined> JoinSession(Guid session, long afterSequence)
    {
        if (Context.User.ToCaller() is not { } caller)
            throw new HubException("Not signed in.");
        var page = await command.Log(caller, session, afterSequence, PageSize);
        if (page.Refusal is { } refusal)
            throw Refused(refusal);
        var sessions = Sessions();
        if (sessions.Add(session) && sessions.Count > MaxSessionsPerConnection)
        {
            sessions.Remove(session);
            throw new HubException($"At most {MaxSessionsPerConnection} command sessions per connection.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, SessionGroup(session), Context.ConnectionAborted);
        local.Add(SessionGroup(session), Context.ConnectionId);
        var entries = page.Value!.Entries;
        while (entries.Count > 0)
        {
            await Clients.Caller.SessionEntries(entries, Context.ConnectionAborted);
            entries = (await command.Log(caller, session, entries[^1].Sequence, PageSize)).Value?.Entries ?? [];
        }
        return new SessionJoined(session, page.Value.Head, await grains.GetGrain<CommandCenter.Command.ICommandSessionGrain>(session).View());
    }

    /// <summary>
    /// 领屏: the caller's map view to the session's followers (<c>sessionView</c>); only the one who leads the session
    /// shares its view (<see cref="Application.CommandService.ShareView"/>). Answers the view's number.
    /// </summary>
    public async Task<long> ShareView(Guid session, CommandCenter.Command.MapView view)
    {
        if (Context.User.ToCaller() is not { } caller)
            throw new HubException("Not signed in.");
        var shared = await command.ShareView(caller, session, view);
        if (shared.Refusal is { } refusal)
            throw Refused(refusal);
        return shared.Value!.Version;
    }

    public async Task LeaveSession(Guid session)
    {
        if (Sessions().Remove(session))
        {
            local.Remove(SessionGroup(session), Context.ConnectionId);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, SessionGroup(session), Context.ConnectionAborted);
        }
    }

    /// <summary>The connection is closed by <see cref="SessionSweep"/> when its sign-in is over.</summary>
    public override Task OnConnectedAsync()
    {
        sessions.Add(Context);
        return base.OnConnectedAsync();
    }

    /// <summary>SignalR leaves its groups by itself; this node's own record of them is cleared here.</summary>
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        foreach (var code in Subscriptions())
            local.Remove(Group(code), Context.ConnectionId);
        foreach (var session in Sessions())
            local.Remove(SessionGroup(session), Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static HubException Refused(Application.Refusal refusal) =>
        new($"{refusal.Title} {refusal.Detail ?? string.Join(" ", refusal.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? [])}".Trim());

    private HashSet<string> Subscriptions() => Item<HashSet<string>>(nameof(Subscriptions), () => new(StringComparer.Ordinal));

    private HashSet<Guid> Sessions() => Item<HashSet<Guid>>(nameof(Sessions), () => []);

    private T Item<T>(string name, Func<T> create) where T : class
    {
        if (Context.Items.TryGetValue(name, out var existing))
            return (T)existing!;
        var created = create();
        Context.Items[name] = created;
        return created;
    }
}
