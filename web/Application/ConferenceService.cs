using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Jurisdictions;
using CommandCenter.Video;
using CommandCenter.Web.Video;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Application;

/// <summary>What a page needs to take part in a session's conference: the ticket's address, who it is there, whether it may publish, and the session's stations by name.</summary>
public sealed record ConferenceJoin(Guid Session, string Title, string Room, string Url, string Participant, string Display, bool Publish,
    bool MayCommand, string? Floor, string? FloorName, IReadOnlyList<ConferenceMember> Stations, IReadOnlyList<IceServer> IceServers,
    VideoCapture Capture, DateTimeOffset TicketExpires);

/// <summary>A station of a session's conference (its tile's name).</summary>
public sealed record ConferenceMember(string Code, string Name);

/// <summary>Who is in a session's conference now (their feeds), and who has the floor.</summary>
public sealed record ConferenceState(Guid Session, string Room, string? Floor, string? FloorName, IReadOnlyList<ConferenceFeedView> Feeds);

public sealed record ConferenceFeedView(string Feed, string Participant, string Name, bool Station);

/// <summary>
/// A command session's video conference (视频会商) on the media server: one room per session (<see cref="Room"/>), made
/// through Janus' API when first joined and destroyed when the session closes. The access policy decides: those who
/// may follow the session may join; those who command its area and its participating stations publish, the others
/// watch. Joins, leaves, the floor (发言), muting and failures go to the session's log (each with its audit row).
/// </summary>
public sealed class ConferenceService(
    CommandService command,
    IGrainFactory grains,
    JanusClient janus,
    VideoTickets tickets,
    IOptions<VideoOptions> options,
    [FromKeyedServices(CommandService.ClockKey)] TimeProvider clock,
    ILogger<ConferenceService> log)
{
    /// <summary>Who writes what the media server reports (joins, leaves, failures) into a session's log.</summary>
    public static readonly Caller MediaServer = new("system:video", "视频会议", Role.Integration, []);

    public const string RoomPrefix = "session-";

    public static string Room(Guid session) => RoomPrefix + session.ToString("N");

    public static Guid? SessionOf(string room) =>
        room.StartsWith(RoomPrefix, StringComparison.Ordinal) && Guid.TryParseExact(room[RoomPrefix.Length..], "N", out var id) ? id : null;

    /// <summary>The participant key of a person who joins as themselves (not for a station): <c>u:</c> and the username.</summary>
    public static string PersonParticipant(Caller caller) =>
        "u:" + (caller.Username ?? caller.Id);

    /// <summary>A ticket to the session's conference for the caller (the room is made now if it is not there).</summary>
    public async Task<Outcome<ConferenceJoin>> Join(Actor actor, Guid id, JoinConferenceRequest request)
    {
        if (!IsConfigured)
            return NoVideo();
        var caller = actor.Caller;
        var followed = await command.Followed(caller, id);
        if (followed.Refusal is { } refusal)
            return refusal;
        var (session, tree) = followed.Value;
        if (!session.IsOpen)
            return Refusal.Conflict("session", "The session is closed.");
        var mayCommand = AccessPolicy.Decide(caller, AccessAction.CommandEmergencies, session.Area, tree) == AccessDecision.Allowed;
        var own = session.Participants.Where(AccessPolicy.IsOwnStation(caller)).ToList();
        string participant, display;
        if (request.Station is { } station)
        {
            if (!own.Contains(station, StringComparer.Ordinal))
                return Refusal.Invalid("station", "Not one of your stations in this session.");
            (participant, display) = (station, $"{tree.NameOf(station)} · {caller.Name}");
        }
        else if (own.Count > 1)
            return Refusal.Invalid("station", "Your account covers several of the session's stations: name the one you join for.");
        else if (own.Count == 1)
            (participant, display) = (own[0], $"{tree.NameOf(own[0])} · {caller.Name}");
        else
            (participant, display) = (PersonParticipant(caller), caller.Jurisdictions.FirstOrDefault() is { } home && tree.Find(home) is not null
                ? $"{tree.NameOf(home)} · {caller.Name}" : caller.Name);
        return await Admit(caller, id, session.Title, Room(id), participant, display, publish: mayCommand || own.Count > 0, mayCommand, session.Floor,
            session.Floor is { } floor ? tree.NameOf(floor) : null, session.Participants.Select(code => new ConferenceMember(code, tree.NameOf(code))).ToList());
    }

    /// <summary>
    /// A ticket to one of our rooms (a session's, a roll call's: <paramref name="id"/>) for the caller as
    /// <paramref name="participant"/>, with what the page needs; the room is made now if Janus has none.
    /// </summary>
    internal async Task<Outcome<ConferenceJoin>> Admit(Caller caller, Guid id, string title, string room, string participant, string display, bool publish,
        bool mayCommand, string? floor, string? floorName, IReadOnlyList<ConferenceMember> stations)
    {
        if (await Prepared(room, title) is { } unavailable)
            return unavailable;
        var (ticket, expires) = tickets.Issue(caller.Id, room, participant, display, publish);
        return new ConferenceJoin(id, title, room, $"{JanusProxy.Path}?ticket={Uri.EscapeDataString(ticket)}", participant, display, publish,
            mayCommand, floor, floorName, stations, options.Value.IceServers, options.Value.Capture, expires);
    }

    /// <summary>Who is in the session's conference now.</summary>
    public async Task<Outcome<ConferenceState>> State(Caller caller, Guid id)
    {
        var followed = await command.Followed(caller, id);
        if (followed.Refusal is { } refusal)
            return refusal;
        var (session, tree) = followed.Value;
        var feeds = await Conference(Room(id)).Feeds();
        return new ConferenceState(id, Room(id), session.Floor, session.Floor is { } floor ? tree.NameOf(floor) : null,
            feeds.Select(f => new ConferenceFeedView(f.Feed, f.Participant, f.Display, tree.Find(f.Participant) is not null)).ToList());
    }

    /// <summary>Gives the floor (发言) to one of the session's stations, or takes it back (null): in the log, audited; every page shows that station large.</summary>
    public async Task<Outcome<ConferenceState>> Floor(Actor actor, Guid id, FloorRequest request)
    {
        var open = await command.OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        if (request.Station is { } station && !session.Participants.Contains(station, StringComparer.Ordinal))
            return Refusal.Invalid("station", "Not one of the session's stations.");
        if (session.Floor != request.Station)
        {
            var name = request.Station is { } given ? tree.NameOf(given) : null;
            var entry = await grains.GetGrain<ICommandSessionGrain>(id).Append(CommandService.Event(actor, SessionLogKinds.ConferenceFloor,
                Timestamps.Stored(clock.GetUtcNow()), new { Station = request.Station, StationName = name, Previous = session.Floor },
                AuditActions.GiveFloor, id.ToString(), $"{session.Title} · {name ?? "—"}", new GiveFloor(id, request.Station)));
            if (entry is null)
                return Refusal.Conflict("session", "The session is closed.");
        }
        return await State(actor.Caller, id);
    }

    /// <summary>Mutes a station's microphone in the conference (Janus moderates its audio), or lifts it: in the log, audited.</summary>
    public async Task<Outcome<ConferenceState>> Mute(Actor actor, Guid id, MuteRequest request)
    {
        if (!options.Value.IsConfigured)
            return NoVideo();
        var open = await command.OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        if (!session.Participants.Contains(request.Station, StringComparer.Ordinal))
            return Refusal.Invalid("station", "Not one of the session's stations.");
        var room = Room(id);
        var feeds = (await Conference(room).Feeds()).Where(f => f.Participant == request.Station && f.AudioMid is not null).ToList();
        if (feeds.Count == 0)
            return Refusal.Conflict("station", $"{tree.NameOf(request.Station)} sends no sound in the conference now.");
        try
        {
            foreach (var feed in feeds)
                await janus.Moderate(room, feed.Feed, feed.AudioMid!, request.Muted);
        }
        catch (Exception e) when (e is JanusException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            log.LogWarning(e, "Muting {Station} in {Room} failed", request.Station, room);
            return Refusal.Unavailable("The media server does not answer; try again in a moment.");
        }
        var name = tree.NameOf(request.Station);
        await grains.GetGrain<ICommandSessionGrain>(id).Append(CommandService.Event(actor, SessionLogKinds.ConferenceMuted,
            Timestamps.Stored(clock.GetUtcNow()), new { Station = request.Station, StationName = name, request.Muted },
            AuditActions.MuteInConference, id.ToString(), $"{session.Title} · {name} · {(request.Muted ? "muted" : "unmuted")}"));
        return await State(actor.Caller, id);
    }

    /// <summary>A participant's page could not take part (no camera, publishing refused): in the session's log.</summary>
    public async Task<Outcome<ConferenceState>> Failed(Actor actor, Guid id, ConferenceFailureRequest request)
    {
        var followed = await command.Followed(actor.Caller, id);
        if (followed.Refusal is { } refusal)
            return refusal;
        var (session, _) = followed.Value;
        await grains.GetGrain<ICommandSessionGrain>(id).Append(CommandService.Event(actor, SessionLogKinds.ConferenceFailed,
            Timestamps.Stored(clock.GetUtcNow()), new { Name = actor.Caller.Name, request.Reason }, AuditActions.ConferenceFailure, id.ToString(),
            $"{session.Title} · {request.Reason}"));
        return await State(actor.Caller, id);
    }

    /// <summary>Closes the session (<see cref="CommandService.Close"/>), and with it its conference: its room goes (Janus lets everyone still in it go).</summary>
    public async Task<Outcome<SessionView>> CloseSession(Actor actor, Guid id, CloseSessionRequest request)
    {
        var closed = await command.Close(actor, id, request);
        if (closed.Refusal is null)
            await Destroy(Room(id));
        return closed;
    }

    /// <summary>Destroys one of our rooms (Janus lets everyone still in it go); a media server that does not answer drops it when it restarts.</summary>
    internal async Task Destroy(string room)
    {
        if (!options.Value.IsConfigured)
            return;
        try
        {
            await janus.Destroy(room);
        }
        catch (Exception e) when (e is JanusException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            BackgroundFailures.Count("video.room");
            log.LogWarning(e, "Destroying room {Room} failed; Janus drops it when it restarts", room);
        }
    }

    /// <summary>What the media server reports of a session's room: joins and leaves (a participant's first and last feed) and media failures, in its log.</summary>
    public async Task Record(VideoEvent e)
    {
        if (SessionOf(e.Room) is not { } id)
            return;
        var conference = Conference(e.Room);
        switch (e)
        {
            case FeedJoined joined when await conference.Joined(joined.Feed, joined.Participant, joined.Display):
                await Log(id, SessionLogKinds.ConferenceJoined, AuditActions.JoinConference, e, new { e.Participant, Name = joined.Display }, joined.Display);
                break;
            case FeedPublished published:
                await conference.Published(published.Feed, published.AudioMid);
                break;
            case FeedLeft left:
                var display = (await conference.Feeds()).FirstOrDefault(f => f.Feed == left.Feed)?.Display ?? left.Participant;
                if (await conference.Left(left.Feed))
                    await Log(id, SessionLogKinds.ConferenceLeft, AuditActions.LeaveConference, e, new { e.Participant, Name = display }, display);
                break;
            case MediaFailed:
                var who = (await conference.Feeds()).FirstOrDefault(f => f.Participant == e.Participant)?.Display ?? e.Participant;
                await Log(id, SessionLogKinds.ConferenceFailed, AuditActions.ConferenceFailure, e, new { e.Participant, Name = who, Reason = "媒体连接失败(ICE)" }, who);
                break;
        }
    }

    /// <summary>An entry the media server reports, audited as its own and named after the participant it is about.</summary>
    private async Task Log(Guid id, string kind, string auditAction, VideoEvent e, object data, string name) =>
        await grains.GetGrain<ICommandSessionGrain>(id).Append(CommandService.Event(new Actor(MediaServer, null), kind, Timestamps.Stored(e.At), data,
            auditAction, id.ToString(), name) with { ByName = name });

    /// <summary>Makes the room if Janus has none; a media server that does not answer is a 503.</summary>
    internal async Task<Refusal?> Prepared(string room, string description)
    {
        try
        {
            await janus.Prepare(room, description, null);
            return null;
        }
        catch (Exception e) when (e is JanusException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            log.LogWarning(e, "The media server did not make room {Room}", room);
            return Refusal.Unavailable("The media server does not answer; try again in a moment.");
        }
    }

    internal bool IsConfigured => options.Value.IsConfigured;

    private IConferenceGrain Conference(string room) => grains.GetGrain<IConferenceGrain>(room);

    internal static Refusal NoVideo() => Refusal.Unavailable("There is no media server (CommandCenter:Video:Janus).");
}
