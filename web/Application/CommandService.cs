using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Cameras;
using CommandCenter.Command;
using CommandCenter.Incidents;
using CommandCenter.Feeds;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using Npgsql;

namespace CommandCenter.Web.Application;

/// <summary>An area by code and name.</summary>
public sealed record NamedArea(string Code, string Name);

/// <summary>A command session as its participants see it: areas by name, whether it is still open, who leads its view (领屏).</summary>
public sealed record SessionView(
    Guid Id,
    string Title,
    string Area,
    string AreaName,
    CommandLevel Level,
    IReadOnlyList<Guid> Incidents,
    IReadOnlyList<NamedArea> Participants,
    string OpenedBy,
    string OpenedByName,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    string? Summary,
    long Head,
    bool Open,
    string? Leader,
    string? LeaderName);

/// <summary>One recipient of an instruction: where it stands, how long signing and reporting took, which deadline it missed.</summary>
public sealed record RecipientView(
    string Code,
    string Name,
    RecipientState State,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? SignedAt,
    string? SignedByName,
    DateTimeOffset? ReportedAt,
    DateTimeOffset? DoneAt,
    double? SecondsToSign,
    double? SecondsToReport,
    bool SignMissed,
    bool ReportMissed,
    DateTimeOffset? SignRemindedAt,
    DateTimeOffset? ReportRemindedAt,
    DateTimeOffset? EscalatedAt,
    string? EscalatedToName);

/// <summary>How many of the recipients shown stand where.</summary>
public sealed record InstructionTally(int Recipients, int Delivered, int Signed, int Reported, int Done, int SignMissed, int ReportMissed);

/// <summary>An instruction with the recipients the caller may see (their own station's, or those of their jurisdiction).</summary>
public sealed record InstructionView(
    Guid Id,
    Guid? Session,
    string Text,
    string IssuedByName,
    DateTimeOffset IssuedAt,
    DateTimeOffset SignDue,
    DateTimeOffset ReportDue,
    IReadOnlyList<RecipientView> Recipients,
    InstructionTally Tally);

/// <summary>
/// The commander's board (态势): the session, its instructions with each recipient's progress, the report-backs (of
/// the recipients shown) with their photos, and how long it has run.
/// </summary>
public sealed record SessionBoard(SessionView Session, IReadOnlyList<InstructionView> Instructions, IReadOnlyList<InstructionReportView> Reports,
    double Seconds);

/// <summary>A page of a session's log: its entries after the number asked for, and the head.</summary>
public sealed record SessionLogPage(Guid Session, long Head, IReadOnlyList<SessionLogEntry> Entries);

/// <summary>Markup on a session's map as shown: points as [lat, lng] pairs (a circle: its centre, with the radius in metres).</summary>
public sealed record MarkupView(Guid Id, MarkupKind Kind, IReadOnlyList<double[]> Points, double? Radius, string Label, string DrawnByName,
    DateTimeOffset DrawnAt);

/// <summary>
/// An incident a session shares: enough to draw and list it on a participant's wall, with the cameras near it that
/// the caller may see (its own jurisdiction's, or those the session shares), nearest first.
/// </summary>
public sealed record SharedIncident(Guid Id, string Title, string Category, IncidentStatus Status, double Lat, double Lng, string GridName,
    DateTimeOffset ReportedAt, IReadOnlyList<NearbyCamera> Cameras);

/// <summary>A camera near a session's incident: how far, its status, and where the caller gets its snapshot.</summary>
public sealed record NearbyCamera(string Id, string Name, double DistanceMeters, CameraStatus Status, string SnapshotUrl);

/// <summary>A camera a session shares: where it is and whether it is online.</summary>
public sealed record SharedCamera(string Id, string Name, double Lat, double Lng, CameraStatus Status, string GridName);

/// <summary>The session's area as a participant's wall draws it: its outline's rings ([lat, lng] pairs) and bounds [south, west, north, east].</summary>
public sealed record SharedArea(string Code, string Name, IReadOnlyList<IReadOnlyList<double[]>> Rings, double[] Bounds);

/// <summary>
/// What a session shows every participant's wall besides the participant's own jurisdiction: who leads, the view last
/// shared, its area, the incidents and cameras it shares and its markup (<see cref="AccessPolicy.DecideShared"/>).
/// </summary>
/// <param name="Head">The session's log as far as this answer goes: a wall follows the log from here.</param>
/// <param name="MayCommand">The caller commands the session's area: it may take the lead (领屏), draw markup and share.</param>
public sealed record SessionShared(Guid Session, string Title, bool Open, long Head, bool MayCommand, string? Leader, string? LeaderName, LedView? View,
    SharedArea Area,
    IReadOnlyList<SharedIncident> Incidents, IReadOnlyList<SharedCamera> Cameras, IReadOnlyList<MarkupView> Markup);

/// <summary>A report-back as answered: who reported for which station, what, where, and its photos' addresses.</summary>
public sealed record InstructionReportView(Guid Id, Guid Instruction, string Recipient, string RecipientName, DateTimeOffset At, string ByName,
    string Text, double? Lat, double? Lng, bool Done, IReadOnlyList<string> Photos);

/// <summary>A photo of a report-back as answered to its upload.</summary>
public sealed record InstructionPhotoInfo(Guid Id, Guid Report, string MediaType, int Size, string Url);

/// <summary>
/// Remote emergency command (应急指挥): a commander or duty officer (or a township station, for its villages) opens a
/// session for an incident or an area with the stations taking part, and closes it with a summary; everything in it
/// goes to its log (<see cref="ICommandSessionGrain"/>). Instructions (指令), in a session or as a broadcast outside
/// one, go to stations, which receive (delivered), sign (签收) and report back (回执, done or not); each recipient's
/// deadlines are <see cref="InstructionRules"/>'. Every change is one commit with its audit row, and a retry with the
/// same Idempotency-Key finds what the first one made. Times are the command clock (<see cref="ClockKey"/>).
/// </summary>
public sealed class CommandService(
    CommandStore store,
    IGrainFactory grains,
    JurisdictionDirectory directory,
    IncidentService incidents,
    CameraHealthStore cameraHealth,
    IFeedPublisher publisher,
    PhotoCopies copies,
    [FromKeyedServices(CommandService.ClockKey)] TimeProvider clock,
    ILogger<CommandService> log)
{
    /// <summary>The command clock: the instruction sweep's, so deadlines are judged by one time.</summary>
    public const string ClockKey = InstructionSweepGrain.ClockKey;
    public const int MaxStations = 1000;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxLogPage = 500;

    /// <summary>How far from a session's incident its board looks for cameras, and how many it shows.</summary>
    public const double NearbyCameraMeters = 1000;
    public const int NearbyCameras = 4;

    // ---- sessions -------------------------------------------------------------------------------------------------

    public async Task<Outcome<SessionView>> Open(Actor actor, string key, OpenSessionRequest request)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var caller = actor.Caller;
        if (AreaRefusal(caller, AccessPolicy.Decide(caller, AccessAction.CommandEmergencies, request.Area, tree), "area", request.Area) is { } area)
            return area;
        if (StationsRefusal(caller, tree, request.Participants, "participants", broadcast: false) is { } participants)
            return participants;
        for (var i = 0; i < request.Incidents.Count; i++)
        {
            if (await incidents.Visible(caller, request.Incidents[i]) is null)
                return Refusal.Invalid($"incidents[{i}]", $"No incident {request.Incidents[i]} in your jurisdiction.");
        }
        var id = CommandIds.Session(caller.Id, key);
        var at = Timestamps.Stored(clock.GetUtcNow());
        var session = new CommandSession(id, request.Title, request.Area, tree.PathToRoot(request.Area), request.Level, request.Incidents,
            request.Participants, caller.Id, caller.Name, at, null, null, null, 0, []);
        var opened = await Session(id).Open(session, Event(actor, SessionLogKinds.Opened, at,
            new { request.Title, request.Area, request.Level, request.Participants, request.Incidents },
            AuditActions.OpenCommandSession, id.ToString(), $"{request.Title} · {tree.NameOf(request.Area)} · {request.Participants.Count} station(s)"));
        return View(opened, tree);
    }

    public async Task<Outcome<SessionView>> Close(Actor actor, Guid id, CloseSessionRequest request)
    {
        var commanded = await Commanded(actor.Caller, id);
        if (commanded.Refusal is { } commandedRefusal)
            return commandedRefusal;
        var (session, tree) = commanded.Value;
        if (!session.IsOpen)
            return View(session, tree);
        var at = Timestamps.Stored(clock.GetUtcNow());
        var closed = await Session(id).Close(request.Summary, Event(actor, SessionLogKinds.Closed, at, new { request.Summary },
            AuditActions.CloseCommandSession, id.ToString(), $"{session.Title} · {Math.Round((at - session.OpenedAt).TotalMinutes)} min"));
        return View(closed!, tree);
    }

    /// <summary>The sessions the caller may follow, newest first; <paramref name="open"/>: only those still open.</summary>
    public async Task<Outcome<IReadOnlyList<SessionView>>> List(Caller caller, bool? open)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var sessions = await store.Sessions(caller.Jurisdictions, open == true, MaxLimit);
        return sessions.Where(s => AccessPolicy.DecideSession(caller, s.Area, s.Participants, tree) == AccessDecision.Allowed)
            .Where(s => open is null || s.IsOpen == open)
            .Select(s => View(s, tree)).ToList();
    }

    public async Task<Outcome<SessionBoard>> Board(Caller caller, Guid id)
    {
        var followed = await Followed(caller, id);
        if (followed.Refusal is { } followedRefusal)
            return followedRefusal;
        var (session, tree) = followed.Value;
        var now = clock.GetUtcNow();
        var instructions = await store.Instructions(id, null, null, MaxLimit);
        var sees = Sees(caller, tree);
        return new SessionBoard(View(session, tree), instructions.Select(i => View(i, caller, tree, now)).ToList(),
            await Views((await store.SessionReports(id)).Where(r => sees(r.Recipient)).ToList(), tree),
            Math.Max(0, ((session.ClosedAt ?? now) - session.OpenedAt).TotalSeconds));
    }

    public async Task<Outcome<SessionLogPage>> Log(Caller caller, Guid id, long? after, int? max)
    {
        var errors = new Dictionary<string, string[]>();
        if (after is < 0)
            errors["after"] = ["0 or more."];
        if (max is < 1 or > MaxLogPage)
            errors["max"] = [$"From 1 to {MaxLogPage}."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        var followed = await Followed(caller, id);
        if (followed.Refusal is { } followedRefusal)
            return followedRefusal;
        var (session, _) = followed.Value;
        return new SessionLogPage(id, session.Head, await Session(id).Read(after ?? 0, max ?? MaxLogPage));
    }

    /// <summary>What each kind of log entry is called in an export (the pages' words: labels.js SESSION_LOG_LABELS).</summary>
    public static readonly IReadOnlyDictionary<string, string> LogKindNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SessionLogKinds.Opened] = "开启指挥",
        [SessionLogKinds.InstructionIssued] = "下达指令",
        [SessionLogKinds.InstructionSigned] = "签收指令",
        [SessionLogKinds.InstructionReported] = "回执",
        [SessionLogKinds.InstructionReminded] = "催办",
        [SessionLogKinds.InstructionEscalated] = "上报上级",
        [SessionLogKinds.Led] = "领屏",
        [SessionLogKinds.Released] = "结束领屏",
        [SessionLogKinds.MarkupDrawn] = "标绘",
        [SessionLogKinds.MarkupRemoved] = "撤除标绘",
        [SessionLogKinds.Shared] = "共享",
        [SessionLogKinds.ConferenceJoined] = "加入视频会议",
        [SessionLogKinds.ConferenceLeft] = "离开视频会议",
        [SessionLogKinds.ConferenceFloor] = "指定发言",
        [SessionLogKinds.ConferenceMuted] = "静音",
        [SessionLogKinds.ConferenceFailed] = "视频故障",
        [SessionLogKinds.Closed] = "结束指挥",
    };

    /// <summary>
    /// The whole log of a session the caller follows as CSV (序号, 时间 in China Standard Time, 事项, 操作人, 站点, 内容):
    /// names, not codes; every field inert for spreadsheets (<see cref="Csv"/>).
    /// </summary>
    public async Task<Outcome<byte[]>> ExportLog(Caller caller, Guid id)
    {
        var followed = await Followed(caller, id);
        if (followed.Refusal is { } refusal)
            return refusal;
        var (session, tree) = followed.Value;
        var entries = new List<SessionLogEntry>();
        for (var after = 0L; after < session.Head;)
        {
            var page = await Session(id).Read(after, MaxLogPage);
            if (page.Count == 0)
                break;
            entries.AddRange(page);
            after = page[^1].Sequence;
        }
        return Csv.Write(["序号", "时间", "事项", "操作人", "站点", "内容"], entries.Select(e =>
        {
            using var data = JsonDocument.Parse(e.Data);
            string? Text(string name) => data.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var station = Text("recipient") is { } code ? tree.NameOf(code) : null;
            return (IReadOnlyList<string?>)[e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ChinaTime.Of(e.At).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                LogKindNames.GetValueOrDefault(e.Kind, e.Kind), e.ActorName, station, Text("text") ?? Text("summary") ?? Text("label") ?? Text("title")];
        }));
    }

    // ---- the shared view (领屏/跟随) and what the session shares ----------------------------------------------------

    /// <summary>
    /// 领屏: the caller leads the session's view from now on, taking it over from whoever led it (in the log and audited);
    /// leading it already: answered as it is.
    /// </summary>
    public async Task<Outcome<SessionView>> Lead(Actor actor, Guid id)
    {
        var open = await OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        var caller = actor.Caller;
        if (SessionRules.Leads(session, caller.Id))
            return View(session, tree);
        var at = Timestamps.Stored(clock.GetUtcNow());
        var detail = session.LeaderName is { } previous ? $"{session.Title} · from {previous}" : session.Title;
        return await Changed(id, tree, await Session(id).Append(Event(actor, SessionLogKinds.Led, at,
            new { Leader = caller.Id, LeaderName = caller.Name, Previous = session.LeaderName },
            AuditActions.LeadCommandView, id.ToString(), detail, new TakeLead(id, caller.Id, caller.Name))));
    }

    /// <summary>The session's view is led by nobody from now on (by its leader or another who commands it); nobody leading: answered as it is.</summary>
    public async Task<Outcome<SessionView>> Release(Actor actor, Guid id)
    {
        var open = await OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        if (session.Leader is null)
            return View(session, tree);
        var at = Timestamps.Stored(clock.GetUtcNow());
        return await Changed(id, tree, await Session(id).Append(Event(actor, SessionLogKinds.Released, at, new { Leader = session.Leader, session.LeaderName },
            AuditActions.ReleaseCommandView, id.ToString(), $"{session.Title} · {session.LeaderName}", new TakeLead(id, null, null))));
    }

    /// <summary>
    /// The leader's map view to the session's followers (<c>sessionView</c>), numbered on; not a log entry and not
    /// audited each time (taking the lead is). Only the one who leads it shares a view (409 naming <c>session</c>).
    /// </summary>
    public async Task<Outcome<LedView>> ShareView(Caller caller, Guid id, MapView? view)
    {
        if (SessionRules.ViewErrors(view) is { Count: > 0 } errors)
            return Refusal.Invalid(errors);
        var open = await OpenCommanded(caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        if (view!.Highlight is { } highlight && tree.Find(highlight) is null)
            return Refusal.Invalid("highlight", $"No jurisdiction {highlight}.");
        if (!SessionRules.Leads(session, caller.Id))
            return NotLeading(session);
        return await Session(id).ShareView(caller.Id, view, clock.GetUtcNow()) is { } led ? led : NotLeading(session);
    }

    /// <summary>Draws markup (标绘) on the session's map: in its log and audited; the same Idempotency-Key again answers the stored one.</summary>
    public async Task<Outcome<MarkupView>> Mark(Actor actor, string key, Guid id, MarkupRequest request)
    {
        var open = await OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        var caller = actor.Caller;
        var markupId = CommandIds.Markup(caller.Id, key);
        if (await store.Markup(markupId) is { } existing)
            return existing.Markup.Session == id ? View(existing.Markup) : Refusal.Conflict("Idempotency-Key", "Already used for markup of another session.");
        var at = Timestamps.Stored(clock.GetUtcNow());
        var markup = new Markup(markupId, id, request.Kind, request.Points, request.Radius, request.Label, caller.Id, caller.Name, at);
        var shown = View(markup);
        try
        {
            if (await Session(id).Append(Event(actor, SessionLogKinds.MarkupDrawn, at, shown, AuditActions.DrawMarkup, id.ToString(),
                    $"{session.Title} · {Json.Word(request.Kind)} · {request.Label}", new DrawMarkup(markup))) is null)
                return Refusal.Conflict("session", "The session is closed.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same request twice at once: the other one drew it.
        }
        return shown;
    }

    /// <summary>Takes markup off the session's map (in its log and audited); taken off already: answered as it is.</summary>
    public async Task<Outcome<MarkupView>> Unmark(Actor actor, Guid id, Guid markupId)
    {
        var open = await OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, _) = open.Value;
        if (await store.Markup(markupId) is not { } found || found.Markup.Session != id)
            return Refusal.NotFound($"No markup {markupId} in this session.");
        if (found.Removed)
            return View(found.Markup);
        var at = Timestamps.Stored(clock.GetUtcNow());
        if (await Session(id).Append(Event(actor, SessionLogKinds.MarkupRemoved, at, new { Markup = markupId }, AuditActions.RemoveMarkup, id.ToString(),
                $"{session.Title} · {found.Markup.Label}", new RemoveMarkup(id, markupId, at))) is null)
            return Refusal.Conflict("session", "The session is closed.");
        return View(found.Markup);
    }

    /// <summary>
    /// Shares incidents and cameras of the caller's jurisdiction with every participant of the session (in its log and
    /// audited): their walls draw them, whatever their own jurisdiction (<see cref="AccessPolicy.DecideShared"/>).
    /// </summary>
    public async Task<Outcome<SessionShared>> Share(Actor actor, Guid id, ShareRequest request)
    {
        var open = await OpenCommanded(actor.Caller, id);
        if (open.Refusal is { } refusal)
            return refusal;
        var (session, tree) = open.Value;
        var caller = actor.Caller;
        for (var i = 0; i < request.Incidents.Count; i++)
        {
            if (await incidents.Visible(caller, request.Incidents[i]) is null)
                return Refusal.Invalid($"incidents[{i}]", $"No incident {request.Incidents[i]} in your jurisdiction.");
        }
        for (var i = 0; i < request.Cameras.Count; i++)
        {
            if (directory.Camera(request.Cameras[i]) is not { } camera
                || AccessPolicy.Decide(caller, AccessAction.ReadCameras, camera.GridCode, tree) != AccessDecision.Allowed)
                return Refusal.Invalid($"cameras[{i}]", $"No camera {request.Cameras[i]} in your jurisdiction.");
        }
        if (SessionRules.NewShares(session, request.Incidents, request.Cameras) is { } shares
            && await Session(id).Append(Event(actor, SessionLogKinds.Shared, Timestamps.Stored(clock.GetUtcNow()), new { shares.Incidents, shares.Cameras },
                AuditActions.ShareWithSession, id.ToString(), $"{session.Title} · {shares.Incidents.Count} incident(s) · {shares.Cameras.Count} camera(s)",
                shares)) is null)
            return Refusal.Conflict("session", "The session is closed.");
        return await Shared(caller, id);
    }

    /// <summary>What the session shows its participants' walls: who leads, the last view, its area, what it shares and its markup.</summary>
    public async Task<Outcome<SessionShared>> Shared(Caller caller, Guid id)
    {
        var followed = await Followed(caller, id);
        if (followed.Refusal is { } refusal)
            return refusal;
        var (session, tree) = followed.Value;
        var shared = new List<SharedIncident>();
        foreach (var incidentId in session.Incidents)
        {
            if (await ClusterRetry.Run(() => grains.GetGrain<IIncidentGrain>(incidentId).Get(), clock) is { } i)
            {
                shared.Add(new SharedIncident(i.Id, i.Title, i.Category, i.Status, i.Latitude, i.Longitude, tree.NameOf(i.GridCode), i.ReportedAt,
                    await CamerasNear(caller, session, tree, i.Latitude, i.Longitude)));
            }
        }
        var cameras = new List<SharedCamera>();
        foreach (var cameraId in session.Cameras)
        {
            if (directory.Camera(cameraId) is { } c)
                cameras.Add(new SharedCamera(c.Id, c.Name, c.Latitude, c.Longitude, (await cameraHealth.Load(c.Id))?.Status ?? CameraStatus.Unknown,
                    tree.NameOf(c.GridCode)));
        }
        var markup = await store.Markups(id);
        var mayCommand = AccessPolicy.Decide(caller, AccessAction.CommandEmergencies, session.Area, tree) == AccessDecision.Allowed;
        return new SessionShared(id, session.Title, session.IsOpen, session.Head, mayCommand, session.Leader, session.LeaderName,
            await Session(id).View(), Area(tree.Find(session.Area)!),
            shared, cameras, markup.Select(View).ToList());
    }

    /// <summary>
    /// The cameras of the session's area within <see cref="NearbyCameraMeters"/> of a point, nearest first, at most
    /// <see cref="NearbyCameras"/>: those of the caller's own jurisdiction (their snapshot as any camera's) and those
    /// the session shares (through the session).
    /// </summary>
    private async Task<IReadOnlyList<NearbyCamera>> CamerasNear(Caller caller, CommandSession session, JurisdictionTree tree, double lat, double lng)
    {
        var near = directory.CamerasIn(session.Area)
            .Select(c => (Camera: c, Meters: Distance.Meters(lat, lng, c.Latitude, c.Longitude),
                Own: AccessPolicy.Decide(caller, AccessAction.ReadCameras, c.GridCode, tree) == AccessDecision.Allowed))
            .Where(c => c.Meters <= NearbyCameraMeters && (c.Own || session.Cameras.Contains(c.Camera.Id)))
            .OrderBy(c => c.Meters)
            .Take(NearbyCameras)
            .ToList();
        var cameras = new List<NearbyCamera>(near.Count);
        foreach (var (camera, meters, own) in near)
        {
            var url = own ? $"/api/cameras/{Uri.EscapeDataString(camera.Id)}/snapshot"
                : $"/api/command-sessions/{session.Id}/cameras/{Uri.EscapeDataString(camera.Id)}/snapshot";
            cameras.Add(new NearbyCamera(camera.Id, camera.Name, Math.Round(meters), (await cameraHealth.Load(camera.Id))?.Status ?? CameraStatus.Unknown,
                url));
        }
        return cameras;
    }

    /// <summary>
    /// Whether the caller may see a camera through the session (<see cref="AccessPolicy.DecideShared"/>): not found
    /// otherwise, as for one that does not exist.
    /// </summary>
    public async Task<Refusal?> SharedCameraRefusal(Caller caller, Guid id, string camera)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var session = await Session(id).Get();
        return session is not null && AccessPolicy.DecideShared(caller, session.Area, session.Participants, session.Cameras.Contains(camera), tree)
            == AccessDecision.Allowed
            ? null
            : Refusal.NotFound($"No camera {camera} in a command session of yours.");
    }

    // ---- instructions ---------------------------------------------------------------------------------------------

    /// <summary>Issues an instruction, in the session <paramref name="sessionId"/> or (null) as a broadcast outside one.</summary>
    public async Task<Outcome<InstructionView>> Issue(Actor actor, string key, Guid? sessionId, IssueInstructionRequest request)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var caller = actor.Caller;
        CommandSession? session = null;
        if (sessionId is { } sid)
        {
            var commanded = await Commanded(caller, sid);
            if (commanded.Refusal is { } commandedRefusal)
                return commandedRefusal;
            var (found, _) = commanded.Value;
            if (!found.IsOpen)
                return Refusal.Conflict("session", "The session is closed.");
            session = found;
        }
        var codes = request.Recipients.Count > 0 ? request.Recipients : session?.Participants ?? [];
        if (codes.Count == 0)
            return Refusal.Invalid("recipients", "Name at least one station.");
        if (StationsRefusal(caller, tree, codes, "recipients", request.Broadcast) is { } refused)
            return refused;
        var stations = (request.Broadcast ? codes.SelectMany(c => InstructionRules.StationsUnder(tree, c)) : codes).Distinct(StringComparer.Ordinal).ToList();
        if (stations.Count == 0)
            return Refusal.Invalid("recipients", "There is no township or village station in them.");
        if (stations.Count > MaxStations)
            return Refusal.Invalid("recipients", $"At most {MaxStations} stations ({stations.Count} named).");

        var id = CommandIds.Instruction(caller.Id, key);
        if (await store.Instruction(id) is { } existing)
            return View(existing, caller, tree, clock.GetUtcNow());
        var at = Timestamps.Stored(clock.GetUtcNow());
        var (signDue, reportDue) = InstructionRules.Deadlines(at, request.SignWithin, request.ReportWithin);
        var instruction = new Instruction(id, session?.Id, request.Text, caller.Id, caller.Name, at, signDue, reportDue,
            stations.Select(code => new Station(code, tree.PathToRoot(code))).ToList());
        var change = new IssueInstruction(instruction);
        var detail = $"{stations.Count} station(s) · {Clip(request.Text)}";
        try
        {
            if (session is null)
                await store.Apply(change, AuditLog.Row(at, caller, AuditActions.IssueInstruction, id.ToString(), detail: detail, clientAddress: actor.ClientAddress));
            else if (await Session(session.Id).Append(Event(actor, SessionLogKinds.InstructionIssued, at,
                         new { Instruction = id, request.Text, Recipients = stations, SignDue = signDue, ReportDue = reportDue },
                         AuditActions.IssueInstruction, id.ToString(), detail, change)) is null)
                return Refusal.Conflict("session", "The session is closed.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same request twice at once: the other one issued it (and tells the stations).
            return View((await store.Instruction(id))!, caller, tree, clock.GetUtcNow());
        }
        await Tell(instruction);
        return View((await store.Instruction(id))!, caller, tree, clock.GetUtcNow());
    }

    /// <summary>The instructions to the caller's own stations, newest first; reading them marks them delivered (the client received them).</summary>
    public async Task<Outcome<IReadOnlyList<InstructionView>>> Mine(Caller caller)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var own = caller.Jurisdictions.Where(AccessPolicy.IsOwnStation(caller)).ToList();
        if (own.Count == 0)
            return Refusal.Forbidden("account", "Instructions go to station accounts.");
        var now = clock.GetUtcNow();
        var mine = await store.Instructions(null, own, null, DefaultLimit);
        var received = mine.SelectMany(i => i.Recipients.Where(r => r.DeliveredAt is null && own.Contains(r.Recipient)).Select(r => (i.Instruction.Id, r.Recipient)))
            .ToList();
        if (await store.Deliver(received, now) > 0)
            mine = await store.Instructions(null, own, null, DefaultLimit);
        return mine.Select(i => View(i, caller, tree, now, ownOnly: true)).ToList();
    }

    /// <summary>
    /// Instructions newest first: of a session the caller follows, to a station of the caller's jurisdiction, with a
    /// recipient in a state; without a session, those with a recipient in the caller's jurisdiction.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<InstructionView>>> Query(Caller caller, Guid? session, string? recipient, string? state, int? limit)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var errors = new Dictionary<string, string[]>();
        var wanted = EnumWords.Optional<RecipientState>("state", state, errors);
        if (limit is < 1 or > MaxLimit)
            errors["limit"] = [$"From 1 to {MaxLimit}."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (recipient is not null && !AccessPolicy.IsWithinScope(caller, recipient, tree) && !AccessPolicy.IsOwnStation(caller)(recipient))
            return AreaRefusal(caller, tree.Find(recipient) is null ? AccessDecision.NotFound : AccessDecision.OutOfScope, "recipient", recipient)!;
        if (session is { } id && await Followed(caller, id) is { Refusal: { } refusal })
            return refusal;
        var now = clock.GetUtcNow();
        var found = await store.Instructions(session, recipient is null ? null : [recipient], session is null ? caller.Jurisdictions : null, limit ?? DefaultLimit);
        return found.Select(i => View(i, caller, tree, now))
            .Select(v => recipient is null ? v : v with { Recipients = [.. v.Recipients.Where(r => r.Code == recipient)] })
            .Where(v => v.Recipients.Count > 0 && (wanted is null || v.Recipients.Any(r => r.State == wanted)))
            .ToList();
    }

    /// <summary>
    /// 催办 by those who command the recipient: the station's walls hear of the instruction again, as a reminder of what
    /// it has not done yet (to sign, else to report back), and the recipient counts as reminded of it (the sweep then
    /// leaves that one be); in the session's log while it is open; audited. A recipient that has reported back is not
    /// reminded (409 naming <c>recipient</c>).
    /// </summary>
    public async Task<Outcome<InstructionView>> Remind(Actor actor, Guid id, RemindInstructionRequest request)
    {
        var commanded = await CommandedRecipient(actor.Caller, id, request.Recipient);
        if (commanded.Refusal is { } refusal)
            return refusal;
        var (tree, state, progress) = commanded.Value;
        var caller = actor.Caller;
        if (progress.ReportedAt is not null)
            return Refusal.Conflict("recipient", $"{tree.NameOf(request.Recipient)} has reported back already.");
        var reminder = InstructionRules.Missing(progress);
        var at = Timestamps.Stored(clock.GetUtcNow());
        var i = state.Instruction;
        var detail = $"{tree.NameOf(request.Recipient)} · {(reminder == InstructionReminder.Sign ? "to sign" : "to report back")} · {Clip(i.Text)}";
        await Record(actor, i, new RemindInstruction(id, request.Recipient, reminder, at), at, SessionLogKinds.InstructionReminded,
            new { Instruction = id, Recipient = request.Recipient, Reminder = reminder }, AuditActions.RemindInstruction, detail);
        await Tell(i, [new Station(request.Recipient, tree.PathToRoot(request.Recipient))], reminder);
        return View((await store.Instruction(id))!, caller, tree, clock.GetUtcNow());
    }

    /// <summary>
    /// 上级督办 by those who command the recipient: a recipient that missed a deadline and has not reported back is sent
    /// up to its superior level (<see cref="InstructionRules.SuperiorOf"/>: a village's township, a township's county),
    /// whose walls list it until it reports back; once (again: answered as it is); in the session's log while it is
    /// open; audited. One that has not missed a deadline, or has reported back, is a 409 naming <c>recipient</c>.
    /// </summary>
    public async Task<Outcome<InstructionView>> Escalate(Actor actor, Guid id, RemindInstructionRequest request)
    {
        var commanded = await CommandedRecipient(actor.Caller, id, request.Recipient);
        if (commanded.Refusal is { } refusal)
            return refusal;
        var (tree, state, progress) = commanded.Value;
        var caller = actor.Caller;
        var i = state.Instruction;
        if (progress.EscalatedAt is not null)
            return View(state, caller, tree, clock.GetUtcNow());
        var now = clock.GetUtcNow();
        if (!InstructionRules.MayEscalate(progress, i.SignDue, i.ReportDue, now))
            return Refusal.Conflict("recipient", progress.ReportedAt is not null
                ? $"{tree.NameOf(request.Recipient)} has reported back already."
                : $"{tree.NameOf(request.Recipient)} has not missed a deadline yet.");
        var superior = InstructionRules.SuperiorOf(tree, request.Recipient);
        var missing = InstructionRules.Missing(progress);
        var at = Timestamps.Stored(now);
        var detail = $"{tree.NameOf(request.Recipient)} → {tree.NameOf(superior)} · {(missing == InstructionReminder.Sign ? "not signed" : "not reported back")} · {Clip(i.Text)}";
        await Record(actor, i, new EscalateInstruction(id, request.Recipient, superior, at), at, SessionLogKinds.InstructionEscalated,
            new { Instruction = id, Recipient = request.Recipient, Superior = superior, Missing = missing }, AuditActions.EscalateInstruction, detail);
        try
        {
            await publisher.PublishEscalation(new InstructionEscalation(id, i.Session, request.Recipient, tree.NameOf(request.Recipient), superior, i.Text,
                i.IssuedByName, at, missing));
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("instruction.push");
            log.LogWarning(e, "Instruction {Instruction}: telling {Superior} of the escalation failed; its walls read it on their next load", id, superior);
        }
        return View((await store.Instruction(id))!, caller, tree, clock.GetUtcNow());
    }

    /// <summary>
    /// The instructions with a recipient escalated to <paramref name="jurisdiction"/> (上级督办) that has not reported back
    /// since, newest first, with those recipients only: what the area's walls list.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<InstructionView>>> Escalated(Caller caller, string? jurisdiction)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (string.IsNullOrEmpty(jurisdiction))
            return Refusal.Invalid("jurisdiction", "Required: the area whose escalations are listed.");
        var now = clock.GetUtcNow();
        return (await store.EscalatedTo(jurisdiction, DefaultLimit))
            .Select(i => View(i, caller, tree, now))
            .Select(v => v with { Recipients = [.. v.Recipients.Where(r => r.EscalatedAt is not null && r.ReportedAt is null)] })
            .Where(v => v.Recipients.Count > 0)
            .ToList();
    }

    /// <summary>签收 for one of the caller's own stations; signed already: answered as it is.</summary>
    public async Task<Outcome<InstructionView>> Sign(Actor actor, Guid id, SignInstructionRequest request)
    {
        var own = await Own(actor.Caller, id, request.Recipient);
        if (own.Refusal is { } ownRefusal)
            return ownRefusal;
        var (tree, state, recipient) = own.Value;
        var progress = state.Recipients.First(r => r.Recipient == recipient);
        if (progress.SignedAt is null)
        {
            var at = Timestamps.Stored(clock.GetUtcNow());
            var late = at > state.Instruction.SignDue;
            var detail = $"{tree.NameOf(recipient)} · {(late ? "late" : "in time")} · {Clip(state.Instruction.Text)}";
            await Record(actor, state.Instruction, new SignInstruction(id, recipient, actor.Caller.Id, actor.Caller.Name, at), at,
                SessionLogKinds.InstructionSigned, new { Instruction = id, Recipient = recipient, Late = late }, AuditActions.SignInstruction, detail);
        }
        return View((await store.Instruction(id))!, actor.Caller, tree, clock.GetUtcNow(), ownOnly: true);
    }

    /// <summary>回执 for one of the caller's own stations (which signs for it too if it had not); the same Idempotency-Key again answers the stored one.</summary>
    public async Task<Outcome<InstructionReportView>> Report(Actor actor, string key, Guid id, ReportInstructionRequest request)
    {
        var own = await Own(actor.Caller, id, request.Recipient);
        if (own.Refusal is { } ownRefusal)
            return ownRefusal;
        var (tree, state, recipient) = own.Value;
        var reportId = CommandIds.Report(actor.Caller.Id, key);
        if (await store.Report(reportId) is not { } stored)
        {
            var at = Timestamps.Stored(clock.GetUtcNow());
            var change = new ReportInstruction(reportId, id, recipient, actor.Caller.Id, actor.Caller.Name, at, request.Text, request.Lat, request.Lng, request.Done);
            var detail = $"{tree.NameOf(recipient)} · {(request.Done ? "done" : "progress")} · {Clip(request.Text)}";
            try
            {
                await Record(actor, state.Instruction, change, at, SessionLogKinds.InstructionReported,
                    new { Instruction = id, Recipient = recipient, Report = reportId, request.Text, request.Done, Late = at > state.Instruction.ReportDue },
                    AuditActions.ReportInstruction, detail);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // The same report twice at once: the other one stored it.
            }
            stored = (await store.Report(reportId))!;
        }
        return (await Views([stored], tree))[0];
    }

    /// <summary>The report-backs of an instruction (oldest first) of the recipients the caller may see, with their photos.</summary>
    public async Task<Outcome<IReadOnlyList<InstructionReportView>>> Reports(Caller caller, Guid id)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var sees = Sees(caller, tree);
        if (await store.Instruction(id) is not { } state || !state.Recipients.Any(r => sees(r.Recipient)))
            return Refusal.NotFound($"No instruction {id} of yours.");
        return Outcome.Of(await Views((await store.Reports(id)).Where(r => sees(r.Recipient)).ToList(), tree));
    }

    /// <summary>A photo of a report-back of one of the caller's own stations (回执照片): its bytes decide its type; one commit with its audit row.</summary>
    public async Task<Outcome<InstructionPhotoInfo>> AddPhoto(Actor actor, Guid id, Guid reportId, UploadedPhoto upload)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (await store.Report(reportId) is not { } report || report.Instruction != id || !AccessPolicy.IsOwnStation(actor.Caller)(report.Recipient))
            return Refusal.NotFound($"No report-back {reportId} of your station to instruction {id}.");
        var clean = upload.Clean();
        if (clean.Refusal is { } refusal)
            return refusal;
        var photo = await store.SavePhoto(report.Id, clean.Value!, actor.Caller.Id, clock.GetUtcNow(),
            p => AuditLog.Row(p.UploadedAt, actor.Caller, AuditActions.AttachToInstructionReport, id.ToString(),
                detail: $"{tree.NameOf(report.Recipient)} · {p.MediaType} · {p.Size} bytes", clientAddress: actor.ClientAddress));
        return new InstructionPhotoInfo(photo.Id, photo.Report, photo.MediaType, photo.Size, PhotoUrl(photo.Id));
    }

    /// <summary>A report-back photo's served copy, or its upload as it came (<paramref name="original"/>, for the roles that may).</summary>
    /// <remarks>A photo of a report-back of a station the caller may not see is "not found", as if there were none.</remarks>
    public async Task<Outcome<PhotoFile>> Photo(Actor actor, Guid id, bool original)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (copies.Refuse(actor.Caller, original) is { } refusal)
            return refusal;
        return await store.Photo(id) is { } stored && Sees(actor.Caller, tree)(stored.Report.Recipient)
            ? await copies.Serve(actor, PhotoUrl(id), stored.Bytes, original)
            : Refusal.NotFound($"No photo {id}.");
    }

    public static string PhotoUrl(Guid id) => $"/api/instruction-photos/{id}";

    // ---- the parts ------------------------------------------------------------------------------------------------

    /// <summary>
    /// The stations' walls hear of an instruction (new, or a reminder); one that misses it reads its instructions when
    /// it is live again.
    /// </summary>
    private async Task Tell(Instruction instruction, IReadOnlyList<Station>? stations = null, InstructionReminder? reminder = null)
    {
        try
        {
            await Task.WhenAll((stations ?? instruction.Recipients).Select(r => publisher.PublishInstruction(new InstructionNotice(instruction.Id,
                instruction.Session, r.Code, instruction.Text, instruction.IssuedByName, instruction.IssuedAt, instruction.SignDue, instruction.ReportDue,
                reminder))));
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("instruction.push");
            log.LogWarning(e, "Instruction {Instruction}: telling its {Count} station(s) failed; they read it from their list", instruction.Id,
                instruction.Recipients.Count);
        }
    }

    private ICommandSessionGrain Session(Guid id) => grains.GetGrain<ICommandSessionGrain>(id);

    /// <summary>A change of an instruction: in its session's log while the session is open, else on its own; with its audit row.</summary>
    private async Task Record(Actor actor, Instruction instruction, CommandChange change, DateTimeOffset at, string kind, object data, string auditAction,
        string detail)
    {
        if (instruction.Session is { } session
            && await Session(session).Append(Event(actor, kind, at, data, auditAction, instruction.Id.ToString(), detail, change)) is not null)
            return;
        await store.Apply(change, AuditLog.Row(at, actor.Caller, auditAction, instruction.Id.ToString(), detail: detail, clientAddress: actor.ClientAddress));
    }

    /// <summary>The session, when the caller may follow it (else not found, as for one that does not exist).</summary>
    internal async Task<Outcome<(CommandSession Session, JurisdictionTree Tree)>> Followed(Caller caller, Guid id)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        if (await Session(id).Get() is not { } session
            || AccessPolicy.DecideSession(caller, session.Area, session.Participants, tree) != AccessDecision.Allowed)
            return Refusal.NotFound($"No command session {id} of yours.");
        return (session, tree);
    }

    /// <summary>The session, when the caller may also command its area.</summary>
    private async Task<Outcome<(CommandSession Session, JurisdictionTree Tree)>> Commanded(Caller caller, Guid id)
    {
        var followed = await Followed(caller, id);
        if (followed.Refusal is { } followedRefusal)
            return followedRefusal;
        var (session, tree) = followed.Value;
        return AccessPolicy.Decide(caller, AccessAction.CommandEmergencies, session.Area, tree) == AccessDecision.Allowed
            ? (session, tree)
            : Refusal.Forbidden("session", "Only those who command the session's area may do this.");
    }

    /// <summary>The session, when the caller may command it and it is still open.</summary>
    internal async Task<Outcome<(CommandSession Session, JurisdictionTree Tree)>> OpenCommanded(Caller caller, Guid id)
    {
        var commanded = await Commanded(caller, id);
        if (commanded.Refusal is { } refusal)
            return refusal;
        return commanded.Value.Session.IsOpen ? commanded.Value : Refusal.Conflict("session", "The session is closed.");
    }

    /// <summary>The session after a change of it (null: it closed meanwhile).</summary>
    private async Task<Outcome<SessionView>> Changed(Guid id, JurisdictionTree tree, SessionLogEntry? entry) =>
        entry is null ? Refusal.Conflict("session", "The session is closed.") : View((await Session(id).Get())!, tree);

    private static Refusal NotLeading(CommandSession session) => Refusal.Conflict("session", session.IsOpen
        ? $"You do not lead this session's view{(session.LeaderName is { } leader ? $" ({leader} does)" : "")}: take the lead (领屏) first."
        : "The session is closed.");

    private static MarkupView View(Markup m) =>
        new(m.Id, m.Kind, m.Points.Select(p => new[] { p.Lat, p.Lng }).ToList(), m.Radius, m.Label, m.DrawnByName, m.DrawnAt);

    private static SharedArea Area(Geography.Jurisdiction area)
    {
        var polygons = area.Geometry switch
        {
            NetTopologySuite.Geometries.Polygon p => [p],
            NetTopologySuite.Geometries.MultiPolygon m => m.Geometries.OfType<NetTopologySuite.Geometries.Polygon>().ToList(),
            _ => new List<NetTopologySuite.Geometries.Polygon>(),
        };
        var e = area.Geometry.EnvelopeInternal;
        return new SharedArea(area.Code, area.Name,
            polygons.Select(p => (IReadOnlyList<double[]>)p.ExteriorRing.Coordinates.Select(c => new[] { c.Y, c.X }).ToList()).ToList(),
            [e.MinY, e.MinX, e.MaxY, e.MaxX]);
    }

    /// <summary>
    /// The instruction and one of its recipients, when the caller commands that station (催办, 上级督办): an instruction
    /// without a recipient in the caller's jurisdiction is not found, one not among its recipients a 400, one outside
    /// the caller's command a 403, each naming <c>recipient</c>.
    /// </summary>
    private async Task<Outcome<(JurisdictionTree Tree, InstructionState State, RecipientProgress Progress)>> CommandedRecipient(Caller caller, Guid id,
        string recipient)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var state = await store.Instruction(id);
        if (state is null || !state.Recipients.Any(r => AccessPolicy.IsWithinScope(caller, r.Recipient, tree)))
            return Refusal.NotFound($"No instruction {id} in your jurisdiction.");
        if (state.Recipients.FirstOrDefault(r => r.Recipient == recipient) is not { } progress)
            return Refusal.Invalid("recipient", "Not one of its recipients.");
        if (AccessPolicy.Decide(caller, AccessAction.CommandEmergencies, recipient, tree) != AccessDecision.Allowed)
            return Refusal.Forbidden("recipient", $"{tree.NameOf(recipient)} is outside your jurisdiction.");
        return (tree, state, progress);
    }

    /// <summary>The instruction and the caller's station among its recipients (named, or the only one of the caller's).</summary>
    private async Task<Outcome<(JurisdictionTree Tree, InstructionState State, string Recipient)>> Own(Caller caller, Guid id, string? recipient)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var state = await store.Instruction(id);
        var own = state?.Recipients.Select(r => r.Recipient).Where(AccessPolicy.IsOwnStation(caller)).ToList() ?? [];
        if (state is null || own.Count == 0)
            return Refusal.NotFound($"No instruction {id} to your station.");
        if (recipient is not null)
            return own.Contains(recipient) ? (tree, state, recipient) : Refusal.Invalid("recipient", "Not one of your stations among its recipients.");
        return own.Count == 1 ? (tree, state, own[0])
            : Refusal.Invalid("recipient", "Your account covers several of its recipients: name the one you act for.");
    }

    /// <summary>
    /// Why named stations cannot be used: each must be a township or village (with <paramref name="broadcast"/>, any area
    /// whose stations are meant) within the caller's jurisdiction.
    /// </summary>
    private static Refusal? StationsRefusal(Caller caller, JurisdictionTree tree, IReadOnlyList<string> codes, string field, bool broadcast)
    {
        var seesAll = AccessPolicy.IsWithinScope(caller, tree.Root.Code, tree);
        for (var i = 0; i < codes.Count; i++)
        {
            var area = tree.Find(codes[i]);
            if (area is null || !AccessPolicy.IsWithinScope(caller, codes[i], tree))
                return seesAll && area is null ? Refusal.Invalid($"{field}[{i}]", $"No station {codes[i]}.")
                    : Refusal.Forbidden($"{field}[{i}]", $"{codes[i]} is outside your jurisdiction.");
            if (!broadcast && !InstructionRules.IsStation(area.Level))
                return Refusal.Invalid($"{field}[{i}]", $"{area.Name} is not a township or village station.");
        }
        return null;
    }

    /// <summary>A refused area named in a body: unknown (400 naming the field) or outside the jurisdiction (403).</summary>
    private static Refusal? AreaRefusal(Caller caller, AccessDecision decision, string field, string code) => decision switch
    {
        AccessDecision.Allowed => null,
        AccessDecision.NotFound => Refusal.Invalid(field, $"No jurisdiction {code}."),
        AccessDecision.OutOfScope => Refusal.Forbidden(field, $"{code} is outside your jurisdiction."),
        _ => Refusal.For(decision, code),
    };

    internal static SessionEvent Event(Actor actor, string kind, DateTimeOffset at, object data, string auditAction, string auditTarget, string detail,
        CommandChange? change = null) =>
        new(kind, JsonSerializer.Serialize(data, Json.Options), at, new AuditedBy(actor.Caller, actor.ClientAddress), actor.Caller.Name,
            auditAction, auditTarget, detail, change);

    private static SessionView View(CommandSession s, JurisdictionTree tree) => new(s.Id, s.Title, s.Area, tree.NameOf(s.Area), s.Level, s.Incidents,
        s.Participants.Select(code => new NamedArea(code, tree.NameOf(code))).ToList(), s.OpenedBy, s.OpenedByName, s.OpenedAt, s.ClosedAt, s.Summary,
        s.Head, s.IsOpen, s.Leader, s.LeaderName);

    /// <summary>Whether the caller may see a recipient's part of an instruction: one of its own stations, or within its jurisdiction.</summary>
    private static Func<string, bool> Sees(Caller caller, JurisdictionTree tree)
    {
        var isOwn = AccessPolicy.IsOwnStation(caller);
        return code => isOwn(code) || AccessPolicy.IsWithinScope(caller, code, tree);
    }

    private async Task<IReadOnlyList<InstructionReportView>> Views(IReadOnlyList<InstructionReport> reports, JurisdictionTree tree)
    {
        var photos = (reports.Count == 0 ? [] : await store.Photos(reports.Select(r => r.Id).ToList())).ToLookup(p => p.Report);
        return reports.Select(r => new InstructionReportView(r.Id, r.Instruction, r.Recipient, tree.NameOf(r.Recipient), r.At, r.ByName, r.Text,
            r.Latitude, r.Longitude, r.Done, photos[r.Id].Select(p => PhotoUrl(p.Id)).ToList())).ToList();
    }

    /// <summary>The instruction with the recipients the caller may see: of their jurisdiction or their own stations (<paramref name="ownOnly"/>: only their own).</summary>
    private static InstructionView View(InstructionState state, Caller caller, JurisdictionTree tree, DateTimeOffset now, bool ownOnly = false)
    {
        var i = state.Instruction;
        var isOwn = AccessPolicy.IsOwnStation(caller);
        var recipients = state.Recipients
            .Where(r => isOwn(r.Recipient) || (!ownOnly && AccessPolicy.IsWithinScope(caller, r.Recipient, tree)))
            .Select(r => new RecipientView(r.Recipient, tree.NameOf(r.Recipient), InstructionRules.State(r), r.DeliveredAt, r.SignedAt, r.SignedByName,
                r.ReportedAt, r.DoneAt, (r.SignedAt - i.IssuedAt)?.TotalSeconds, (r.ReportedAt - i.IssuedAt)?.TotalSeconds,
                InstructionRules.SignMissed(r, i.SignDue, now), InstructionRules.ReportMissed(r, i.ReportDue, now), r.SignRemindedAt, r.ReportRemindedAt, r.EscalatedAt,
                r.EscalatedTo is { } superior ? tree.NameOf(superior) : null))
            .ToList();
        var tally = new InstructionTally(recipients.Count, recipients.Count(r => r.DeliveredAt is not null), recipients.Count(r => r.SignedAt is not null),
            recipients.Count(r => r.ReportedAt is not null), recipients.Count(r => r.DoneAt is not null), recipients.Count(r => r.SignMissed),
            recipients.Count(r => r.ReportMissed));
        return new InstructionView(i.Id, i.Session, i.Text, i.IssuedByName, i.IssuedAt, i.SignDue, i.ReportDue, recipients, tally);
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static Refusal NotReady() => Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
}
