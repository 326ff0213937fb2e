using CommandCenter.Access;
using CommandCenter.Categories;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Patrols;
using CommandCenter.Statistics;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Application;

/// <summary>A grid's place in the quarter's ranking, by name with its village and township.</summary>
public sealed record RankedGrid(int Rank, string Code, string Name, string Village, string Township, double? Score, int Stars,
    GridScoreParts Parts, long Accepted, long Closed, long PatrolWindowsDone, long PatrolWindowsDue);

/// <summary>The answer of <c>GET /api/rankings/grids</c>.</summary>
public sealed record GridRanking(string Jurisdiction, string Name, string Quarter, string Period, DateOnly From, DateOnly To,
    GridScoreWeights Weights, IReadOnlyList<double> StarThresholds, IReadOnlyList<RankedGrid> Grids);

/// <summary>A grid person's place in the period's ranking, by name with their grid, village and township.</summary>
public sealed record TopWorker(int Rank, string Id, string Name, string Grid, string Village, string Township, double? Score, WorkerScoreParts Parts,
    WorkerFigures Figures);

/// <summary>The answer of <c>GET /api/rankings/workers</c>: the first ten of the area's grid people.</summary>
public sealed record TopWorkersView(string Jurisdiction, string Name, string Period, DateOnly From, DateOnly To, WorkerScoreWeights Weights,
    int Ranked, IReadOnlyList<TopWorker> Workers);

/// <summary>A village's four flags for the year, by name, with what they come from.</summary>
public sealed record FourNoVillage(string Code, string Name, string Township, bool NoLitigation, bool NoCriminalCase, bool NoPublicSecurityCase,
    bool NoDisputeBacklog, bool AllFour, int? LitigationCases, long CriminalCases, long PublicSecurityCases, long DisputeBacklog);

/// <summary>An area's counts of four-no villages (a township's, or the whole answer's).</summary>
public sealed record FourNoArea(string Code, string Name, FourNoCounts Counts, double? AllFourShare);

/// <summary>The answer of <c>GET /api/rankings/four-no</c>: per village, per township and for the area asked.</summary>
public sealed record FourNoView(string Jurisdiction, string Name, int Year, DateOnly From, DateOnly To, FourNoArea Total,
    IReadOnlyList<FourNoArea> Townships, IReadOnlyList<FourNoVillage> Villages);

/// <summary>A village's litigation cases of a year as recorded from the courts (<c>PUT /api/rankings/four-no/litigation</c>).</summary>
public sealed record LitigationRequest(string Village, int Year, int Cases, string Note) : IRequestContract<LitigationRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static LitigationRequest Read(JsonFields body) => new(
        body.Text("village", 64, required: true) ?? "",
        body.Integer("year", 2000, 2100) ?? 0,
        body.Integer("cases", 0, 100_000) ?? 0,
        body.Text("note", 500, required: false) ?? "");
}

/// <summary>
/// The rankings of an area (星级网格, 四无村), from the rolled-up statistics, the patrol outcomes and the litigation
/// records, with the configured weights.
/// </summary>
public sealed class RankingService(StatStore stats, PatrolStore patrols, LitigationStore litigation, WorkerStatsStore workerStats,
    JurisdictionDirectory directory, CategoryCatalog categories, AuditLog audit, IOptions<RankingOptions> options, TimeProvider clock)
{
    public const int TopCount = 10;

    /// <summary>
    /// 十佳网格员 of the month <paramref name="month"/> (2026-12) or the quarter <paramref name="quarter"/> (2026Q4; this
    /// month when neither): the grid workers and chiefs within <paramref name="jurisdiction"/>, ranked, the first ten.
    /// </summary>
    public async Task<Outcome<TopWorkersView>> Workers(string jurisdiction, string? month, string? quarter)
    {
        if (!string.IsNullOrEmpty(month) && !string.IsNullOrEmpty(quarter))
            return Refusal.Invalid("quarter", "A month or a quarter, not both.");
        ReportPeriod? period = !string.IsNullOrEmpty(quarter) ? ReportPeriod.Parse(ReportPeriodKind.Quarter, quarter)
            : !string.IsNullOrEmpty(month) ? ReportPeriod.Parse(ReportPeriodKind.Month, month)
            : ReportPeriod.Holding(ReportPeriodKind.Month, ChinaTime.Day(clock.GetUtcNow()));
        if (period is null)
            return Refusal.Invalid(string.IsNullOrEmpty(quarter) ? "month" : "quarter", "A month YYYY-MM or a quarter YYYYQn.");
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
        var people = directory.WorkersIn(jurisdiction).Where(w => w.Role is WorkerRole.GridWorker or WorkerRole.GridChief).ToList();
        var done = await workerStats.Of(jurisdiction, people.Select(p => p.Id).ToList(), period.From, period.To);
        var windows = await patrols.WindowsDone(people.Select(p => p.GridCode).Distinct().ToList(), period.From, period.To);
        var figures = people.Select(p =>
        {
            var d = done.GetValueOrDefault(p.Id);
            var w = windows.GetValueOrDefault(p.GridCode);
            return new WorkerFigures(p.Id, d.Reports, d.OnTheSpot, d.Handled, d.WithoutMissedDeadline, d.RatedSatisfied, d.Rated, w.Done, w.Due);
        }).ToList();
        var byId = people.ToDictionary(p => p.Id);
        var ranked = TopWorkers.Rank(figures, options.Value.WorkerWeights);
        var top = ranked.Take(TopCount).Select(r =>
        {
            var person = byId[r.Figures.WorkerId];
            var path = tree.PathToRoot(person.GridCode);
            return new TopWorker(r.Rank, person.Id, person.Name, tree.NameOf(person.GridCode), path.Count > 1 ? tree.NameOf(path[1]) : "",
                path.Count > 2 ? tree.NameOf(path[2]) : "", r.Score, r.Parts, r.Figures);
        }).ToList();
        return new TopWorkersView(jurisdiction, tree.NameOf(jurisdiction), period.Name, period.From, period.To, options.Value.WorkerWeights, ranked.Count, top);
    }

    /// <summary>Every grid within <paramref name="jurisdiction"/> for the quarter <paramref name="quarter"/> (2026Q4; this quarter when none).</summary>
    public async Task<Outcome<GridRanking>> Grids(string jurisdiction, string? quarter)
    {
        var period = string.IsNullOrEmpty(quarter)
            ? ReportPeriod.Holding(ReportPeriodKind.Quarter, ChinaTime.Day(clock.GetUtcNow()))
            : ReportPeriod.Parse(ReportPeriodKind.Quarter, quarter);
        if (period is null)
            return Refusal.Invalid("quarter", "A quarter: YYYYQn, such as 2026Q4.");
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
        var area = tree.Find(jurisdiction)!;
        var grids = tree.Within(jurisdiction, JurisdictionLevel.Grid);
        var codes = grids.Select(g => g.Code).ToList();
        var sums = (await stats.Sums(codes, period.From, period.To, StatGrouping.Child, categories.List.CodesOf(CategoryKind.Dispute)))
            .ToDictionary(s => s.Group);
        var windows = await patrols.WindowsDone(codes, period.From, period.To);
        var figures = codes.Select(code => new GridFigures(code, Kpis.Counts(sums.GetValueOrDefault(code) ?? StatSums.None(code)),
            windows.GetValueOrDefault(code).Done, windows.GetValueOrDefault(code).Due));
        var settings = options.Value;
        var ranked = GridStars.Rank(figures, settings).Select(g =>
        {
            var path = tree.PathToRoot(g.Code);
            return new RankedGrid(g.Rank, g.Code, tree.NameOf(g.Code), path.Count > 1 ? tree.NameOf(path[1]) : "", path.Count > 2 ? tree.NameOf(path[2]) : "",
                g.Score, g.Stars, g.Parts, g.Figures.Counts.Accepted, g.Figures.Counts.Closed, g.Figures.PatrolWindowsDone, g.Figures.PatrolWindowsDue);
        }).ToList();
        return new GridRanking(jurisdiction, area.Name, period.Key, period.Name, period.From, period.To, settings.GridWeights, settings.Thresholds, ranked);
    }

    /// <summary>
    /// 四无村 of <paramref name="year"/> (this one when none) for every village within <paramref name="jurisdiction"/>:
    /// the four flags (<see cref="FourNo"/>), counted per township and for the area.
    /// </summary>
    public async Task<Outcome<FourNoView>> FourNoVillages(string jurisdiction, string? year)
    {
        var today = ChinaTime.Day(clock.GetUtcNow());
        var y = today.Year;
        if (!string.IsNullOrEmpty(year) && (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out y)
                || y is < 2000 or > 2100))
            return Refusal.Invalid("year", "A year from 2000 to 2100.");
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("The jurisdiction tree is not loaded yet.");
        var (from, to) = (new DateOnly(y, 1, 1), y == today.Year ? today : new DateOnly(y, 12, 31));
        var villages = tree.Within(jurisdiction, JurisdictionLevel.Village);
        var codes = villages.Select(v => v.Code).ToList();
        var list = categories.List;
        var disputeCodes = list.CodesOf(CategoryKind.Dispute);
        var criminalSums = stats.AcceptedAndClosed(codes, from, to, list.CodesOf(CategoryKind.Criminal));
        var publicSecuritySums = stats.AcceptedAndClosed(codes, from, to, list.CodesOf(CategoryKind.PublicSecurity));
        // The dispute backlog at the year's end, accepted − closed summed from the beginning: the disputes accepted and
        // never closed now, less those accepted and plus those closed since (none, for the current year).
        var openDisputes = stats.AcceptedNotClosedNow(codes, disputeCodes);
        var sinceSums = to < today ? stats.AcceptedAndClosed(codes, to.AddDays(1), today, disputeCodes) : null;
        var recordedCases = litigation.Of(codes, y);
        var (criminal, publicSecurity, open, recorded) = (await criminalSums, await publicSecuritySums, await openDisputes, await recordedCases);
        var since = sinceSums is null ? null : await sinceSums;
        long Backlog(string village)
        {
            var (accepted, closed) = since?.GetValueOrDefault(village) ?? default;
            return open.GetValueOrDefault(village) - (accepted - closed);
        }
        var rows = villages.Select(v =>
        {
            var facts = new VillageYear(v.Code, recorded.GetValueOrDefault(v.Code)?.Cases, criminal.GetValueOrDefault(v.Code).Accepted,
                publicSecurity.GetValueOrDefault(v.Code).Accepted, Backlog(v.Code));
            var flags = FourNo.Flags(facts);
            return (Township: v.ParentCode ?? "", Flags: flags, Row: new FourNoVillage(v.Code, v.Name, tree.NameOf(v.ParentCode ?? ""), flags.NoLitigation,
                flags.NoCriminalCase, flags.NoPublicSecurityCase, flags.NoDisputeBacklog, flags.AllFour, recorded.GetValueOrDefault(v.Code)?.Cases,
                facts.CriminalCases, facts.PublicSecurityCases, Math.Max(facts.DisputeBacklog, 0)));
        }).ToList();
        FourNoArea Area(string code, IReadOnlyCollection<FourNoFlags> flags)
        {
            var counts = FourNo.Count(flags);
            return new FourNoArea(code, tree.NameOf(code), counts, counts.AllFourShare);
        }
        var townships = rows.GroupBy(r => r.Township).Select(g => Area(g.Key, g.Select(r => r.Flags).ToList())).ToList();
        return new FourNoView(jurisdiction, tree.NameOf(jurisdiction), y, from, to, Area(jurisdiction, rows.Select(r => r.Flags).ToList()), townships,
            rows.Select(r => r.Row).ToList());
    }

    /// <summary>Records a village's litigation cases of a year (from the courts), within the caller's jurisdiction; audited.</summary>
    public async Task<Outcome<LitigationRecord>> RecordLitigation(Actor actor, LitigationRequest request)
    {
        var tree = directory.Tree;
        if (tree?.Find(request.Village) is not { Level: JurisdictionLevel.Village })
            return Refusal.Invalid("village", "The code of a village (村、社区).");
        if (AccessPolicy.Decide(actor.Caller, AccessAction.RecordLitigation, request.Village, tree) is not AccessDecision.Allowed)
            return Refusal.Forbidden("village", "The village lies outside your jurisdiction.");
        var record = new LitigationRecord(request.Village, request.Year, request.Cases, request.Note.Trim(), actor.Caller.Id, clock.GetUtcNow());
        await litigation.Save(record);
        await audit.Append(actor.Caller, AuditActions.RecordLitigation, $"{request.Village}/{request.Year}",
            detail: $"{tree.NameOf(request.Village)} {request.Year}: {request.Cases} cases · {record.Note}", clientAddress: actor.ClientAddress);
        return record;
    }
}
