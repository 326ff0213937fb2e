using CommandCenter.Geography;

namespace CommandCenter.Access;

/// <summary>
/// The one rule book: which role may do which action (the table below), and where (the target must lie within one
/// of the caller's jurisdictions; administrators are county-wide). Endpoints, hub methods and pages all ask here.
/// </summary>
public static class AccessPolicy
{
    private static readonly AccessAction[] Operations =
        [AccessAction.ViewJurisdictions, AccessAction.ReadFeeds, AccessAction.ReadIncidents, AccessAction.ReportIncidents,
         AccessAction.ReadPeople, AccessAction.ReadCameras, AccessAction.ViewCalendar, AccessAction.ReadPatrols, AccessAction.ReadCategories];

    private static readonly Dictionary<Role, HashSet<AccessAction>> Table = WithOwnAccount(new()
    {
        [Role.Administrator] = [AccessAction.ViewJurisdictions, AccessAction.ImportJurisdictions, AccessAction.ReadFeeds,
            AccessAction.ReadIncidents, AccessAction.ReadPeople, AccessAction.ReadCameras, AccessAction.ReadAudit, AccessAction.ReadMetrics, AccessAction.ManageAccess,
            AccessAction.ViewCalendar, AccessAction.ManageCalendar, AccessAction.ManageCameras, AccessAction.ManagePeople, AccessAction.ReadPatrols,
            AccessAction.ReadCategories, AccessAction.ManageCategories, AccessAction.ReadStatistics],
        // The county center dispatches and assesses; stations also take cases handed to their level.
        // The county center commands its stations; a township station commands its villages (and signs the county's instructions).
        // The county center sets the sensitive periods (at county level only: the rule is decided at the county); stations report daily in them.
        // The county center calls its stations by video (视频点名); the stations answer their own.
        // The centers, the stations and the grid chiefs read the figures of their own jurisdiction.
        // The county center and the townships record the courts' litigation figures of their villages (四无村).
        [Role.Commander] = [.. Operations, AccessAction.ReadStatistics, AccessAction.RecordLitigation, AccessAction.DispatchIncidents, AccessAction.AssessIncidents, AccessAction.CommandEmergencies,
            AccessAction.JoinCommandSessions, AccessAction.ConfigureSensitivePeriods, AccessAction.ReadZeroReports, AccessAction.StartRollCalls,
            AccessAction.ReadRollCalls],
        [Role.DutyOfficer] = [.. Operations, AccessAction.ReadStatistics, AccessAction.RecordLitigation, AccessAction.DispatchIncidents, AccessAction.AssessIncidents, AccessAction.CommandEmergencies,
            AccessAction.JoinCommandSessions, AccessAction.ConfigureSensitivePeriods, AccessAction.ReadZeroReports, AccessAction.StartRollCalls,
            AccessAction.ReadRollCalls],
        [Role.TownshipStation] = [.. Operations, AccessAction.ReadStatistics, AccessAction.RecordLitigation, AccessAction.DispatchIncidents, AccessAction.HandleIncidents, AccessAction.AssessIncidents,
            AccessAction.CommandEmergencies, AccessAction.JoinCommandSessions, AccessAction.ReceiveInstructions, AccessAction.SubmitZeroReports,
            AccessAction.ReadZeroReports, AccessAction.ReadRollCalls, AccessAction.AnswerRollCalls],
        [Role.VillageStation] = [.. Operations, AccessAction.ReadStatistics, AccessAction.DispatchIncidents, AccessAction.HandleIncidents, AccessAction.AssessIncidents,
            AccessAction.JoinCommandSessions, AccessAction.ReceiveInstructions, AccessAction.SubmitZeroReports, AccessAction.ReadZeroReports,
            AccessAction.ReadRollCalls, AccessAction.AnswerRollCalls],
        [Role.GridChief] = [.. Operations, AccessAction.ReadStatistics, AccessAction.ReportOwnPosition, AccessAction.SetOwnDutyStatus, AccessAction.DispatchIncidents, AccessAction.HandleIncidents,
            AccessAction.TakeIncidents, AccessAction.PatrolOwnGrid, AccessAction.ReceiveAlerts],
        [Role.GridWorker] = [.. Operations, AccessAction.ReportOwnPosition, AccessAction.SetOwnDutyStatus, AccessAction.HandleIncidents, AccessAction.TakeIncidents,
            AccessAction.PatrolOwnGrid, AccessAction.ReceiveAlerts],
        [Role.PatrolPolice] = [.. Operations, AccessAction.ReportOwnPosition, AccessAction.SetOwnDutyStatus, AccessAction.HandleIncidents, AccessAction.TakeIncidents,
            AccessAction.PatrolOwnGrid, AccessAction.ReceiveAlerts],
        // Departments take transferred cases; they do not watch people, cameras or the live feeds.
        [Role.Department] = [AccessAction.ViewJurisdictions, AccessAction.ReadIncidents, AccessAction.ReportIncidents, AccessAction.ViewCalendar,
            AccessAction.HandleIncidents, AccessAction.ReadCategories],
        // An integration reads the categories it reports in.
        [Role.Integration] = [AccessAction.IntakeIncidents, AccessAction.IntakePositions, AccessAction.ReadCategories],
    });

    /// <summary>Every person's role manages its own account (<see cref="AccessAction.ManageOwnAccount"/>); integrations have none.</summary>
    private static Dictionary<Role, HashSet<AccessAction>> WithOwnAccount(Dictionary<Role, HashSet<AccessAction>> table)
    {
        foreach (var (role, actions) in table)
        {
            if (role != Role.Integration)
                actions.Add(AccessAction.ManageOwnAccount);
        }
        return table;
    }

    /// <summary>
    /// Who may have a photo as it was uploaded, with its GPS and device metadata, when the configuration names nobody
    /// else (<c>CommandCenter:Attachments:OriginalRoles</c>): the administrators and the county center's commanders and
    /// duty officers. Everyone else is served the copy without metadata.
    /// </summary>
    public static readonly IReadOnlySet<Role> DefaultOriginalPhotoRoles = new HashSet<Role> { Role.Administrator, Role.Commander, Role.DutyOfficer };

    /// <summary>
    /// Whether the caller may have a photo as it was uploaded (#20): a person (never an integration or a citizen) of one
    /// of <paramref name="roles"/>. Which photos at all is the photo's own rule (its incident, check-in or report-back),
    /// decided apart.
    /// </summary>
    public static AccessDecision DecideOriginalPhoto(Caller? caller, IReadOnlyCollection<Role> roles) =>
        caller is null ? AccessDecision.Unauthenticated
        : caller.Role is not (Role.Integration or Role.Citizen) && roles.Contains(caller.Role) ? AccessDecision.Allowed
        : AccessDecision.RoleForbidden;

    /// <summary>Which access action the policy checks for each closed-loop action on an incident.</summary>
    public static AccessAction ForIncident(Incidents.IncidentAction action) => action switch
    {
        Incidents.IncidentAction.Accept or Incidents.IncidentAction.Handle or Incidents.IncidentAction.Resolve => AccessAction.HandleIncidents,
        Incidents.IncidentAction.Take => AccessAction.TakeIncidents,
        Incidents.IncidentAction.Assess => AccessAction.AssessIncidents,
        _ => AccessAction.DispatchIncidents,
    };

    /// <summary>Whether the role may do the action anywhere at all.</summary>
    public static bool RoleMay(Role role, AccessAction action) => Table.TryGetValue(role, out var actions) && actions.Contains(action);

    /// <summary>A role's row of the table: every action it may take somewhere.</summary>
    public static IReadOnlyCollection<AccessAction> ActionsOf(Role role) => Table.TryGetValue(role, out var actions) ? actions : [];

    /// <summary>
    /// Decides whether <paramref name="caller"/> may do <paramref name="action"/> on the area <paramref name="target"/>
    /// (a jurisdiction code; null for county-wide actions such as the audit log). An unknown code is
    /// <see cref="AccessDecision.NotFound"/> for callers who see the whole county and out of scope for everyone else,
    /// so that nobody learns which codes exist outside their own area.
    /// </summary>
    public static AccessDecision Decide(Caller? caller, AccessAction action, string? target, JurisdictionTree? tree)
    {
        var role = DecideRole(caller, action);
        if (role != AccessDecision.Allowed || caller is null) // a null caller is already Unauthenticated
            return role;
        if (tree is null)
            return caller.Role == Role.Administrator ? AccessDecision.Allowed : AccessDecision.OutOfScope; // an administrator imports the first county
        if (tree.Find(target ?? tree.Root.Code) is null)
            return IsWithinScope(caller, tree.Root.Code, tree) ? AccessDecision.NotFound : AccessDecision.OutOfScope;
        return IsWithinScope(caller, target ?? tree.Root.Code, tree) ? AccessDecision.Allowed : AccessDecision.OutOfScope;
    }

    /// <summary>
    /// The first half of <see cref="Decide"/>: whether there is a caller and its role may do the action somewhere.
    /// Enough on its own for actions not tied to a place (the calendar); elsewhere the place is decided next.
    /// </summary>
    public static AccessDecision DecideRole(Caller? caller, AccessAction action) =>
        caller is null ? AccessDecision.Unauthenticated
        : RoleMay(caller.Role, action) ? AccessDecision.Allowed
        : AccessDecision.RoleForbidden;

    /// <summary>
    /// Whether the caller may follow a command session: its role may, and the session's area lies within the caller's
    /// jurisdiction (the commanding side) or one of the caller's own stations takes part in it. What the session shares
    /// with a participant from outside its own jurisdiction is the session itself: its title, area (and its outline),
    /// participants, log, leader's view and markup, instructions (of the recipients within the participant's
    /// jurisdiction), and what it shares (<see cref="DecideShared"/>).
    /// </summary>
    public static AccessDecision DecideSession(Caller? caller, string area, IReadOnlyList<string> participants, JurisdictionTree? tree)
    {
        var role = DecideRole(caller, AccessAction.JoinCommandSessions);
        if (role != AccessDecision.Allowed || caller is null)
            return role;
        if (tree is null)
            return AccessDecision.OutOfScope;
        return IsWithinScope(caller, area, tree) || participants.Any(IsOwnStation(caller)) ? AccessDecision.Allowed : AccessDecision.OutOfScope;
    }

    /// <summary>
    /// Whether the caller may see an incident or camera through a command session, whatever its own jurisdiction: it
    /// may follow the session (<see cref="DecideSession"/>) and the session shares the item (<paramref name="shared"/>:
    /// its incidents, and the cameras those who command it shared, each in its log and the audit). Not shared: not found.
    /// </summary>
    public static AccessDecision DecideShared(Caller? caller, string area, IReadOnlyList<string> participants, bool shared, JurisdictionTree? tree)
    {
        var follows = DecideSession(caller, area, participants, tree);
        return follows != AccessDecision.Allowed ? follows : shared ? AccessDecision.Allowed : AccessDecision.NotFound;
    }

    /// <summary>Whether the caller answers the roll calls (视频点名) of the station: a station account assigned to it.</summary>
    public static bool MayAnswerRollCall(Caller caller, string station) =>
        RoleMay(caller.Role, AccessAction.AnswerRollCalls) && caller.Jurisdictions.Contains(station, StringComparer.Ordinal);

    /// <summary>Whether a station's code is one of the caller's own: a station account (its role receives instructions) assigned to it.</summary>
    public static Func<string, bool> IsOwnStation(Caller caller) =>
        code => RoleMay(caller.Role, AccessAction.ReceiveInstructions) && caller.Jurisdictions.Contains(code, StringComparer.Ordinal);

    /// <summary>
    /// Whether the caller may submit the daily zero-report (零报告) of a unit: its own station (a station account assigned
    /// to it), or a village whose township is the caller's own station (代报: the township reports for a village that
    /// told it by phone, or has no station account). Nobody reports for a township but its own station, and the county
    /// center reports for nobody.
    /// </summary>
    public static bool MayReportFor(Caller caller, string unit, JurisdictionTree tree)
    {
        if (!RoleMay(caller.Role, AccessAction.SubmitZeroReports) || tree.Find(unit) is not { } area)
            return false;
        var own = caller.Jurisdictions.Contains(unit, StringComparer.Ordinal);
        return own || (area.Level == JurisdictionLevel.Village && area.ParentCode is { } township
            && caller.Jurisdictions.Contains(township, StringComparer.Ordinal) && tree.Find(township)?.Level == JurisdictionLevel.Township);
    }

    /// <summary>
    /// Whether the caller sees a citizen's contact details as given (else <see cref="ContactMask"/>): on the case page,
    /// when the caller handles cases where the case lies (may dispatch or handle them there). Administrators, who
    /// handle no cases, see them masked.
    /// </summary>
    public static bool MaySeeContact(Caller caller, string grid, JurisdictionTree? tree) =>
        Decide(caller, AccessAction.DispatchIncidents, grid, tree) == AccessDecision.Allowed
        || Decide(caller, AccessAction.HandleIncidents, grid, tree) == AccessDecision.Allowed;

    /// <summary>Whether the area lies within one of the caller's jurisdictions (administrators: every known area).</summary>
    public static bool IsWithinScope(Caller caller, string code, JurisdictionTree tree)
    {
        if (tree.Find(code) is null)
            return false;
        if (caller.Role == Role.Administrator)
            return true;
        foreach (var root in caller.Jurisdictions)
        {
            if (tree.Find(root) is not null && tree.IsWithin(code, root))
                return true;
        }
        return false;
    }

    /// <summary>The areas a caller sees whole: their jurisdictions that exist, minus any already inside another (root first).</summary>
    public static IReadOnlyList<Jurisdiction> ScopeRoots(Caller caller, JurisdictionTree tree)
    {
        if (caller.Role == Role.Administrator)
            return [tree.Root];
        var known = caller.Jurisdictions.Distinct(StringComparer.Ordinal).Where(code => tree.Find(code) is not null).ToList();
        return known
            .Where(code => !known.Any(other => other != code && tree.IsWithin(code, other)))
            .Select(code => tree.Find(code)!)
            .OrderBy(j => j.Level).ThenBy(j => j.Code, StringComparer.Ordinal)
            .ToList();
    }
}
