using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.ZeroReports;
using Npgsql;

namespace CommandCenter.Web.Application;

/// <summary>A sensitive period as shown: its deadline as HH:mm (CST), and its last day (the day it was ended on, when ended early).</summary>
public sealed record SensitivePeriodView(Guid Id, string Name, DateOnly From, DateOnly To, DateOnly LastDay, IReadOnlyList<JurisdictionLevel> Levels,
    string Deadline, bool WorkingDaysOnly, string CreatedByName, DateTimeOffset CreatedAt, DateOnly? EndedOn, string? EndedByName);

/// <summary>An incident a report links, by its title when the report was made.</summary>
public sealed record LinkedIncident(Guid Id, string Title);

/// <summary>
/// One due unit's report of a day: where it stands, and when, by whom (<see cref="OnBehalf"/>: its township for a
/// village, 代报) and what it reported; when it was reminded of a missing report.
/// </summary>
public sealed record UnitReport(string Code, string Name, JurisdictionLevel Level, string? Parent, string? ParentName, DateOnly Date, DateTimeOffset Deadline,
    ZeroReportState State, Guid? Report, DateTimeOffset? ReportedAt, string? ReportedByName, bool OnBehalf, bool? Nothing, string? Note,
    IReadOnlyList<LinkedIncident> Incidents, DateTimeOffset? RemindedAt);

/// <summary>How many units are due and where they stand; <see cref="Missing"/>: who has not reported (pending and overdue).</summary>
public sealed record ZeroReportCounts(int Due, int OnTime, int Late, int Pending, int Overdue)
{
    public int Reported => OnTime + Late;

    public int Missing => Pending + Overdue;

    public static ZeroReportCounts Of(IReadOnlyCollection<UnitReport> units) => new(units.Count, units.Count(u => u.State == ZeroReportState.OnTime),
        units.Count(u => u.State == ZeroReportState.Late), units.Count(u => u.State == ZeroReportState.Pending),
        units.Count(u => u.State == ZeroReportState.Overdue));
}

/// <summary>The units of one level and where they stand.</summary>
public sealed record LevelCounts(JurisdictionLevel Level, ZeroReportCounts Counts);

/// <summary>The due units directly below one area (a township's villages, the county's townships), and those of them that have not reported.</summary>
public sealed record ParentCounts(string Code, string Name, ZeroReportCounts Counts, IReadOnlyList<NamedArea> Missing);

/// <summary>
/// A day's zero-reports of an area (today when no day is asked for): the periods running that day, every due unit
/// within the area (it included) in tree order, and counts in all, per level and per parent.
/// </summary>
public sealed record ZeroReportDayView(string Jurisdiction, string Name, DateOnly Date, DateOnly Today, DateTimeOffset Now,
    IReadOnlyList<SensitivePeriodView> Periods, ZeroReportCounts Counts, IReadOnlyList<LevelCounts> Levels, IReadOnlyList<ParentCounts> Parents,
    IReadOnlyList<UnitReport> Units);

/// <summary>An export (a period's zero-reports, a roll call's report): the file's bytes, media type and name.</summary>
public sealed record ExportFile(byte[] Bytes, string ContentType, string FileName);

/// <summary>
/// The daily zero-report (零报告): the county center configures sensitive periods (and ends one early); during them each
/// due unit (a station of a level the period names) reports its day by the deadline: nothing to report, or a note
/// and the incidents it knows of (visible to the reporter, within the unit). A unit reports once a day, by its own
/// station or, for a village, by its township (<see cref="AccessPolicy.MayReportFor"/>); a day already begun or gone by
/// may still be reported (late past the deadline), a day to come not. Anyone who reads zero-reports sees the units of
/// their jurisdiction: who has reported, when and what, and who has not. Each change is one commit with its audit row;
/// the same Idempotency-Key again answers what the first request made. Times are the zero-report clock (<see cref="ClockKey"/>).
/// </summary>
public sealed class ZeroReportService(
    ZeroReportStore store,
    JurisdictionDirectory directory,
    CalendarService calendars,
    IncidentService incidents,
    [FromKeyedServices(ZeroReportService.ClockKey)] TimeProvider clock)
{
    /// <summary>The zero-report clock: the sweep's, so that "today" and deadlines are judged by one time.</summary>
    public const string ClockKey = ZeroReportSweepGrain.ClockKey;

    /// <summary>The longest export, in days.</summary>
    public const int MaxExportDays = ZeroReportRules.MaxPeriodDays;

    // ---- sensitive periods ----------------------------------------------------------------------------------------

    /// <summary>Configures a sensitive period (county level only); the same Idempotency-Key again answers the stored one.</summary>
    public async Task<Outcome<SensitivePeriodView>> Configure(Actor actor, string key, SensitivePeriodRequest request)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var caller = actor.Caller;
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.ConfigureSensitivePeriods, null, tree)) is { } refused)
            return refused;
        var id = KeyedIds.Of("sensitive-period", caller.Id, key);
        if (await store.Period(id) is { } existing)
            return View(existing);
        var now = Timestamps.Stored(clock.GetUtcNow());
        if (ZeroReportRules.PeriodProblems(request.From, request.To, ChinaTime.Day(now)) is { Count: > 0 } problems)
            return Refusal.Invalid(problems);
        var period = new SensitivePeriod(id, request.Name, request.From, request.To, request.Levels, request.Deadline, request.WorkingDaysOnly, caller.Id,
            caller.Name, now);
        var detail = $"{request.Name} · {request.From:yyyy-MM-dd}–{request.To:yyyy-MM-dd} · {string.Join(",", request.Levels.Select(l => Json.Word(l)))} · "
            + $"{request.Deadline:HH:mm}{(request.WorkingDaysOnly ? " · working days only" : "")}";
        try
        {
            await store.AddPeriod(period, AuditLog.Row(now, caller, AuditActions.ConfigureSensitivePeriod, id.ToString(), detail: detail,
                clientAddress: actor.ClientAddress));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same request twice at once: the other one stored it.
        }
        return View((await store.Period(id))!);
    }

    /// <summary>Every sensitive period, the latest first.</summary>
    public async Task<IReadOnlyList<SensitivePeriodView>> Periods() => (await store.Periods()).Select(View).ToList();

    /// <summary>Ends a period: today is its last day (one not begun yet never runs); ended already: answered as it is.</summary>
    public async Task<Outcome<SensitivePeriodView>> End(Actor actor, Guid id)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var caller = actor.Caller;
        if (Refusal.For(AccessPolicy.Decide(caller, AccessAction.ConfigureSensitivePeriods, null, tree)) is { } refused)
            return refused;
        if (await store.Period(id) is not { } period)
            return Refusal.NotFound($"No sensitive period {id}.");
        if (period.EndedOn is not null)
            return View(period);
        var now = Timestamps.Stored(clock.GetUtcNow());
        var today = ChinaTime.Day(now);
        await store.EndPeriod(id, today, caller.Name, AuditLog.Row(now, caller, AuditActions.EndSensitivePeriod, id.ToString(),
            detail: $"{period.Name} · last day {today:yyyy-MM-dd}", clientAddress: actor.ClientAddress));
        return View((await store.Period(id))!);
    }

    // ---- reports --------------------------------------------------------------------------------------------------

    /// <summary>A unit's report of a day; the same Idempotency-Key again answers the stored one, a second report of the unit and day is a 409 naming <c>date</c>.</summary>
    public async Task<Outcome<UnitReport>> Submit(Actor actor, string key, ZeroReportRequest request)
    {
        if (directory.Tree is not { } tree)
            return NotReady();
        var caller = actor.Caller;
        if (UnitRefusal(caller, tree, request.Jurisdiction) is { } refused)
            return refused;
        var unit = tree.Find(request.Jurisdiction)!;
        var id = KeyedIds.Of("zero-report", caller.Id, key);
        if (await store.Report(id) is { } replayed)
        {
            return replayed.Jurisdiction == unit.Code && replayed.Day == request.Date
                ? await Shown(tree, replayed)
                : Refusal.Unprocessable(IdempotencyKeys.Header, "This key was used for another unit's or day's report.", "Idempotency-Key reused.");
        }

        var now = Timestamps.Stored(clock.GetUtcNow());
        var periods = await store.Periods();
        var calendar = await calendars.Current();
        var deadline = ZeroReportRules.Deadline(periods, request.Date, unit.Level, calendar);
        var errors = new Dictionary<string, string[]>();
        if (ZeroReportRules.DayProblem(request.Date, ChinaTime.Day(now), deadline, periods.Any(p => ZeroReportRules.Runs(p, request.Date, calendar)))
            is var (dayField, dayMessage))
            errors[dayField] = [dayMessage];
        if (ZeroReportRules.ContentProblem(request.Nothing, request.Note, request.Incidents.Count) is var (field, message))
            errors[field] = [message];
        var titles = new List<string>();
        for (var i = 0; i < request.Incidents.Count; i++)
        {
            if (await incidents.Visible(caller, request.Incidents[i]) is { } incident && tree.IsWithin(incident.GridCode, unit.Code))
                titles.Add(incident.Title);
            else
                errors[$"incidents[{i}]"] = [$"No incident {request.Incidents[i]} of yours in {unit.Name}."];
        }
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        if (await store.ReportOf(unit.Code, request.Date) is { } made)
            return AlreadyReported(unit, made);

        var onBehalf = !caller.Jurisdictions.Contains(unit.Code, StringComparer.Ordinal);
        var report = new ZeroReport(id, unit.Code, request.Date, tree.PathToRoot(unit.Code), request.Nothing, request.Note, request.Incidents, titles,
            deadline!.Value, now, caller.Id, caller.Name, onBehalf);
        var detail = $"{unit.Name} · {request.Date:yyyy-MM-dd} · {(request.Nothing ? "nothing to report" : $"{request.Incidents.Count} incident(s)")}"
            + $"{(ZeroReportRules.IsLate(now, deadline.Value) ? " · late" : "")}{(onBehalf ? " · on behalf" : "")}";
        try
        {
            await store.Submit(report, AuditLog.Row(now, caller, AuditActions.SubmitZeroReport, id.ToString(), detail: detail, clientAddress: actor.ClientAddress));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Made meanwhile: by this request's twin (the same key), or another report of the unit and day.
            if (await store.Report(id) is { } twin)
                return await Shown(tree, twin);
            return AlreadyReported(unit, (await store.ReportOf(unit.Code, request.Date))!);
        }
        return await Shown(tree, report);
    }

    /// <summary>The day's zero-reports of an area (today, CST, when no day is given).</summary>
    public async Task<Outcome<ZeroReportDayView>> Day(Caller caller, string? jurisdiction, string? date)
    {
        var errors = new Dictionary<string, string[]>();
        var day = ZeroReportFormats.ReadDay("date", date, errors);
        var area = Area(caller, jurisdiction, errors);
        if (area.Refusal is { } refused)
            return refused;
        var (tree, place) = area.Value;
        var now = clock.GetUtcNow();
        var today = ChinaTime.Day(now);
        var shown = day ?? today;
        var periods = await store.Periods();
        var calendar = await calendars.Current();
        var units = await Units(tree, place.Code, periods, calendar, shown, shown, now);
        var byParent = units.Where(u => u.Parent is not null).GroupBy(u => u.Parent!)
            .Select(g => new ParentCounts(g.Key, tree.NameOf(g.Key), ZeroReportCounts.Of(g.ToList()),
                g.Where(u => u.State is ZeroReportState.Pending or ZeroReportState.Overdue).Select(u => new NamedArea(u.Code, u.Name)).ToList()))
            .ToList();
        var byLevel = ZeroReportRules.ReportingLevels.Select(level => new LevelCounts(level, ZeroReportCounts.Of(units.Where(u => u.Level == level).ToList())))
            .Where(l => l.Counts.Due > 0)
            .ToList();
        return new ZeroReportDayView(place.Code, place.Name, shown, today, now,
            periods.Where(p => ZeroReportRules.Runs(p, shown, calendar)).Select(View).ToList(), ZeroReportCounts.Of(units), byLevel, byParent, units);
    }

    /// <summary>The reports of an area's due units on each day from <paramref name="from"/> to <paramref name="to"/>, a row per unit and day, as CSV or Excel.</summary>
    public async Task<Outcome<ExportFile>> Export(Caller caller, string? jurisdiction, string? from, string? to, string? format)
    {
        var errors = new Dictionary<string, string[]>();
        var first = ZeroReportFormats.ReadDay("from", from, errors);
        var last = ZeroReportFormats.ReadDay("to", to, errors);
        if (!errors.ContainsKey("from") && first is null)
            errors["from"] = ["Required: the first day, YYYY-MM-DD (China Standard Time)."];
        if (!errors.ContainsKey("to") && last is null)
            errors["to"] = ["Required: the last day, YYYY-MM-DD (China Standard Time)."];
        if (first is { } f && last is { } l && (l < f || l.DayNumber - f.DayNumber + 1 > MaxExportDays))
            errors["to"] = [$"From the first day on, at most {MaxExportDays} days."];
        var kind = format ?? "csv";
        if (kind is not ("csv" or "xlsx"))
            errors["format"] = ["csv or xlsx."];
        var area = Area(caller, jurisdiction, errors);
        if (area.Refusal is { } refused)
            return refused;
        var (tree, place) = area.Value;
        var units = await Units(tree, place.Code, await store.Periods(), await calendars.Current(), first!.Value, last!.Value, clock.GetUtcNow());
        var name = $"零报告_{place.Name}_{first:yyyyMMdd}-{last:yyyyMMdd}";
        return kind == "csv"
            ? new ExportFile(ZeroReportExport.Csv(units), "text/csv; charset=utf-8", name + ".csv")
            : new ExportFile(ZeroReportExport.Xlsx(units), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }

    // ---- the parts ------------------------------------------------------------------------------------------------

    /// <summary>Every due unit within the area on each day from <paramref name="from"/> to <paramref name="to"/>, day by day in tree order, with its report.</summary>
    private async Task<IReadOnlyList<UnitReport>> Units(JurisdictionTree tree, string code, IReadOnlyList<SensitivePeriod> periods, WorkingCalendar calendar,
        DateOnly from, DateOnly to, DateTimeOffset now)
    {
        var due = new List<DueUnit>();
        for (var day = from; day <= to; day = day.AddDays(1))
            due.AddRange(ZeroReportRules.DueUnits(tree, code, periods, day, calendar));
        if (due.Count == 0)
            return [];
        var reports = (await store.Reports(from, to, [code])).ToDictionary(r => (r.Jurisdiction, r.Day));
        var reminders = await store.Reminders(from, to, due.Select(u => u.Code).Distinct().ToList());
        return due.Select(u => View(tree, u, reports.GetValueOrDefault((u.Code, u.Day)), reminders.TryGetValue((u.Code, u.Day), out var at) ? at : null, now))
            .ToList();
    }

    /// <summary>A stored report as its unit's entry of the day.</summary>
    private async Task<UnitReport> Shown(JurisdictionTree tree, ZeroReport report)
    {
        var unit = tree.Find(report.Jurisdiction)!;
        var reminders = await store.Reminders(report.Day, report.Day, [unit.Code]);
        return View(tree, new DueUnit(unit.Code, unit.Level, report.Day, report.DueAt), report,
            reminders.TryGetValue((unit.Code, report.Day), out var at) ? at : null, clock.GetUtcNow());
    }

    private static UnitReport View(JurisdictionTree tree, DueUnit unit, ZeroReport? report, DateTimeOffset? remindedAt, DateTimeOffset now)
    {
        var parent = tree.Find(unit.Code)?.ParentCode;
        var deadline = report?.DueAt ?? unit.Deadline;
        return new UnitReport(unit.Code, tree.NameOf(unit.Code), unit.Level, parent, parent is null ? null : tree.NameOf(parent), unit.Day, deadline,
            ZeroReportRules.State(deadline, report?.ReportedAt, now), report?.Id, report?.ReportedAt, report?.ReportedByName, report?.OnBehalf ?? false,
            report?.Nothing, report?.Note,
            report is null ? [] : report.Incidents.Zip(report.IncidentTitles, (id, title) => new LinkedIncident(id, title)).ToList(), remindedAt);
    }

    private static SensitivePeriodView View(SensitivePeriod p) => new(p.Id, p.Name, p.From, p.To, p.LastDay, p.Levels, p.Deadline.ToString(ZeroReportFormats.TimeOfDay),
        p.WorkingDaysOnly, p.CreatedByName, p.CreatedAt, p.EndedOn, p.EndedByName);

    /// <summary>The area asked for, when the query has no other <paramref name="errors"/> and the caller may read the area's zero-reports.</summary>
    private Outcome<(JurisdictionTree Tree, Jurisdiction Area)> Area(Caller caller, string? code, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(code))
            errors["jurisdiction"] = ["Required: the code of the area."];
        if (errors.Count > 0 || code is null)
            return Refusal.Invalid(errors);
        if (directory.Tree is not { } tree)
            return NotReady();
        var decision = AccessPolicy.Decide(caller, AccessAction.ReadZeroReports, code, tree);
        return Refusal.For(decision, code) is { } refused ? refused : (tree, tree.Find(code)!);
    }

    /// <summary>Why the caller may not report for the unit: unknown (400 for those who see the county, else 403), or not one they report for (403); each naming <c>jurisdiction</c>.</summary>
    private static Refusal? UnitRefusal(Caller caller, JurisdictionTree tree, string code)
    {
        if (AccessPolicy.MayReportFor(caller, code, tree))
            return null;
        if (tree.Find(code) is not { } unit)
            return AccessPolicy.IsWithinScope(caller, tree.Root.Code, tree) ? Refusal.Invalid("jurisdiction", $"No unit {code}.")
                : Refusal.Forbidden("jurisdiction", $"{code} is outside your jurisdiction.");
        return Refusal.Forbidden("jurisdiction", AccessPolicy.IsWithinScope(caller, code, tree)
            ? $"{unit.Name}: a unit's own station reports for it, and a township for its villages."
            : $"{unit.Name} is outside your jurisdiction.");
    }

    private static Refusal AlreadyReported(Jurisdiction unit, ZeroReport made) =>
        Refusal.Conflict("date", $"{unit.Name} has reported for {made.Day:yyyy-MM-dd} already ({ChinaTime.Of(made.ReportedAt):HH:mm}, {made.ReportedByName}).");

    private static Refusal NotReady() => Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
}
