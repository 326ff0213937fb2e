using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CommandCenter.Bench;

/// <summary>What the bench needs to know about the running product: the county, and a point inside each grid.</summary>
public sealed record ProductTarget(string County, string CountyName, IReadOnlyList<GridPoint> Grids, long Head)
{
    public const string HubPath = "/hubs/wall";

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>A bearer token of an account (the bench reads as "duty" and creates its integration as "admin").</summary>
    public static async Task<string> Token(HttpClient http, Uri baseUrl, string username, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, "api/auth/token"), new { username, password }, cancellationToken);
        return (await Answer(response, $"signing in as {username}", cancellationToken)).GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// The API key of a fresh intake integration <paramref name="name"/> in the county: the reports go through the intake
    /// path; with <paramref name="positions"/> it may send positions too (a terminal gateway).
    /// </summary>
    public static async Task<string> IntakeKey(HttpClient http, Uri baseUrl, string adminToken, string county, string name,
        CancellationToken cancellationToken, bool positions = false) =>
        (await PostAsAdmin(http, new Uri(baseUrl, "api/integrations"), adminToken,
            new { name, jurisdiction = county, sources = new[] { "gridWorker" }, positions },
            $"creating the {name} integration", cancellationToken)).GetProperty("apiKey").GetString()!;

    /// <summary>
    /// Grid worker accounts of this run ("bench-RUN-1" …), each bound to one person of the county and to that person's
    /// grid, signed in: up to <paramref name="count"/> grids that have a grid worker, spread over the county (every
    /// n-th such grid in code order, so the cases lie in several villages and townships).
    /// </summary>
    public async Task<IReadOnlyList<LoopWorker>> GridWorkerAccounts(HttpClient http, Uri baseUrl, string adminToken, int count, string runId,
        CancellationToken cancellationToken)
    {
        var people = await GetJson(http, new Uri(baseUrl, $"api/workers?jurisdiction={Uri.EscapeDataString(County)}"), cancellationToken);
        var grids = Grids.Select(g => g.Code).ToHashSet(StringComparer.Ordinal);
        var onePerGrid = people.EnumerateArray()
            .Select(w => (Id: w.GetProperty("id").GetString()!, Name: w.GetProperty("name").GetString()!,
                Role: w.GetProperty("role").GetString(), Grid: w.GetProperty("gridCode").GetString()!))
            .Where(w => w.Role == "gridWorker" && grids.Contains(w.Grid))
            .GroupBy(w => w.Grid, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.MinBy(w => w.Id, StringComparer.Ordinal))
            .ToList();
        if (onePerGrid.Count == 0)
            throw new InvalidOperationException($"the county {County} has no grid worker to take the full loop's cases");
        var n = Math.Min(count, onePerGrid.Count);
        var accounts = new List<LoopWorker>(n);
        for (var k = 0; k < n; k++)
        {
            var person = onePerGrid[k * onePerGrid.Count / n];
            var username = $"bench-{runId}-{k + 1}";
            var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            await PostAsAdmin(http, new Uri(baseUrl, "api/accounts"), adminToken,
                new { username, displayName = person.Name, role = "gridWorker", jurisdictions = new[] { person.Grid }, workerId = person.Id, password },
                $"creating the account {username}", cancellationToken);
            accounts.Add(new LoopWorker(person.Id, person.Grid, username, await Token(http, baseUrl, username, password, cancellationToken)));
        }
        return accounts;
    }

    /// <summary>The body of a synthetic report at <paramref name="grid"/>'s point.</summary>
    public static byte[] ReportBody(GridPoint grid) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        source = "gridWorker",
        category = "safety",
        title = "压测上报：楼道堆放杂物",
        description = "bench: synthetic report from tests/bench",
        lat = grid.Latitude,
        lng = grid.Longitude,
        reporter = "压测",
    });

    public static async Task<ProductTarget> Discover(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        var list = await GetJson(http, new Uri(baseUrl, "api/jurisdictions"), cancellationToken);
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw new InvalidOperationException("GET /api/jurisdictions returned no jurisdiction; is the demo county imported?");
        var root = list[0];
        var county = root.GetProperty("code").GetString()!;
        var countyName = root.TryGetProperty("name", out var name) ? name.GetString() ?? county : county;

        var code = Uri.EscapeDataString(county);
        var collection = await GetJson(http, new Uri(baseUrl, $"api/jurisdictions/{code}/geojson?levels=grid"), cancellationToken);
        var grids = new List<GridPoint>();
        foreach (var feature in collection.GetProperty("features").EnumerateArray())
        {
            var properties = feature.GetProperty("properties");
            if (properties.TryGetProperty("level", out var level) && level.GetString() != "grid")
                continue;
            var geometry = feature.GetProperty("geometry").Deserialize<Geometry>(GeoJson)
                ?? throw new InvalidOperationException("a grid feature has no geometry");
            var inside = geometry.InteriorPoint; // the same point JurisdictionTree.CenterOf gives
            grids.Add(new GridPoint(properties.GetProperty("code").GetString()!, inside.Y, inside.X));
        }
        if (grids.Count == 0)
            throw new InvalidOperationException($"the county {county} has no grid");

        var page = await GetJson(http, new Uri(baseUrl, $"api/feeds/{code}?after=0&limit=1"), cancellationToken);
        var head = page.GetProperty("head").GetInt64();
        return new ProductTarget(county, countyName, grids, head);
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until no camera of the county is unknown any more, i.e. every camera with
    /// a stream has been probed, and returns the counts then.
    /// </summary>
    public async Task<CameraCounts> WaitCamerasProbed(HttpClient http, Uri baseUrl, TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var counts = await GetJson(http, new Uri(baseUrl, $"api/cameras/counts?jurisdiction={Uri.EscapeDataString(County)}"), cancellationToken);
            var unknown = counts.GetProperty("unknown").GetInt32();
            if (unknown == 0 || watch.Elapsed > limit)
                return new CameraCounts(counts.GetProperty("online").GetInt32(), counts.GetProperty("offline").GetInt32(), unknown,
                    Math.Round(watch.Elapsed.TotalSeconds, 1));
            await Task.Delay(2000, cancellationToken);
        }
    }

    /// <summary>How many of an incident's photos were attached by a camera (evidence: uploaded by "camera:ID").</summary>
    public static async Task<int> CameraFrames(HttpClient http, Uri baseUrl, Guid incident, CancellationToken cancellationToken)
    {
        var photos = await GetJson(http, new Uri(baseUrl, $"api/incidents/{incident}/attachments"), cancellationToken);
        return photos.EnumerateArray().Count(p => p.GetProperty("uploadedBy").GetString()?.StartsWith("camera:", StringComparison.Ordinal) == true);
    }

    private static async Task<JsonElement> GetJson(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        return await Answer(response, $"GET {url.PathAndQuery}", cancellationToken);
    }

    private static async Task<JsonElement> PostAsAdmin(HttpClient http, Uri url, string adminToken, object body, string what,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return await Answer(response, what, cancellationToken);
    }

    private static async Task<JsonElement> Answer(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        }
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}

public sealed record GridPoint(string Code, double Latitude, double Longitude);

/// <summary>The county's cameras by health, after <paramref name="WatchedSeconds"/> of waiting for the probes.</summary>
public sealed record CameraCounts(int Online, int Offline, int Unknown, double WatchedSeconds);

/// <summary>
/// Evidence seen on a sample of a phase's reports, looked up once the phase was over (its reports answered and on the
/// wall): how many had camera frames attached, and how many frames in all.
/// </summary>
public sealed record EvidenceSample(int Rate, int Sampled, int WithFrames, int Frames);
