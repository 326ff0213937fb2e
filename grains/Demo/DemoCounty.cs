using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

using CommandCenter.Geography;
using CommandCenter.Patrols;

namespace CommandCenter.Demo;

/// <summary>A demo field worker bound to one grid, with a starting position inside it.</summary>
public sealed record DemoWorker(string Id, string Name, WorkerRole Role, string GridCode, double Latitude, double Longitude);

/// <summary>A demo public camera (雪亮工程) inside one grid.</summary>
public sealed record DemoCamera(string Id, string Name, string GridCode, double Latitude, double Longitude);

/// <summary>
/// The demo county, Baiyin District (白银区), Baiyin City, Gansu: 10 townships/streets, 122 villages/communities,
/// 486 basic grids, 548 grid chiefs, 662 grid workers, 40 patrol officers and 1,473 public cameras.
/// The shapes are synthetic (not the real boundaries); the names of the county and townships are real.
/// </summary>
public static class DemoCounty
{
    public const int GridChiefCount = 548;
    public const int GridWorkerCount = 662;
    public const int PatrolOfficerCount = 40;
    public const int CameraCount = 1473;
    public const int CheckpointsPerGrid = 3;

    private static readonly string[] CheckpointNames =
        ["党群服务中心", "文化广场", "卫生室", "学校门口", "农贸市场", "便民超市", "健身广场", "小区北门", "停车场", "公交站", "老年活动中心", "快递驿站"];

    private static readonly Lazy<byte[]> Cached = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The demo county as GeoJSON bytes (deterministic: same bytes every call, on every machine).
    /// Import it through <see cref="JurisdictionGeoJson.Parse"/> like a real county's file. Returns a fresh copy.
    /// </summary>
    public static byte[] GeoJson() => (byte[])Cached.Value.Clone();

    /// <summary>The demo county in a tree: the root, or under the demo city (<see cref="DemoCity"/>) its county 白银区.</summary>
    public static Jurisdiction CountyIn(JurisdictionTree tree) =>
        tree.Root.Level == JurisdictionLevel.City && tree.Find(DemoCountyGenerator.CountyCode) is { } county ? county : tree.Root;

    /// <summary>
    /// Generates the GeoJSON from scratch (no cache); <see cref="GeoJson"/> returns a copy of the first result. Each
    /// grid's feature carries its patrol checkpoints (<see cref="PatrolCheckpoints.Property"/>), as a county's file may.
    /// </summary>
    internal static byte[] Generate()
    {
        var tree = JurisdictionTree.Build(DemoCountyGenerator.Generate());
        var document = JsonNode.Parse(JurisdictionGeoJson.Write(tree))!;
        var byGrid = Checkpoints(tree).ToLookup(c => c.GridCode);
        foreach (var feature in document["features"]!.AsArray())
        {
            var properties = feature!["properties"]!;
            var points = byGrid[properties["code"]!.GetValue<string>()].ToList();
            if (points.Count > 0)
                properties[PatrolCheckpoints.Property] = PatrolCheckpoints.ToProperty(points);
        }
        return Encoding.UTF8.GetBytes(document.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) }));
    }

    /// <summary>
    /// Three patrol checkpoints (巡查点) per grid, far apart inside it (the farthest of a few random points from each
    /// other), named after places a patrol passes. Deterministic for a given tree.
    /// </summary>
    public static IReadOnlyList<Checkpoint> Checkpoints(JurisdictionTree tree)
    {
        var grids = GridsOf(tree);
        var rng = new Random(3030);
        var places = new Placer(grids);
        var checkpoints = new List<Checkpoint>(grids.Count * CheckpointsPerGrid);
        for (var g = 0; g < grids.Count; g++)
        {
            var candidates = Enumerable.Range(0, 12).Select(_ => places.RandomPoint(rng, g)).ToList();
            var chosen = new List<(double Latitude, double Longitude)> { candidates[0] };
            while (chosen.Count < CheckpointsPerGrid)
            {
                chosen.Add(candidates.MaxBy(c => chosen.Min(o => Math.Pow(c.Latitude - o.Latitude, 2) + Math.Pow(c.Longitude - o.Longitude, 2))));
            }
            var first = rng.Next(CheckpointNames.Length);
            checkpoints.AddRange(chosen.Select((p, i) =>
                new Checkpoint(grids[g].Area.Code, i + 1, CheckpointNames[(first + i) % CheckpointNames.Length], p.Latitude, p.Longitude)));
        }
        return checkpoints.AsReadOnly();
    }

    /// <summary>
    /// 548 grid chiefs (one per grid, the rest in the busiest urban grids), 662 grid workers (likewise) and
    /// 40 patrol officers bound to grids, mostly urban. Deterministic for a given tree; ids "w-0001"...; each
    /// position lies strictly inside the worker's grid.
    /// </summary>
    public static IReadOnlyList<DemoWorker> Workers(JurisdictionTree tree)
    {
        var grids = GridsOf(tree);
        var rng = new Random(1210);
        var places = new Placer(grids);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var weights = grids.Select(g => g.Urban ? 4.0 : 1.0).ToArray();

        var assignments = new List<(WorkerRole Role, int Grid)>();
        void Add(WorkerRole role, int count, bool onePerGrid)
        {
            var chosen = new List<int>();
            if (onePerGrid)
            {
                chosen.AddRange(Enumerable.Range(0, Math.Min(count, grids.Count)));
            }

            chosen.AddRange(SampleDistinct(rng, weights, count - chosen.Count));
            chosen.Sort();
            assignments.AddRange(chosen.Select(g => (role, g)));
        }

        Add(WorkerRole.GridChief, GridChiefCount, onePerGrid: true);
        Add(WorkerRole.GridWorker, GridWorkerCount, onePerGrid: true);
        Add(WorkerRole.PatrolOfficer, PatrolOfficerCount, onePerGrid: false);

        var workers = new List<DemoWorker>(assignments.Count);
        foreach (var (role, g) in assignments)
        {
            var (lat, lon) = places.RandomPoint(rng, g);
            workers.Add(new DemoWorker($"w-{workers.Count + 1:0000}", PersonName(rng, names), role, grids[g].Area.Code, lat, lon));
        }

        return workers.AsReadOnly();
    }

    /// <summary>
    /// 1,473 public cameras: at least one per grid, the rest weighted four to one towards the urban streets.
    /// Deterministic for a given tree; ids "cam-0001"...; unique names such as "人民路与北京路交叉口".
    /// </summary>
    public static IReadOnlyList<DemoCamera> Cameras(JurisdictionTree tree)
    {
        var grids = GridsOf(tree);
        var rng = new Random(1473);
        var places = new Placer(grids);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var weights = grids.Select(g => g.Urban ? 4.0 : 1.0).ToArray();
        var total = weights.Sum();

        var perGrid = Enumerable.Repeat(1, grids.Count).ToArray();
        for (var k = grids.Count; k < CameraCount; k++)
        {
            var r = rng.NextDouble() * total;
            var g = 0;
            while (g < grids.Count - 1 && (r -= weights[g]) >= 0)
            {
                g++;
            }

            perGrid[g]++;
        }

        var cameras = new List<DemoCamera>(CameraCount);
        for (var g = 0; g < grids.Count && cameras.Count < CameraCount; g++)
        {
            for (var k = 0; k < perGrid[g] && cameras.Count < CameraCount; k++)
            {
                var (lat, lon) = places.RandomPoint(rng, g);
                cameras.Add(new DemoCamera($"cam-{cameras.Count + 1:0000}", CameraName(rng, grids[g], names), grids[g].Area.Code, lat, lon));
            }
        }

        return cameras.AsReadOnly();
    }

    private sealed record GridInfo(Jurisdiction Area, string VillageName, bool Urban);

    private static List<GridInfo> GridsOf(JurisdictionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var grids = tree.All
            .Where(a => a.Level == JurisdictionLevel.Grid)
            .OrderBy(a => a.Code, StringComparer.Ordinal)
            .Select(a =>
            {
                var path = tree.PathToRoot(a.Code);
                var village = a.ParentCode is null ? null : tree.Find(a.ParentCode);
                var township = path.Count >= 2 ? tree.Find(path[^2]) : null;
                return new GridInfo(a, village?.Name ?? a.Name, township?.Name.EndsWith("街道", StringComparison.Ordinal) == true);
            })
            .ToList();
        if (grids.Count == 0)
        {
            throw new ArgumentException("the tree has no grid-level areas", nameof(tree));
        }

        return grids;
    }

    /// <summary>
    /// <paramref name="count"/> more grid workers than the county's own, for a county or city of more people (a bench
    /// at #15's 20,000): ids "w-x00001"..., names not among the county's, grids drawn with the urban ones four times as
    /// likely, each position strictly inside its grid. Deterministic for a given tree and count; the county's own
    /// people (<see cref="Workers"/>) are not changed by it.
    /// </summary>
    public static IReadOnlyList<DemoWorker> MoreGridWorkers(JurisdictionTree tree, int count)
    {
        if (count <= 0)
            return [];
        var grids = GridsOf(tree);
        var rng = new Random(2015);
        var places = new Placer(grids);
        var names = Workers(tree).Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var cumulative = new double[grids.Count];
        for (var i = 0; i < grids.Count; i++)
            cumulative[i] = (i > 0 ? cumulative[i - 1] : 0) + (grids[i].Urban ? 4.0 : 1.0);
        var workers = new List<DemoWorker>(count);
        for (var k = 0; k < count; k++)
        {
            var g = Array.BinarySearch(cumulative, rng.NextDouble() * cumulative[^1]);
            g = g >= 0 ? g : Math.Min(~g, grids.Count - 1);
            var (lat, lon) = places.RandomPoint(rng, g);
            workers.Add(new DemoWorker($"w-x{k + 1:00000}", PersonName(rng, names), WorkerRole.GridWorker, grids[g].Area.Code, lat, lon));
        }
        return workers.AsReadOnly();
    }

    /// <summary>Weighted sampling without replacement (sequential draws).</summary>
    private static List<int> SampleDistinct(Random rng, double[] weights, int count)
    {
        var remaining = weights.ToArray();
        var chosen = new List<int>(count);
        for (var k = 0; k < count; k++)
        {
            var total = remaining.Sum();
            if (total <= 0)
            {
                Array.Copy(weights, remaining, weights.Length);   // more picks than grids: start a new round
                total = remaining.Sum();
            }

            var r = rng.NextDouble() * total;
            var i = -1;
            for (var j = 0; j < remaining.Length; j++)
            {
                if (remaining[j] <= 0)
                {
                    continue;
                }

                i = j;
                r -= remaining[j];
                if (r < 0)
                {
                    break;
                }
            }

            chosen.Add(i);
            remaining[i] = 0;
        }

        return chosen;
    }

    private static string PersonName(Random rng, HashSet<string> used)
    {
        while (true)
        {
            var surname = DemoNames.PersonSurnames[rng.Next(DemoNames.PersonSurnames.Length)];
            var given = DemoNames.GivenNameCharacters[rng.Next(DemoNames.GivenNameCharacters.Length)];
            if (rng.Next(10) < 7)
            {
                given += DemoNames.GivenNameCharacters[rng.Next(DemoNames.GivenNameCharacters.Length)];
            }

            var name = surname + given;
            if (used.Add(name))
            {
                return name;
            }
        }
    }

    private static string CameraName(Random rng, GridInfo grid, HashSet<string> used)
    {
        string T(string[] list) => list[rng.Next(list.Length)];
        string name;
        if (grid.Urban)
        {
            name = rng.Next(10) switch
            {
                < 5 => Intersection(rng),
                < 7 => $"{T(DemoNames.UrbanRoads)}{rng.Next(1, 300)}号",
                _ => grid.VillageName + T(DemoNames.UrbanSpots),
            };
        }
        else
        {
            var village = grid.VillageName.EndsWith('村') ? grid.VillageName[..^1] : grid.VillageName;
            name = rng.Next(10) switch
            {
                < 6 => grid.VillageName + T(DemoNames.RuralSpots),
                < 9 => $"{T(DemoNames.Highways)}{village}段",
                _ => $"{village}{T(["黄河桥头", "水库坝顶", "加油站", "砂石料场", "林场路口"])}",
            };
        }

        if (used.Add(name))
        {
            return name;
        }

        foreach (var side in DemoNames.Sides)
        {
            if (used.Add(name + side))
            {
                return name + side;
            }
        }

        for (var n = 2; ; n++)
        {
            var numbered = $"{name}{n}号点";
            if (used.Add(numbered))
            {
                return numbered;
            }
        }
    }

    private static string Intersection(Random rng)
    {
        var a = rng.Next(DemoNames.UrbanRoads.Length);
        var b = rng.Next(DemoNames.UrbanRoads.Length - 1);
        if (b >= a)
        {
            b++;
        }

        return $"{DemoNames.UrbanRoads[a]}与{DemoNames.UrbanRoads[b]}交叉口";
    }

    /// <summary>Random points strictly inside a grid, rounded to 6 decimals.</summary>
    private sealed class Placer(List<GridInfo> grids)
    {
        private readonly IndexedPointInAreaLocator?[] _locators = new IndexedPointInAreaLocator?[grids.Count];

        public (double Latitude, double Longitude) RandomPoint(Random rng, int grid)
        {
            var geometry = grids[grid].Area.Geometry;
            var locator = _locators[grid] ??= new IndexedPointInAreaLocator(geometry);
            var envelope = geometry.EnvelopeInternal;
            for (var attempt = 0; attempt < 10_000; attempt++)
            {
                var p = new Coordinate(
                    Math.Round(envelope.MinX + rng.NextDouble() * envelope.Width, 6),
                    Math.Round(envelope.MinY + rng.NextDouble() * envelope.Height, 6));
                if (locator.Locate(p) == Location.Interior)
                {
                    return (p.Y, p.X);
                }
            }

            var interior = InteriorPoint.GetInteriorCoord(geometry);
            return (interior.Y, interior.X);
        }
    }
}
