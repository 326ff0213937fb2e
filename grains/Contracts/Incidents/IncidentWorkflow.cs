namespace CommandCenter.Incidents;

/// <summary>Where an incident stands in the closed loop (六单).</summary>
public enum IncidentStatus
{
    /// <summary>已上报: waiting for verification (核实).</summary>
    Reported,
    /// <summary>已核实: a real case, waiting for its ticket (制单).</summary>
    Verified,
    /// <summary>已制单: waiting to be dispatched (派单), also where an escalated case lands at the level above.</summary>
    Ticketed,
    /// <summary>已派单: waiting for the assignee to accept it (接单).</summary>
    Dispatched,
    /// <summary>处置中: accepted, being handled (做单).</summary>
    Accepted,
    /// <summary>已处置: handled, waiting for the feedback to the reporter (反馈).</summary>
    Handled,
    /// <summary>已反馈 (办结): closed, waiting for the citizen's rating (评单).</summary>
    FedBack,
    /// <summary>已评价: rated, waiting for the per-case assessment (考单).</summary>
    Rated,
    /// <summary>已考核: assessed; the case is filed.</summary>
    Assessed,
    /// <summary>已驳回: found invalid at verification.</summary>
    Rejected,
    /// <summary>已合并: a duplicate, linked to the case that handles it.</summary>
    Merged,
}

/// <summary>The statuses' and ratings' Chinese names, as pages and exports show them.</summary>
public static class IncidentNames
{
    public static string Of(IncidentStatus status) => status switch
    {
        IncidentStatus.Reported => "待核实",
        IncidentStatus.Verified => "已核实",
        IncidentStatus.Ticketed => "已制单",
        IncidentStatus.Dispatched => "已派单",
        IncidentStatus.Accepted => "处置中",
        IncidentStatus.Handled => "已处置",
        IncidentStatus.FedBack => "已办结",
        IncidentStatus.Rated => "已评价",
        IncidentStatus.Assessed => "已考核",
        IncidentStatus.Rejected => "已驳回",
        IncidentStatus.Merged => "已合并",
        _ => status.ToString(),
    };

    public static string Of(Rating rating) => rating switch
    {
        Rating.Satisfied => "满意",
        Rating.Neutral => "一般",
        Rating.Dissatisfied => "不满意",
        _ => rating.ToString(),
    };
}

/// <summary>What a person does to an incident; each is <c>POST /api/incidents/{id}/{action}</c>.</summary>
public enum IncidentAction
{
    /// <summary>核实: the report is a real case.</summary>
    Verify,
    /// <summary>驳回: the report is invalid.</summary>
    Reject,
    /// <summary>合并: the report duplicates another case, which handles it.</summary>
    Merge,
    /// <summary>就地办结: a grid worker closes it on the spot, with evidence (微事不出格).</summary>
    Resolve,
    /// <summary>制单: make the ticket, choosing the handling class that sets the handling deadline.</summary>
    Ticket,
    /// <summary>派单: to a person, a lower level or a functional department; again to re-dispatch.</summary>
    Dispatch,
    /// <summary>
    /// 接警: a person of the grids who covers where the case lies takes it on the move and is handling it at once: the
    /// case becomes theirs when nobody has it yet (reported, verified, ticketed) or it was dispatched to a level they
    /// cover (the dispatcher's leaving it to whoever there takes it); a case dispatched to someone else is not taken.
    /// </summary>
    Take,
    /// <summary>接单</summary>
    Accept,
    /// <summary>处置: the result, with photos.</summary>
    Handle,
    /// <summary>反馈: tell the reporter (and the reporters of merged duplicates) the result.</summary>
    Feedback,
    /// <summary>评单: the citizen's rating, through the rating link.</summary>
    Rate,
    /// <summary>考单: on time, satisfied, effective.</summary>
    Assess,
    /// <summary>上报上级: hand the case to the level above (小事不出村、大事不出镇).</summary>
    Escalate,
}

/// <summary>The citizen's rating (评单).</summary>
public enum Rating
{
    /// <summary>满意</summary>
    Satisfied,
    /// <summary>一般</summary>
    Neutral,
    /// <summary>不满意: reopens the case, or escalates it once it was reopened too often.</summary>
    Dissatisfied,
}

/// <summary>
/// The closed loop's rule book, plain code: which action each status allows and where it leads. The Incident grain
/// applies it; the unit tests cover every pair of status and action.
/// </summary>
public static class IncidentWorkflow
{
    private static readonly Dictionary<IncidentStatus, Dictionary<IncidentAction, IncidentStatus>> Transitions = new()
    {
        [IncidentStatus.Reported] = new()
        {
            [IncidentAction.Verify] = IncidentStatus.Verified,
            [IncidentAction.Reject] = IncidentStatus.Rejected,
            [IncidentAction.Merge] = IncidentStatus.Merged,
            [IncidentAction.Resolve] = IncidentStatus.FedBack,
            [IncidentAction.Take] = IncidentStatus.Accepted,
            [IncidentAction.Escalate] = IncidentStatus.Ticketed,
        },
        [IncidentStatus.Verified] = new()
        {
            [IncidentAction.Ticket] = IncidentStatus.Ticketed,
            [IncidentAction.Take] = IncidentStatus.Accepted,
            [IncidentAction.Escalate] = IncidentStatus.Ticketed,
        },
        [IncidentStatus.Ticketed] = new()
        {
            [IncidentAction.Dispatch] = IncidentStatus.Dispatched,
            [IncidentAction.Take] = IncidentStatus.Accepted,
            [IncidentAction.Escalate] = IncidentStatus.Ticketed,
        },
        [IncidentStatus.Dispatched] = new()
        {
            [IncidentAction.Accept] = IncidentStatus.Accepted,
            [IncidentAction.Dispatch] = IncidentStatus.Dispatched,
            [IncidentAction.Take] = IncidentStatus.Accepted,
            [IncidentAction.Escalate] = IncidentStatus.Ticketed,
        },
        [IncidentStatus.Accepted] = new()
        {
            [IncidentAction.Handle] = IncidentStatus.Handled,
            [IncidentAction.Escalate] = IncidentStatus.Ticketed,
        },
        [IncidentStatus.Handled] = new()
        {
            [IncidentAction.Feedback] = IncidentStatus.FedBack,
        },
        [IncidentStatus.FedBack] = new()
        {
            // A dissatisfied rating leads elsewhere (see AfterRating); this is where the other two lead.
            [IncidentAction.Rate] = IncidentStatus.Rated,
            // A citizen who never rates does not keep the case from its assessment.
            [IncidentAction.Assess] = IncidentStatus.Assessed,
        },
        [IncidentStatus.Rated] = new()
        {
            [IncidentAction.Assess] = IncidentStatus.Assessed,
        },
        [IncidentStatus.Assessed] = new(),
        [IncidentStatus.Rejected] = new(),
        [IncidentStatus.Merged] = new(),
    };

    /// <summary>The actions allowed in <paramref name="status"/>, in the order of the loop.</summary>
    public static IReadOnlyList<IncidentAction> Allowed(IncidentStatus status) => [.. Transitions[status].Keys.Order()];

    /// <summary>Where <paramref name="action"/> leads from <paramref name="status"/>, or null when it is not allowed there.</summary>
    public static IncidentStatus? Next(IncidentStatus status, IncidentAction action) =>
        Transitions[status].TryGetValue(action, out var next) ? next : null;

    /// <summary>
    /// Where a rating leads: satisfied or neutral to <see cref="IncidentStatus.Rated"/>; dissatisfied back to handling
    /// (<see cref="IncidentStatus.Accepted"/>) while the case was reopened fewer than <paramref name="maxReopens"/> times,
    /// then up to the level above (<see cref="IncidentStatus.Ticketed"/>).
    /// </summary>
    public static IncidentStatus AfterRating(Rating rating, int reopens, int maxReopens) =>
        rating != Rating.Dissatisfied ? IncidentStatus.Rated
        : reopens < maxReopens ? IncidentStatus.Accepted
        : IncidentStatus.Ticketed;

    /// <summary>Open (未办结): still to be closed. Fed back, rated and assessed cases are closed (办结), as are rejected and merged ones.</summary>
    public static bool IsOpen(IncidentStatus status) => status <= IncidentStatus.Handled;
}
