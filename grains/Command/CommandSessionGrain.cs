using CommandCenter.Access;
using CommandCenter.Feeds;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Command;

/// <summary>
/// One command session: loads it at activation and writes its log, one entry at a time, numbered from its head, then
/// pushes each entry to those following the session (in order: one call at a time). A commit that fails ends the
/// activation, so the next call reloads the head as stored; a push that fails is logged, and followers fill the gap
/// from the log (the feeds' sequence rules). It pushes through the hub, so it runs on web silos only (as feeds do).
/// The leader's map view is not a log entry (a wall pans many times a minute): it is numbered on
/// (<see cref="SessionRules.NextVersion"/>), pushed, and kept as the session's last view by a write in the background;
/// who leads, the markup and what is shared are entries.
/// </summary>
public sealed class CommandSessionGrain(CommandStore store, IFeedPublisher publisher, ILogger<CommandSessionGrain> log) : Grain, ICommandSessionGrain
{
    private CommandSession? _session;
    private LedView? _view;
    private LedView? _unsaved; // the newest view not yet kept
    private Task _saving = Task.CompletedTask;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _session = await store.Session(this.GetPrimaryKey());
        _view = _session?.Leader is null ? null : await store.View(this.GetPrimaryKey());
    }

    public Task<CommandSession?> Get() => Task.FromResult(_session);

    public async Task<CommandSession> Open(CommandSession session, SessionEvent entry)
    {
        if (_session is not null)
            return _session;
        var opened = session with { Id = this.GetPrimaryKey(), ClosedAt = null, ClosedBy = null, Summary = null, Head = 1 };
        var first = Numbered(1, entry);
        await Commit(() => store.Open(opened, first, Audit(entry)));
        _session = opened;
        await Push(first);
        return opened;
    }

    public async Task<SessionLogEntry?> Append(SessionEvent entry)
    {
        if (_session is not { IsOpen: true } session)
            return null;
        var logged = Numbered(session.Head + 1, entry);
        await Commit(() => store.Append(logged, entry.Change, Audit(entry)));
        _session = SessionRules.Apply(session, entry.Change) with { Head = logged.Sequence };
        if (entry.Change is TakeLead)
            _view = null;
        await Push(logged);
        return logged;
    }

    public async Task<CommandSession?> Close(string summary, SessionEvent entry)
    {
        if (_session is not { IsOpen: true } session)
            return _session;
        var logged = Numbered(session.Head + 1, entry);
        await Commit(() => store.Append(logged, entry.Change, Audit(entry), closeWith: summary));
        _session = session with { Head = logged.Sequence, ClosedAt = logged.At, ClosedBy = logged.Actor, Summary = summary, Leader = null, LeaderName = null, Floor = null };
        _view = null;
        await Push(logged);
        return _session;
    }

    public async Task<LedView?> ShareView(string leader, MapView view, DateTimeOffset at)
    {
        if (_session is not { } session || !SessionRules.Leads(session, leader))
            return null;
        var led = new LedView(session.Id, SessionRules.NextVersion(_view?.Version ?? 0, at), view, leader, session.LeaderName ?? leader, at);
        _view = led;
        try
        {
            await publisher.PublishSessionView(led);
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("command.push");
            log.LogWarning(e, "Command session {Session}: pushing view {Version} failed; followers get the next one", session.Id, led.Version);
        }
        _unsaved = led;
        if (_saving.IsCompleted)
            _saving = SaveViews();
        return led;
    }

    /// <summary>
    /// Keeps the newest view shared, one write at a time and off the leader's path (the next view does not wait for
    /// the disk): views shared while one is written are kept by the next write, the newest only.
    /// </summary>
    private async Task SaveViews()
    {
        while (_unsaved is { } next)
        {
            _unsaved = null;
            try
            {
                await store.SaveView(next);
            }
            catch (Exception e)
            {
                BackgroundFailures.Count("command.view");
                log.LogWarning(e, "Command session {Session}: keeping view {Version} failed; a follower joining later waits for the next one",
                    next.Session, next.Version);
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await _saving;

    public Task<LedView?> View() => Task.FromResult(_view);

    public async Task<IReadOnlyList<SessionLogEntry>> Read(long after, int max) =>
        _session is null || after >= _session.Head ? [] : await store.Log(_session.Id, after, max);

    private async Task Commit(Func<Task> commit)
    {
        try
        {
            await commit();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task Push(SessionLogEntry entry)
    {
        try
        {
            await publisher.PublishSessionEntries([entry]);
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("command.push");
            log.LogWarning(e, "Command session {Session}: pushing entry {Sequence} failed; followers read it from the log", entry.Session, entry.Sequence);
        }
    }

    private SessionLogEntry Numbered(long sequence, SessionEvent entry) =>
        new(this.GetPrimaryKey(), sequence, entry.Kind, entry.At, entry.By.Caller.Id, entry.ByName, entry.Data);

    private static AuditEntry Audit(SessionEvent entry) =>
        AuditLog.Row(entry.At, entry.By.Caller, entry.AuditAction, entry.AuditTarget, detail: entry.AuditDetail, clientAddress: entry.By.ClientAddress);
}
