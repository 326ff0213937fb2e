using CommandCenter.Access;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Web.Application;
using CommandCenter.ZeroReports;

namespace CommandCenter.Web.Simulation;

/// <summary>
/// Demo mode: the daily zero-report (零报告). When no sensitive period runs today (CST) the demo commander configures
/// one of seven days from today (townships and villages, due at 10:00), and the stations report during the morning as
/// their walls would, through the zero-report service: each unit at a time of its own drawn from its code and the day
/// (so a restart keeps the plan), most between 07:30 and 09:50 (one in seven with something to report: a note), one in
/// eight late (10:05–11:55), one in sixteen never, so the table fills up with some units missing. A township's station
/// reports for itself and, on their behalf (代报), for its villages, but for the first village, whose own station
/// (village-1) reports. At most <see cref="PerStep"/> reports a step, so a demo started after the morning catches up
/// over its first minutes (late, since it is past 10:00). Keys and ids come from the unit and the day. Audited as the
/// accounts', from the client address "demo-simulator".
/// </summary>
public sealed class DemoZeroReports(ZeroReportService zero, AccountStore accounts, TimeProvider clock, ILogger<DemoZeroReports> log)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    public const int PerStep = 8;

    public const int PeriodDays = 7;

    private static readonly string[] Notes =
    [
        "辖区内发生邻里纠纷1起,已现场调解化解",
        "发现出租屋消防隐患1处,已督促整改",
        "重点人员稳定,已逐一见面走访",
    ];

    private Caller? _commander;
    private Dictionary<string, Caller>? _stations;
    private DateTimeOffset _next;

    public async Task Step(JurisdictionTree tree)
    {
        var now = clock.GetUtcNow();
        if (now < _next)
            return;
        _next = now + Every;
        if (_commander is null)
        {
            var people = (await accounts.List()).ToDictionary(a => a.Username, a => a.ToCaller(), StringComparer.Ordinal);
            if (!people.TryGetValue("commander", out var commander))
                return;
            _stations = people.Values.Where(c => c.Role is Role.TownshipStation or Role.VillageStation && c.Jurisdictions.Count == 1)
                .ToDictionary(c => c.Jurisdictions[0], StringComparer.Ordinal);
            _commander = commander;
        }
        var today = ChinaTime.Day(now);
        if (!await EnsurePeriod(today))
            return;
        if ((await zero.Day(_commander, DemoCounty.CountyIn(tree).Code, null)).Value is not { } day)
            return;
        var due = day.Units.Where(u => u.State is ZeroReportState.Pending or ZeroReportState.Overdue)
            .Select(u => (Unit: u, Plan: Plan(u.Code, today)))
            .Where(p => p.Plan.At is { } at && ChinaTime.At(today, at) <= now)
            .OrderBy(p => p.Plan.At)
            .Take(PerStep);
        foreach (var (unit, plan) in due)
        {
            if (Reporter(tree, unit.Code) is not { } station)
                continue;
            var note = plan.Note ?? "";
            var made = await zero.Submit(new Actor(station, DemoCaseWorker.ClientAddress), $"demo-zero-{today:yyyyMMdd}-{unit.Code}",
                new ZeroReportRequest(unit.Code, today, plan.Note is null, note, []));
            if (made.Refusal is { Kind: not RefusalKind.Conflict } refused)
                log.LogWarning("The demo could not report the zero-report of {Unit}: {Detail}", unit.Name, refused.Detail ?? string.Join("; ", refused.Errors?.Values.SelectMany(v => v) ?? []));
        }
    }

    /// <summary>A period runs today, configured by the demo if none did; false when it could not be.</summary>
    private async Task<bool> EnsurePeriod(DateOnly today)
    {
        if ((await zero.Periods()).Any(p => p.From <= today && p.LastDay >= today))
            return true;
        var made = await zero.Configure(new Actor(_commander!, DemoCaseWorker.ClientAddress), $"demo-period-{today:yyyyMMdd}",
            new SensitivePeriodRequest("重要节点维稳敏感时期", today, today.AddDays(PeriodDays - 1), ZeroReportRules.ReportingLevels,
                ZeroReportRules.DefaultDeadline, false));
        if (made.Refusal is { } refused)
        {
            log.LogWarning("The demo could not configure its sensitive period: {Detail}", refused.Detail ?? refused.Title);
            return false;
        }
        log.LogInformation("Demo sensitive period {From}–{To}", today, made.Value!.LastDay);
        return true;
    }

    /// <summary>The unit's own station account, else (a village) its township's.</summary>
    private Caller? Reporter(JurisdictionTree tree, string unit) =>
        _stations!.GetValueOrDefault(unit) ?? (tree.Find(unit)?.ParentCode is { } township ? _stations!.GetValueOrDefault(township) : null);

    /// <summary>When the unit reports on the day (null: never) and, if it has something to report, its note; drawn from the unit and the day.</summary>
    private static (TimeOnly? At, string? Note) Plan(string unit, DateOnly day)
    {
        var bytes = KeyedIds.Of("demo-zero-report", unit, $"{day:yyyyMMdd}").ToByteArray();
        double Fraction(int at) => BitConverter.ToUInt16(bytes, at) / 65536.0;
        var draw = Fraction(0);
        var minutes = draw < 1 / 16.0 ? (int?)null
            : draw < 1 / 16.0 + 1 / 8.0 ? 10 * 60 + 5 + (int)(Fraction(2) * 110)
            : 7 * 60 + 30 + (int)(Fraction(2) * 140);
        var note = Fraction(4) < 1 / 7.0 ? Notes[bytes[6] % Notes.Length] : null;
        return (minutes is { } m ? new TimeOnly(m / 60, m % 60) : null, note);
    }
}
