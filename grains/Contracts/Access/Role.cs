namespace CommandCenter.Access;

/// <summary>Who is calling. Every account has exactly one role; integrations act by API key.</summary>
public enum Role
{
    /// <summary>系统管理员: accounts, integrations, the jurisdiction tree and the audit log; county-wide.</summary>
    Administrator,

    /// <summary>指挥长: commands from the county (or city) center.</summary>
    Commander,

    /// <summary>值班员: the county center's duty officer at the wall.</summary>
    DutyOfficer,

    /// <summary>乡镇(街道)综治中心: a township station.</summary>
    TownshipStation,

    /// <summary>村(社区): a village or community station.</summary>
    VillageStation,

    /// <summary>网格长: grid chief.</summary>
    GridChief,

    /// <summary>网格员: grid worker.</summary>
    GridWorker,

    /// <summary>巡逻民警 / 社区民警: patrol police bound into grids ("警务+网格").</summary>
    PatrolPolice,

    /// <summary>职能部门: a functional department that receives transferred cases.</summary>
    Department,

    /// <summary>An intake integration (12345 hotline, mini-program, terminal gateway) acting by API key, never a person.</summary>
    Integration,

    /// <summary>A citizen rating a case through its rating link (评单): no account, and no other access.</summary>
    Citizen,
}

/// <summary>What a caller may try to do. <see cref="AccessPolicy"/> says which role may do what, and where.</summary>
public enum AccessAction
{
    /// <summary>Read areas of the tree, their overviews and GeoJSON.</summary>
    ViewJurisdictions,

    /// <summary>Replace the jurisdiction tree.</summary>
    ImportJurisdictions,

    /// <summary>Follow a jurisdiction's feed (HTTP, hub, wall) and load its snapshot.</summary>
    ReadFeeds,

    /// <summary>Read an incident.</summary>
    ReadIncidents,

    /// <summary>Report an incident as a signed-in person (网格员上报, a duty officer taking a call).</summary>
    ReportIncidents,

    /// <summary>Report incidents through the intake path as an integration (12345, mini-program, camera alarms).</summary>
    IntakeIncidents,

    /// <summary>Verify, reject, merge, ticket, dispatch, escalate and give feedback on cases at one's level (核实、制单、派单、反馈).</summary>
    DispatchIncidents,

    /// <summary>Accept and handle cases assigned to oneself, and close grid cases on the spot (接单、处置、就地办结).</summary>
    HandleIncidents,

    /// <summary>Take a case nobody has in one's own grids on the move (接警), and be handling it at once.</summary>
    TakeIncidents,

    /// <summary>The per-case assessment (考单).</summary>
    AssessIncidents,

    /// <summary>Import and edit cameras, their locations and stream addresses.</summary>
    ManageCameras,

    /// <summary>Import the people bound to grids: grid workers, grid chiefs, patrol officers, with their phones.</summary>
    ManagePeople,

    /// <summary>Read the people bound to grids.</summary>
    ReadPeople,

    /// <summary>Report one's own position from a phone.</summary>
    ReportOwnPosition,

    /// <summary>Set one's own duty status from a phone (on duty, on patrol, SOS, off duty).</summary>
    SetOwnDutyStatus,

    /// <summary>Report positions of many people as a terminal gateway integration.</summary>
    IntakePositions,

    /// <summary>Read the cameras of an area.</summary>
    ReadCameras,

    /// <summary>Page and filter the audit log.</summary>
    ReadAudit,

    /// <summary>Read the working-day calendar that deadlines are counted in.</summary>
    ViewCalendar,

    /// <summary>Replace a year of the working-day calendar (a newly published notice).</summary>
    ManageCalendar,

    /// <summary>Read the configured incident categories (codes, names, what each counts as).</summary>
    ReadCategories,

    /// <summary>Add, rename, reorder and retire incident categories and say what each counts as.</summary>
    ManageCategories,

    /// <summary>Read the KPIs, rankings and period reports of one's jurisdiction (日分析、周研判、月报).</summary>
    ReadStatistics,

    /// <summary>Record a village's litigation cases of a year (from the courts, for the four-no villages 四无村).</summary>
    RecordLitigation,

    /// <summary>Create, change, disable, enable and delete accounts, end their sessions, and manage integrations.</summary>
    ManageAccess,

    /// <summary>See and end one's own sessions (signed-in browsers and phones) and change one's own password: every person.</summary>
    ManageOwnAccount,

    /// <summary>Scrape the service's metrics (<c>/metrics</c>, for Prometheus).</summary>
    ReadMetrics,

    /// <summary>Read the grids' patrol windows and outcomes, check-ins and visits of an area (一巡、三查).</summary>
    ReadPatrols,

    /// <summary>Patrol one's own grid from a phone: start and stop a patrol, check in, visit, with photos.</summary>
    PatrolOwnGrid,

    /// <summary>Receive and acknowledge (签收) one's own alerts: new incidents in the grids one covers, cases dispatched to oneself.</summary>
    ReceiveAlerts,

    /// <summary>Open, lead and close command sessions (应急指挥) within one's jurisdiction and issue instructions to its stations.</summary>
    CommandEmergencies,

    /// <summary>Follow the command sessions of one's jurisdiction or that one's station takes part in: the session, its log, its board.</summary>
    JoinCommandSessions,

    /// <summary>Receive the instructions addressed to one's own station, sign for them (签收) and report back (回执).</summary>
    ReceiveInstructions,

    /// <summary>Configure and end the county's sensitive periods (敏感时期), during which units submit the daily zero-report.</summary>
    ConfigureSensitivePeriods,

    /// <summary>Submit the daily zero-report (零报告) of one's own station, or of a village of one's own township (代报).</summary>
    SubmitZeroReports,

    /// <summary>Read the sensitive periods and who has reported (and who has not) in one's jurisdiction, and export them.</summary>
    ReadZeroReports,

    /// <summary>Start a video roll call (视频点名) of stations within one's jurisdiction, watch their answers and end it: the county center's duty check.</summary>
    StartRollCalls,

    /// <summary>Read the roll calls of stations within one's jurisdiction, their reports and each station's history.</summary>
    ReadRollCalls,

    /// <summary>Answer the roll calls of one's own station: its walls and consoles ring, it joins with its camera.</summary>
    AnswerRollCalls,
}

/// <summary>The answer of <see cref="AccessPolicy.Decide"/>.</summary>
public enum AccessDecision
{
    Allowed,

    /// <summary>No caller (401).</summary>
    Unauthenticated,

    /// <summary>The caller's role may not do this anywhere (403).</summary>
    RoleForbidden,

    /// <summary>The role may, but not there: outside the caller's jurisdiction (403, or 404 where existence must not leak).</summary>
    OutOfScope,

    /// <summary>No such area, told only to callers who see the whole county (404); anyone else gets <see cref="OutOfScope"/>.</summary>
    NotFound,
}
