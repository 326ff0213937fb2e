using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Triangulate;

using CommandCenter.Geography;

namespace CommandCenter.Demo;

/// <summary>
/// Generates the demo county (白银区) as an exact polygon coverage.
/// </summary>
/// <remarks>
/// Everything is laid out in a local kilometre plane (Voronoi cells of deterministic, Lloyd-relaxed seeds,
/// clipped to their parent), then moved to WGS84 and snap-rounded in one pass: all grid boundaries are noded
/// together on a 1e-6° grid and polygonized into faces. Each face belongs to one grid, and every area at every
/// level is the union of its grids' faces, so children tile their parent exactly at every level.
/// Only IEEE basic arithmetic, System.Random(seed) and NTS (which uses the same) feed the output,
/// so the bytes are the same on every machine.
/// </remarks>
internal static class DemoCountyGenerator
{
    public const string CountyCode = "620402";
    public const string CountyName = "白银区";

    private const int Seed = 620402;
    private const double CenterLongitude = 104.17;
    private const double CenterLatitude = 36.55;

    // Degrees per kilometre at latitude 36.55° (111.32 km per degree of latitude-ish; × cos 36.55° for longitude).
    private const double DegreesPerKmLongitude = 1 / 89.434;
    private const double DegreesPerKmLatitude = 1 / 110.96;
    private const int LloydIterations = 12;

    private static readonly GeometryFactory Plane = new(new PrecisionModel(), 0);
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    private static readonly PrecisionModel Micro = new(1e6);

    public static List<Jurisdiction> Generate()
    {
        var rng = new Random(Seed);
        var county = new Area(CountyCode, CountyName, JurisdictionLevel.County, null, CountyOutline(rng));

        // Townships: five small urban streets in a core near the centre, five rural sectors around it.
        var coreCentre = new Coordinate(0.8, 1.6);
        var core = Blob(rng, coreCentre, 3.4, 2.7, 48, 0.07);
        var streets = Partition(core, 5, rng)
            .OrderBy(c => Angle(coreCentre, c.Seed)).ToList();
        var sectors = RuralSectors(rng, county.Geometry, core, coreCentre);

        var urban = DemoNames.Townships.Where(t => t.Urban).ToArray();
        var rural = DemoNames.Townships.Where(t => !t.Urban).ToArray();
        for (var i = 0; i < streets.Count; i++)
        {
            county.Children.Add(new Area(CountyCode + urban[i].Suffix, urban[i].Name, JurisdictionLevel.Township, county, streets[i].Shape) { Urban = true });
        }

        // Rural names counter-clockwise from the east: 水川 (E, along the Yellow River), 武川 (N), 王岘 (NW/W), 强湾 (SW), 四龙 (S/SE).
        string[] ruralOrder = ["水川镇", "武川乡", "王岘镇", "强湾乡", "四龙镇"];
        for (var i = 0; i < sectors.Count; i++)
        {
            var t = rural.Single(r => r.Name == ruralOrder[i]);
            county.Children.Add(new Area(CountyCode + t.Suffix, t.Name, JurisdictionLevel.Township, county, sectors[i]));
        }

        county.Children.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));

        // Villages / communities: 38 communities in the streets, 84 villages in the towns (122).
        AddVillages(rng, county.Children.Where(t => t.Urban).ToList(), [8, 8, 8, 7, 7]);
        AddVillages(rng, county.Children.Where(t => !t.Urban).ToList(), [18, 18, 17, 16, 15]);
        NameVillages(rng, county);

        // Grids: 190 in the communities, 296 in the villages (486), proportional to area.
        var communities = county.Children.Where(t => t.Urban).SelectMany(t => t.Children).ToList();
        var villages = county.Children.Where(t => !t.Urban).SelectMany(t => t.Children).ToList();
        AddGrids(rng, communities, 190, minimum: 3);
        AddGrids(rng, villages, 296, minimum: 2);

        return Snap(county);
    }

    // ---- layout --------------------------------------------------------------------------------------

    private static Polygon CountyOutline(Random rng)
    {
        // An irregular ~40 km × 35 km outline: an ellipse modulated by a few random harmonics.
        return Blob(rng, new Coordinate(0, 0), 20.5, 17.5, 150, 0.11);
    }

    /// <summary>A star-shaped blob: ellipse with semi-axes a, b, radius modulated by random harmonics and jitter.</summary>
    private static Polygon Blob(Random rng, Coordinate centre, double a, double b, int vertices, double amplitude)
    {
        var harmonics = new (int K, double Amp, double Phase)[]
        {
            (2, amplitude, rng.NextDouble() * 2 * Math.PI),
            (3, amplitude * 0.7, rng.NextDouble() * 2 * Math.PI),
            (5, amplitude * 0.4, rng.NextDouble() * 2 * Math.PI),
            (8, amplitude * 0.2, rng.NextDouble() * 2 * Math.PI),
            (13, amplitude * 0.1, rng.NextDouble() * 2 * Math.PI),
        };
        var ring = new Coordinate[vertices + 1];
        for (var i = 0; i < vertices; i++)
        {
            var t = 2 * Math.PI * i / vertices;
            var m = 1.0;
            foreach (var (k, amp, phase) in harmonics)
            {
                m += amp * DetMath.Sin(k * t + phase);
            }

            m += (rng.NextDouble() - 0.5) * amplitude * 0.15;
            ring[i] = new Coordinate(centre.X + a * m * DetMath.Cos(t), centre.Y + b * m * DetMath.Sin(t));
        }

        ring[vertices] = ring[0].Copy();
        return Plane.CreatePolygon(ring);
    }

    /// <summary>Five rural townships: wedges around the core with wiggly borders, minus the core.</summary>
    private static List<Geometry> RuralSectors(Random rng, Geometry county, Geometry core, Coordinate centre)
    {
        const int count = 5;
        const double reach = 40;   // km, well outside the county
        var start = rng.NextDouble() * 2 * Math.PI;
        var rays = new List<Coordinate[]>();
        var endAngles = new double[count];
        for (var k = 0; k < count; k++)
        {
            var angle = start + k * 2 * Math.PI / count + (rng.NextDouble() - 0.5) * 0.3;
            var ray = new List<Coordinate> { centre.Copy() };
            var drift = 0.0;
            for (var r = 2.0; r <= reach; r += 1.5)
            {
                drift = Math.Clamp(drift + (rng.NextDouble() - 0.5) * 0.1, -0.18, 0.18);
                ray.Add(new Coordinate(centre.X + r * DetMath.Cos(angle + drift), centre.Y + r * DetMath.Sin(angle + drift)));
            }

            endAngles[k] = angle + drift;
            rays.Add(ray.ToArray());
        }

        var sectors = new List<(double Mid, Geometry Shape)>();
        for (var k = 0; k < count; k++)
        {
            var next = (k + 1) % count;
            var from = endAngles[k];
            var to = endAngles[next] + (next == 0 ? 2 * Math.PI : 0);
            var ring = new List<Coordinate>(rays[k]);
            var steps = Math.Max(2, (int)((to - from) / 0.05));
            for (var s = 1; s < steps; s++)
            {
                var t = from + (to - from) * s / steps;
                ring.Add(new Coordinate(centre.X + reach * DetMath.Cos(t), centre.Y + reach * DetMath.Sin(t)));
            }

            ring.AddRange(Enumerable.Reverse(rays[next]));   // ends at the centre, closing the ring
            var wedge = Plane.CreatePolygon(ring.ToArray());
            var sector = OverlayNGRobust.Overlay(OverlayNGRobust.Overlay(county, wedge, SpatialFunction.Intersection), core, SpatialFunction.Difference);
            var mid = NormalizeAngle((from + to) / 2);
            sectors.Add((mid, Polygonal(sector)));
        }

        // Counter-clockwise, starting with the sector nearest to due east.
        var first = sectors.Select((s, i) => (Distance: Math.Min(s.Mid, 2 * Math.PI - s.Mid), i)).MinBy(x => x.Distance).i;
        var ordered = Enumerable.Range(0, count).Select(i => sectors[(first + i) % count]).ToList();
        return MergeStrayParts(ordered.Select(s => new Cell(new Coordinate(), s.Shape)).ToList()).Select(c => c.Shape).ToList();
    }

    private static void AddVillages(Random rng, List<Area> townships, int[] countsByAreaRank)
    {
        var byArea = townships.OrderByDescending(t => t.Geometry.Area).ThenBy(t => t.Code, StringComparer.Ordinal).ToList();
        for (var i = 0; i < byArea.Count; i++)
        {
            var township = byArea[i];
            var cells = Partition(township.Geometry, countsByAreaRank[i], rng);
            var first = township.Urban ? 1 : 201;      // 居委会 001-199, 村委会 200-399
            var n = 0;
            foreach (var cell in cells.OrderByDescending(c => Math.Round(c.Seed.Y, 1)).ThenBy(c => c.Seed.X))
            {
                var code = township.Code + (first + n++).ToString("000");
                township.Children.Add(new Area(code, "", JurisdictionLevel.Village, township, cell.Shape) { Urban = township.Urban });
            }
        }
    }

    private static void NameVillages(Random rng, Area county)
    {
        var communityNames = DemoNames.Communities.ToList();
        Shuffle(rng, communityNames);
        var usedVillageNames = new HashSet<string>(StringComparer.Ordinal);
        var next = 0;
        foreach (var township in county.Children)
        {
            if (township.Urban)
            {
                foreach (var community in township.Children)
                {
                    community.Name = communityNames[next++] + "社区";
                }

                continue;
            }

            // The village holding the township's interior point is the seat and carries the township's name.
            var seatPoint = InteriorPoint.GetInteriorCoord(township.Geometry);
            var seat = township.Children.FirstOrDefault(v => v.Geometry.Covers(Plane.CreatePoint(seatPoint))) ?? township.Children[0];
            seat.Name = DemoNames.SeatVillages[township.Name];
            usedVillageNames.Add(seat.Name);
        }

        var named = DemoNames.NamedVillages.ToList();
        Shuffle(rng, named);
        var namedNext = 0;
        foreach (var village in county.Children.Where(t => !t.Urban).SelectMany(t => t.Children).Where(v => v.Name.Length == 0))
        {
            string name;
            do
            {
                name = rng.Next(3) == 0 && namedNext < named.Count
                    ? named[namedNext++] + "村"
                    : DemoNames.VillageSurnames[rng.Next(DemoNames.VillageSurnames.Length)] + "家"
                      + DemoNames.VillageTerrains[rng.Next(DemoNames.VillageTerrains.Length)] + "村";
            }
            while (!usedVillageNames.Add(name));

            village.Name = name;
        }
    }

    private static void AddGrids(Random rng, List<Area> villages, int total, int minimum)
    {
        var counts = Allocate(total, villages.Select(v => v.Geometry.Area).ToArray(), minimum);
        for (var i = 0; i < villages.Count; i++)
        {
            var village = villages[i];
            var cells = Partition(village.Geometry, counts[i], rng);
            var n = 0;
            foreach (var cell in cells.OrderByDescending(c => Math.Round(c.Seed.Y, 2)).ThenBy(c => c.Seed.X))
            {
                n++;
                village.Children.Add(new Area(village.Code + n.ToString("000"), $"{village.Name}第{n}网格", JurisdictionLevel.Grid, village, cell.Shape)
                {
                    Urban = village.Urban,
                });
            }
        }
    }

    /// <summary>Splits <paramref name="total"/> into parts proportional to the weights, each at least <paramref name="minimum"/> (largest remainder).</summary>
    internal static int[] Allocate(int total, double[] weights, int minimum)
    {
        var counts = new int[weights.Length];
        Array.Fill(counts, minimum);
        var rest = total - minimum * weights.Length;
        if (rest < 0)
        {
            throw new ArgumentException("total is below the minimum", nameof(total));
        }

        var sum = weights.Sum();
        var remainders = new double[weights.Length];
        var given = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var quota = rest * weights[i] / sum;
            var whole = (int)Math.Floor(quota);
            counts[i] += whole;
            given += whole;
            remainders[i] = quota - whole;
        }

        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(rest - given))
        {
            counts[i]++;
        }

        return counts;
    }

    // ---- Voronoi partition -----------------------------------------------------------------------------

    internal sealed record Cell(Coordinate Seed, Geometry Shape);

    /// <summary>Splits a polygon into n cells: Voronoi cells of Lloyd-relaxed random seeds, clipped to the polygon.</summary>
    internal static List<Cell> Partition(Geometry parent, int n, Random rng)
    {
        if (n == 1)
        {
            return [new Cell(InteriorPoint.GetInteriorCoord(parent), parent)];
        }

        // Lloyd relaxation on a point sample of the parent (k-means): evenly sized, compact cells without
        // clipping a Voronoi diagram on every iteration.
        var locator = new IndexedPointInAreaLocator(parent);
        var seeds = SampleSeeds(parent, locator, n, rng);
        var samples = SamplePoints(parent, locator, Math.Max(400, 80 * n), rng);
        var owner = new int[samples.Count];
        for (var iteration = 0; iteration < LloydIterations; iteration++)
        {
            var sumX = new double[n];
            var sumY = new double[n];
            var count = new int[n];
            for (var p = 0; p < samples.Count; p++)
            {
                var best = 0;
                var bestDistance = double.MaxValue;
                for (var s = 0; s < n; s++)
                {
                    var dx = samples[p].X - seeds[s].X;
                    var dy = samples[p].Y - seeds[s].Y;
                    var d = dx * dx + dy * dy;
                    if (d < bestDistance)
                    {
                        bestDistance = d;
                        best = s;
                    }
                }

                owner[p] = best;
                sumX[best] += samples[p].X;
                sumY[best] += samples[p].Y;
                count[best]++;
            }

            for (var s = 0; s < n; s++)
            {
                if (count[s] == 0)
                {
                    continue;
                }

                var mean = new Coordinate(sumX[s] / count[s], sumY[s] / count[s]);
                if (locator.Locate(mean) != Location.Interior)
                {
                    // The mean of a bent cluster can fall outside a non-convex parent: use its nearest member.
                    var s1 = s;
                    mean = Enumerable.Range(0, samples.Count).Where(p => owner[p] == s1).Select(p => samples[p]).MinBy(c => c.Distance(mean))!;
                }

                if (seeds.Where((_, other) => other != s).All(o => !o.Equals2D(mean)))
                {
                    seeds[s] = mean;
                }
            }
        }

        var cells = VoronoiCells(seeds, parent);
        return MergeStrayParts(cells);
    }

    private static List<Coordinate> SampleSeeds(Geometry parent, IndexedPointInAreaLocator locator, int n, Random rng)
    {
        var envelope = parent.EnvelopeInternal;
        var spacing = 0.75 * Math.Sqrt(parent.Area / n);
        var seeds = new List<Coordinate>(n);
        var misses = 0;
        while (seeds.Count < n)
        {
            var candidate = new Coordinate(
                envelope.MinX + rng.NextDouble() * envelope.Width,
                envelope.MinY + rng.NextDouble() * envelope.Height);
            if (locator.Locate(candidate) != Location.Interior)
            {
                continue;
            }

            if (seeds.Any(s => s.Distance(candidate) < spacing))
            {
                if (++misses > 40)
                {
                    spacing *= 0.85;
                    misses = 0;
                }

                continue;
            }

            seeds.Add(candidate);
        }

        return seeds;
    }

    private static List<Coordinate> SamplePoints(Geometry parent, IndexedPointInAreaLocator locator, int count, Random rng)
    {
        var envelope = parent.EnvelopeInternal;
        var points = new List<Coordinate>(count);
        while (points.Count < count)
        {
            var candidate = new Coordinate(
                envelope.MinX + rng.NextDouble() * envelope.Width,
                envelope.MinY + rng.NextDouble() * envelope.Height);
            if (locator.Locate(candidate) == Location.Interior)
            {
                points.Add(candidate);
            }
        }

        return points;
    }

    private static List<Cell> VoronoiCells(List<Coordinate> seeds, Geometry parent)
    {
        var envelope = new Envelope(parent.EnvelopeInternal);
        envelope.ExpandBy(Math.Max(envelope.Width, envelope.Height));
        var raw = new Geometry[seeds.Count];
        if (seeds.Count == 2)
        {
            // Two sites: split along the perpendicular bisector.
            var (a, b) = (seeds[0], seeds[1]);
            var mid = new Coordinate((a.X + b.X) / 2, (a.Y + b.Y) / 2);
            var (dx, dy) = (b.X - a.X, b.Y - a.Y);
            var length = Math.Sqrt(dx * dx + dy * dy);
            var big = 4 * Math.Max(envelope.Width, envelope.Height);
            var (ux, uy) = (-dy / length * big, dx / length * big);   // along the bisector
            var (vx, vy) = (dx / length * big, dy / length * big);    // towards b
            var p1 = new Coordinate(mid.X + ux, mid.Y + uy);
            var p2 = new Coordinate(mid.X - ux, mid.Y - uy);
            raw[0] = Plane.CreatePolygon([p1, p2, new Coordinate(p2.X - vx, p2.Y - vy), new Coordinate(p1.X - vx, p1.Y - vy), p1.Copy()]);
            raw[1] = Plane.CreatePolygon([p1, new Coordinate(p1.X + vx, p1.Y + vy), new Coordinate(p2.X + vx, p2.Y + vy), p2, p1.Copy()]);
        }
        else
        {
            // The subdivision's raw cells (hull cells reach out to the triangulation frame) are clipped to the
            // parent directly: one overlay per cell instead of an envelope clip and then the parent clip.
            var builder = new VoronoiDiagramBuilder();
            builder.SetSites(seeds);
            var diagram = builder.GetSubdivision().GetVoronoiCellPolygons(Plane);
            var bySite = new Dictionary<(double, double), int>();
            for (var i = 0; i < seeds.Count; i++)
            {
                bySite[(seeds[i].X, seeds[i].Y)] = i;
            }

            foreach (var cell in diagram)
            {
                var site = (Coordinate)cell.UserData;
                raw[bySite[(site.X, site.Y)]] = cell;
            }
        }

        return seeds.Select((s, i) => new Cell(s, Polygonal(OverlayNGRobust.Overlay(raw[i], parent, SpatialFunction.Intersection)))).ToList();
    }

    /// <summary>A cell clipped by a non-convex parent may fall apart; give the stray parts to the neighbour sharing most boundary.</summary>
    private static List<Cell> MergeStrayParts(List<Cell> cells)
    {
        var result = cells.ToList();
        for (var i = 0; i < result.Count; i++)
        {
            if (result[i].Shape is not MultiPolygon multi)
            {
                continue;
            }

            var parts = Enumerable.Range(0, multi.NumGeometries).Select(k => multi.GetGeometryN(k)).OrderByDescending(p => p.Area).ToList();
            result[i] = result[i] with { Shape = parts[0] };
            foreach (var part in parts.Skip(1))
            {
                // The neighbour sharing the longest stretch of boundary (no buffers: they use trigonometry).
                var boundary = part.Boundary;
                var best = Enumerable.Range(0, result.Count).Where(j => j != i)
                    .Select(j => (j, Shared: OverlayNGRobust.Overlay(boundary, result[j].Shape.Boundary, SpatialFunction.Intersection).Length,
                        Gap: part.Distance(result[j].Shape)))
                    .OrderByDescending(x => x.Shared).ThenBy(x => x.Gap).ThenBy(x => x.j)
                    .First().j;
                result[best] = result[best] with { Shape = Polygonal(OverlayNGRobust.Overlay(result[best].Shape, part, SpatialFunction.Union)) };
            }
        }

        return result;
    }

    // ---- exact coverage on the 1e-6° grid ----------------------------------------------------------------

    private static List<Jurisdiction> Snap(Area county)
    {
        var toDegrees = new AffineTransformation(DegreesPerKmLongitude, 0, CenterLongitude, 0, DegreesPerKmLatitude, CenterLatitude);
        var grids = county.Descendants().Where(a => a.Level == JurisdictionLevel.Grid).ToList();
        var gridGeometries = grids.Select(g => toDegrees.Transform(g.Geometry)).ToList();

        // Node every grid boundary together, snap-rounded to 1e-6°, and polygonize into faces.
        var lines = new List<LineString>();
        foreach (var geometry in gridGeometries)
        {
            foreach (var polygon in PolygonExtracter.GetPolygons(geometry).Cast<Polygon>())
            {
                lines.Add(Wgs84.CreateLineString(polygon.ExteriorRing.Coordinates));
                lines.AddRange(polygon.InteriorRings.Select(r => Wgs84.CreateLineString(r.Coordinates)));
            }
        }

        var noded = UnaryUnionNG.Union((Geometry)Wgs84.CreateMultiLineString(lines.ToArray()), Micro);
        var polygonizer = new Polygonizer(false);
        polygonizer.Add(noded);
        var faces = polygonizer.GetPolygons().Cast<Polygon>().ToList();

        // Each face goes to the (unsnapped) grid containing its interior point.
        var index = new STRtree<int>();
        var locators = gridGeometries.Select(g => new IndexedPointInAreaLocator(g)).ToArray();
        for (var i = 0; i < gridGeometries.Count; i++)
        {
            index.Insert(gridGeometries[i].EnvelopeInternal, i);
        }

        index.Build();
        var facesOf = grids.ToDictionary(g => g, _ => new List<Polygon>());
        foreach (var face in faces)
        {
            var p = InteriorPoint.GetInteriorCoord(face);
            var owner = index.Query(new Envelope(p)).Where(i => locators[i].Locate(p) != Location.Exterior).DefaultIfEmpty(-1).Min();
            if (owner < 0)
            {
                owner = Enumerable.Range(0, gridGeometries.Count).MinBy(i => gridGeometries[i].Distance(face));
            }

            facesOf[grids[owner]].Add(face);
        }

        var result = new List<Jurisdiction>();
        foreach (var area in county.Descendants())
        {
            var mine = area.Level == JurisdictionLevel.Grid
                ? facesOf[area]
                : area.Descendants().Where(a => a.Level == JurisdictionLevel.Grid).SelectMany(g => facesOf[g]).ToList();
            if (mine.Count == 0)
            {
                throw new InvalidOperationException($"demo area {area.Code} lost all its area when snapped");
            }

            var union = mine.Count == 1 ? mine[0] : CoverageUnion.Union(Wgs84.CreateMultiPolygon(mine.ToArray()));
            var geometry = Polygonal(union);
            geometry.Normalize();
            geometry.SRID = 4326;
            result.Add(new Jurisdiction(area.Code, area.Name, area.Level, area.Parent?.Code, geometry));
        }

        return result;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static Geometry Polygonal(Geometry geometry)
    {
        var polygons = PolygonExtracter.GetPolygons(geometry).Cast<Polygon>().Where(p => !p.IsEmpty).ToArray();
        return polygons.Length == 1 ? polygons[0] : geometry.Factory.CreateMultiPolygon(polygons);
    }

    /// <summary>A monotone stand-in for the angle of p around centre, in [0, 4) ("diamond angle"; no atan2).</summary>
    private static double Angle(Coordinate centre, Coordinate p)
    {
        var (dx, dy) = (p.X - centre.X, p.Y - centre.Y);
        var t = Math.Abs(dx) + Math.Abs(dy);
        if (t == 0)
        {
            return 0;
        }

        return dy >= 0
            ? (dx >= 0 ? dy / t : 1 - dx / t)
            : (dx < 0 ? 2 - dy / t : 3 + dx / t);
    }

    private static double NormalizeAngle(double a)
    {
        while (a < 0)
        {
            a += 2 * Math.PI;
        }

        while (a >= 2 * Math.PI)
        {
            a -= 2 * Math.PI;
        }

        return a;
    }

    private static void Shuffle<T>(Random rng, List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private sealed class Area(string code, string name, JurisdictionLevel level, Area? parent, Geometry geometry)
    {
        public string Code { get; } = code;

        public string Name { get; set; } = name;

        public JurisdictionLevel Level { get; } = level;

        public Area? Parent { get; } = parent;

        public Geometry Geometry { get; } = geometry;

        public bool Urban { get; init; }

        public List<Area> Children { get; } = [];

        /// <summary>This area and everything below it, breadth-first, children by code.</summary>
        public IEnumerable<Area> Descendants()
        {
            var queue = new Queue<Area>();
            queue.Enqueue(this);
            while (queue.Count > 0)
            {
                var area = queue.Dequeue();
                yield return area;
                foreach (var child in area.Children.OrderBy(c => c.Code, StringComparer.Ordinal))
                {
                    queue.Enqueue(child);
                }
            }
        }
    }
}

/// <summary>Sine and cosine from basic arithmetic only, so results do not depend on the platform's libm.</summary>
internal static class DetMath
{
    public static double Sin(double x)
    {
        const double twoPi = 2 * Math.PI;
        x -= twoPi * Math.Round(x / twoPi);
        var term = x;
        var sum = x;
        var x2 = x * x;
        for (var k = 1; k <= 15; k++)
        {
            term *= -x2 / ((2 * k) * (2 * k + 1));
            sum += term;
        }

        return sum;
    }

    public static double Cos(double x) => Sin(x + Math.PI / 2);
}
