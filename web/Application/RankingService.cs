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

/// <summary>The rankings of an area (星级网格), from the rolled-up statistics and the patrol outcomes, with the configured weights.</summary>
public sealed class RankingService(StatStore stats, PatrolStore patrols, JurisdictionDirectory directory, CategoryCatalog categories,
    IOptions<RankingOptions> options, TimeProvider clock)
{
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
        var grids = tree.All.Where(j => j.Level == JurisdictionLevel.Grid && tree.IsWithin(j.Code, jurisdiction)).ToList();
        var codes = grids.Select(g => g.Code).ToList();
        var sums = (await stats.Sums(codes, period.From, period.To, StatGrouping.Child, categories.List.CodesOf(CategoryKind.Dispute)))
            .ToDictionary(s => s.Group);
        var windows = await patrols.WindowsDone(codes, period.From, period.To);
        var empty = new StatSums("", new Dictionary<StatMeasure, long>(), new Dictionary<StatMeasure, long>());
        var figures = codes.Select(code => new GridFigures(code, Kpis.Counts(sums.GetValueOrDefault(code) ?? empty),
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
}
