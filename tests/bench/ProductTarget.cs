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

    /// <summary>A bearer token of a demo account (the bench reads as "duty" and creates its integration as "admin").</summary>
    public static async Task<string> Token(HttpClient http, Uri baseUrl, string username, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, "api/auth/token"), new { username, password }, cancellationToken);
        return (await Answer(response, $"signing in as {username}", cancellationToken)).GetProperty("accessToken").GetString()!;
    }

    /// <summary>The API key of a fresh intake integration "bench" in the county: the reports go through the intake path.</summary>
    public static async Task<string> IntakeKey(HttpClient http, Uri baseUrl, string adminToken, string county, CancellationToken cancellationToken)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/integrations"))
        {
            Content = JsonContent.Create(new { name = "bench", jurisdiction = county, sources = new[] { "gridWorker" }, positions = false }),
        };
        create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(create, cancellationToken);
        return (await Answer(response, "creating the bench integration", cancellationToken)).GetProperty("apiKey").GetString()!;
    }

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

    private static async Task<JsonElement> GetJson(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        return await Answer(response, $"GET {url.PathAndQuery}", cancellationToken);
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
