using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Web.Application;

public sealed record JurisdictionItem(string Code, string Name, JurisdictionLevel Level, string? ParentCode);

/// <summary>
/// What an import did or (a dry run) would do: the areas by level, the coordinates' system read, every repair made,
/// and what went (or would go) to the successors of the codes it drops; a dry run's <see cref="Problems"/> are what a
/// real import would be refused for (<see cref="Accepted"/> false).
/// </summary>
public sealed record JurisdictionImportSummary(bool Applied, bool Accepted, int Areas, IReadOnlyDictionary<string, int> ByLevel, string Crs,
    IReadOnlyList<JurisdictionRepair> Repairs, IReadOnlyList<GeoJsonProblem> Problems, SuccessionSummary Moved);

/// <summary>
/// The successions of an import and what moved by them: people, cameras, accounts, integrations (each with its grid
/// or scope before and after), patrol checkpoints (how many), and the open cases; <see cref="CasesLeft"/> open cases
/// could not be moved now (the same import again moves them).
/// </summary>
public sealed record SuccessionSummary(IReadOnlyList<Succession> Successions, IReadOnlyList<TreeMove> People, IReadOnlyList<TreeMove> Cameras,
    IReadOnlyList<TreeMove> Accounts, IReadOnlyList<TreeMove> Integrations, int Checkpoints, IReadOnlyList<TreeMove> Cases, int CasesLeft)
{
    public static readonly SuccessionSummary None = new([], [], [], [], [], 0, [], 0);
}

/// <summary>
/// How to import (<c>POST /api/jurisdictions/import?dryRun=&amp;repair=&amp;tolerance=&amp;crs=</c>, and for a zip of
/// shapefiles the columns <c>codeField</c>, <c>nameField</c>, <c>levelField</c>, <c>parentField</c> and the attributes'
/// <c>encoding</c>), and the <c>successors</c> of the codes it drops (<see cref="JurisdictionSuccessors.Parse"/>), as
/// the request says.
/// </summary>
public sealed record JurisdictionImportRequest(bool DryRun = false, bool Repair = false, string? Tolerance = null, string? Crs = null,
    string? CodeField = null, string? NameField = null, string? LevelField = null, string? ParentField = null, string? Encoding = null,
    string? Successors = null);

/// <summary>
/// An administrator's edit of one area: <c>{ name?, parentCode? }</c>, a new name and, for a grid, the neighbouring
/// village it moves to (<see cref="JurisdictionEdits"/>).
/// </summary>
public sealed record JurisdictionEditRequest(string? Name, string? ParentCode) : IRequestContract<JurisdictionEditRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static JurisdictionEditRequest Read(JsonFields body)
    {
        var request = new JurisdictionEditRequest(body.OptionalText("name", JurisdictionEdits.MaxNameLength),
            body.OptionalText("parentCode", JurisdictionGeoJson.MaxCodeLength));
        if (request is { Name: null, ParentCode: null })
            body.Fail("name", "Give a new name, or for a grid the parentCode of the village it moves to.");
        return request;
    }
}

/// <summary>The jurisdiction tree (网格): import a county as GeoJSON, read the tree, export it back, edit an area.</summary>
public sealed class JurisdictionService(JurisdictionDirectory directory, IGrainFactory grains, CountyImporter importer, JurisdictionStore store,
    IncidentStore incidents, AuditLog audit, ILogger<JurisdictionService> log)
{
    /// <summary>How many open cases are moved at once after a re-import.</summary>
    private const int MovesAtOnce = 8;

    /// <summary>The areas within the caller's jurisdiction, root first, without geometry; none before a county is imported.</summary>
    public Outcome<IReadOnlyList<JurisdictionItem>> List(Caller caller) =>
        directory.Tree is not { } tree
            ? Outcome.Of<IReadOnlyList<JurisdictionItem>>([])
            : tree.All
                .Where(j => AccessPolicy.IsWithinScope(caller, j.Code, tree))
                .Select(j => new JurisdictionItem(j.Code, j.Name, j.Level, j.ParentCode))
                .ToList();

    /// <summary>One area with its path, children, people, cameras and live counters.</summary>
    public async Task<Outcome<JurisdictionOverview>> Get(string code) =>
        directory.Tree?.Find(code) is not null && await grains.GetGrain<IJurisdictionGrain>(code).Get() is { } overview
            ? overview
            : Refusal.NotFound($"No jurisdiction {code}.");

    /// <summary>The subtree under an area as GeoJSON (the import format), of the levels named (comma-separated; all when none).</summary>
    public Outcome<byte[]> Export(string code, string? levels)
    {
        if (directory.Tree is not { } tree || tree.Find(code) is null)
            return Refusal.NotFound($"No jurisdiction {code}.");
        var wanted = new HashSet<JurisdictionLevel>();
        foreach (var word in (levels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EnumWords.TryParse<JurisdictionLevel>(word, out var level))
                return Refusal.Invalid("levels", $"Unknown level '{word}': use {EnumWords.List<JurisdictionLevel>()}.");
            wanted.Add(level);
        }
        var subtree = tree.All.Where(j => tree.IsWithin(j.Code, code) && (wanted.Count == 0 || wanted.Contains(j.Level))).ToList();
        return JurisdictionGeoJson.Write(subtree);
    }

    /// <summary>The villages a grid may move to: those other than its own that border it.</summary>
    public Outcome<IReadOnlyList<JurisdictionItem>> Neighbours(string code) =>
        directory.Tree is not { } tree || tree.Find(code) is null
            ? Refusal.NotFound($"No jurisdiction {code}.")
            : JurisdictionEdits.Neighbours(tree, code).Select(v => new JurisdictionItem(v.Code, v.Name, v.Level, v.ParentCode)).ToList();

    /// <summary>
    /// Renames an area, or moves a grid to a neighbouring village (both at once when asked): a rename is one update of
    /// the tree; a move makes the tree with the villages' outlines changed and imports it as a file would be (with
    /// repair), then moves the grid's open cases to their new path. Audited.
    /// </summary>
    public async Task<Outcome<JurisdictionItem>> Edit(Actor actor, string code, JurisdictionEditRequest request)
    {
        if (directory.Tree is not { } tree || tree.Find(code) is not { } area)
            return Refusal.NotFound($"No jurisdiction {code}.");
        var name = request.Name?.Trim();
        if (name is not null && JurisdictionEdits.NameProblem(name) is { } badName)
            return Refusal.Invalid("name", badName);
        if (request.ParentCode is not { } village)
        {
            await store.Rename(code, name!);
            await directory.Refresh(force: true);
            await audit.Append(actor.Caller, AuditActions.EditJurisdiction, code, detail: $"name {area.Name} → {name}", clientAddress: actor.ClientAddress);
            return new JurisdictionItem(code, name!, area.Level, area.ParentCode);
        }
        var (areas, field, problem) = JurisdictionEdits.MoveGrid(tree, code, village);
        if (areas is null)
            return Refusal.Invalid(field, problem);
        if (name is not null)
            areas = areas.Select(a => a.Code == code ? a with { Name = name } : a).ToList();
        var outcome = await importer.Import(JurisdictionGeoJson.Write(areas), new JurisdictionImportOptions(Repair: true));
        if (outcome.Problems.Count > 0)
            return Refusal.Invalid(new Dictionary<string, string[]> { ["parentCode"] = outcome.Problems.Select(p => $"{p.Code}: {p.Message}").ToArray() });
        var (cases, left) = await MoveOpenCases(actor.Caller.Id);
        await audit.Append(actor.Caller, AuditActions.EditJurisdiction, code,
            detail: (name is null ? "" : $"name {area.Name} → {name}; ") + $"village {area.ParentCode} → {village}; {cases.Count} open cases moved"
                + (left > 0 ? $" ({left} left)" : ""),
            clientAddress: actor.ClientAddress);
        return new JurisdictionItem(code, name ?? area.Name, area.Level, village);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The largest repair tolerance one may ask for: 5 % of the area concerned.</summary>
    public const double MaxTolerance = 0.05;

    /// <summary>
    /// Replaces the tree with a GeoJSON FeatureCollection, all or nothing, naming every offending feature; or, as a dry
    /// run, says what the import would do and be refused for, changing nothing.
    /// </summary>
    public async Task<Outcome<JurisdictionImportSummary>> Import(Actor actor, byte[] geoJson, JurisdictionImportRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var tolerance = JurisdictionImportOptions.DefaultTolerance;
        if (!string.IsNullOrEmpty(request.Tolerance) && (!double.TryParse(request.Tolerance, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out tolerance) || !(tolerance > 0 && tolerance <= MaxTolerance)))
            errors["tolerance"] = [$"A share of the area concerned, above 0 and at most {MaxTolerance} (0.005 = 0.5 %)."];
        CoordinateSystem? crs = null;
        if (!string.IsNullOrEmpty(request.Crs))
        {
            if (ChinaDatum.TryParse(request.Crs, out var named))
                crs = named;
            else
                errors["crs"] = ["One of wgs84 (EPSG:4326), cgcs2000 (EPSG:4490), gcj02."];
        }
        var (successions, unreadable) = JurisdictionSuccessors.Parse(request.Successors);
        if (successions is null)
            errors[JurisdictionSuccessors.Field] = unreadable.Select(p => p.Message).ToArray();
        if (errors.Count > 0)
            return Refusal.Invalid(errors);

        var defaults = new ShapefileColumns();
        var columns = new ShapefileColumns(Blank(request.CodeField) ?? defaults.Code, Blank(request.NameField) ?? defaults.Name,
            Blank(request.LevelField) ?? defaults.Level, Blank(request.ParentField) ?? defaults.Parent, Blank(request.Encoding));
        var outcome = await importer.Import(geoJson, new JurisdictionImportOptions(request.Repair, tolerance, crs), request.DryRun, columns, successions);
        if (outcome.Problems.Count > 0 && !request.DryRun)
        {
            return Refusal.Invalid(outcome.Problems
                .GroupBy(p => p.FeatureIndex < 0 ? p.Field : $"features[{p.FeatureIndex}].{p.Field}")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Code is null ? p.Message : $"{p.Code}: {p.Message}").ToArray()));
        }
        var moved = SuccessionSummary.None;
        if (outcome.Change is { } change)
        {
            var (cases, left) = outcome.Applied ? await MoveOpenCases(actor.Caller.Id) : (await CasesToMove(change, outcome.Tree!), 0);
            moved = new SuccessionSummary(change.Successions, change.People, change.Cameras, change.Accounts, change.Integrations,
                change.Checkpoints.Count, cases, left);
        }
        if (outcome.Applied)
            await Audit(actor, outcome, moved);
        return new JurisdictionImportSummary(outcome.Applied, outcome.Problems.Count == 0, outcome.Areas, outcome.ByLevel, Json.Word(outcome.Crs),
            outcome.Repairs, outcome.Problems, moved);
    }

    /// <summary>
    /// Moves every open case the current tree does not place where it is (its grid dropped, or moved to another
    /// village) to the grid the recorded successions give at its position, through its grain. Returns the cases
    /// moved and how many could not be (their grain failed, or no grid takes them); the next import moves those.
    /// </summary>
    private async Task<(IReadOnlyList<TreeMove> Moved, int Left)> MoveOpenCases(string actor)
    {
        if (directory.Tree is not { } tree)
            return ([], 0);
        var successors = await store.Successors();
        var moved = new System.Collections.Concurrent.ConcurrentBag<TreeMove>();
        var left = 0;
        await Parallel.ForEachAsync(await incidents.OpenOutside(tree), new ParallelOptions { MaxDegreeOfParallelism = MovesAtOnce }, async (open, _) =>
        {
            var to = successors.GridFor(open.GridCode, open.Latitude, open.Longitude, tree) ?? tree.LocateGrid(open.Latitude, open.Longitude)?.Code;
            try
            {
                if (to is not null && await grains.GetGrain<IIncidentGrain>(open.Id).Move(to, actor))
                {
                    moved.Add(new TreeMove(open.Id.ToString(), open.GridCode, to));
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Incident {Id} was not moved from grid {Grid} after the import; the next import moves it", open.Id, open.GridCode);
            }
            Interlocked.Increment(ref left);
        });
        return (moved.OrderBy(m => m.Id, StringComparer.Ordinal).ToList(), left);
    }

    /// <summary>The open cases a dry run's tree would move: those in the grids it drops, to their successors at their positions.</summary>
    private async Task<IReadOnlyList<TreeMove>> CasesToMove(TreeChange change, JurisdictionTree tree)
    {
        if (change.Successions.Count == 0)
            return [];
        var successors = JurisdictionSuccessors.Of(change.Successions);
        return (await incidents.OpenOutside(tree))
            .Select(open => (open, to: successors.GridFor(open.GridCode, open.Latitude, open.Longitude, tree)))
            .Where(p => p.to is not null)
            .Select(p => new TreeMove(p.open.Id.ToString(), p.open.GridCode, p.to!))
            .ToList();
    }

    /// <summary>The import's audit row, and one row for each thing it moved to a successor.</summary>
    private async Task Audit(Actor actor, CountyImportOutcome outcome, SuccessionSummary moved)
    {
        var detail = $"{outcome.Areas} areas: " + string.Join(", ", outcome.ByLevel.Select(l => $"{l.Key} {l.Value}"))
            + (outcome.Repairs.Count > 0 ? $"; {outcome.Repairs.Count} repairs" : "") + $"; {Json.Word(outcome.Crs)}";
        if (moved.Successions.Count > 0)
        {
            detail += "; successors " + string.Join(", ", moved.Successions.Select(p => $"{p.Code}={p.Successor}"))
                + $"; moved {moved.People.Count} people, {moved.Cameras.Count} cameras, {moved.Accounts.Count} accounts, "
                + $"{moved.Integrations.Count} integrations, {moved.Checkpoints} checkpoints, {moved.Cases.Count} open cases" + (moved.CasesLeft > 0 ? $" ({moved.CasesLeft} left)" : "");
        }
        await audit.Append(actor.Caller, AuditActions.ImportJurisdictions, null, detail: detail, clientAddress: actor.ClientAddress);
        var rows = new[] { ("person", moved.People), ("camera", moved.Cameras), ("account", moved.Accounts), ("integration", moved.Integrations), ("incident", moved.Cases) }
            .SelectMany(kind => kind.Item2.Select(m => audit.Append(actor.Caller, AuditActions.MoveToSuccessor, m.Id,
                detail: $"{kind.Item1} {m.From} → {m.To}", clientAddress: actor.ClientAddress)));
        await Task.WhenAll(rows);
    }
}
