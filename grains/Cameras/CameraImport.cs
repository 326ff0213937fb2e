using System.Text;
using System.Text.Json;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Cameras;

/// <summary>A camera as imported or edited: where it is (its grid is found from the point) and its stream.</summary>
public sealed record CameraEntry(string Id, string Name, double Latitude, double Longitude, string StreamUrl, string GridCode)
{
    public CameraRecord ToRecord() => new(Id, Name, GridCode, Latitude, Longitude);
}

/// <summary>What is wrong with one camera of an import: its row (1 = the first camera) or feature index, its id when known, the field.</summary>
public sealed record CameraProblem(int Row, string? Id, string Field, string Message);

/// <summary>
/// Reads cameras from CSV (header <c>id,name,lat,lng,streamUrl</c>, RFC 4180 quoting, UTF-8) or GeoJSON (a
/// FeatureCollection of Points with properties <c>id</c>, <c>name</c>, <c>streamUrl</c>) and checks every one: ids
/// like jurisdiction codes and unique, names 1–64 characters, the point inside a grid of the county, the stream URL
/// allowed by the <see cref="StreamUrlPolicy"/>. Plain code: the API imports all or nothing from its answer.
/// </summary>
public static class CameraImport
{
    public const int MaxCameras = 20_000;
    public const int MaxNameLength = 64;

    public sealed record Result(IReadOnlyList<CameraEntry> Cameras, IReadOnlyList<CameraProblem> Problems);

    private sealed record Raw(int Row, string? Id, string? Name, string? Latitude, string? Longitude, string? StreamUrl);

    public static Result ReadCsv(string text, JurisdictionTree tree, StreamUrlPolicy urls)
    {
        var lines = Csv(text).ToList();
        if (lines.Count == 0)
            return new Result([], [new CameraProblem(0, null, "header", "Empty: the first line names the columns id,name,lat,lng,streamUrl.")]);
        var header = lines[0].Select(h => h.Trim()).ToList();
        int Column(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var columns = new[] { "id", "name", "lat", "lng", "streamUrl" }.Select(Column).ToArray();
        var missing = new[] { "id", "name", "lat", "lng", "streamUrl" }.Where((_, i) => columns[i] < 0).ToList();
        if (missing.Count > 0)
            return new Result([], [new CameraProblem(0, null, "header", $"Missing columns: {string.Join(", ", missing)}.")]);
        string? Cell(IReadOnlyList<string> line, int column) => column < line.Count ? line[column].Trim() : null;
        var raws = lines.Skip(1)
            .Select((line, i) => (line, row: i + 1))
            .Where(l => l.line.Any(cell => cell.Trim().Length > 0))
            .Select(l => new Raw(l.row, Cell(l.line, columns[0]), Cell(l.line, columns[1]), Cell(l.line, columns[2]),
                Cell(l.line, columns[3]), Cell(l.line, columns[4])));
        return Check(raws.ToList(), tree, urls);
    }

    public static Result ReadGeoJson(byte[] json, JurisdictionTree tree, StreamUrlPolicy urls)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return new Result([], [new CameraProblem(0, null, "$", $"Malformed JSON: {e.Message}")]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                return new Result([], [new CameraProblem(0, null, "features", "Expected a GeoJSON FeatureCollection with a features array.")]);
            var raws = new List<Raw>();
            var problems = new List<CameraProblem>();
            var row = 0;
            foreach (var feature in features.EnumerateArray())
            {
                row++;
                var properties = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var p)
                    && p.ValueKind == JsonValueKind.Object ? p : default;
                string? Text(string name) => properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var v)
                    && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (feature.ValueKind != JsonValueKind.Object
                    || !feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object
                    || !geometry.TryGetProperty("type", out var type) || type.GetString() != "Point"
                    || !geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array
                    || coordinates.GetArrayLength() < 2
                    || coordinates[0].ValueKind != JsonValueKind.Number || coordinates[1].ValueKind != JsonValueKind.Number)
                {
                    problems.Add(new CameraProblem(row, Text("id"), "geometry", "Each camera is a Point feature with [longitude, latitude]."));
                    continue;
                }
                raws.Add(new Raw(row, Text("id"), Text("name"), coordinates[1].GetRawText(), coordinates[0].GetRawText(), Text("streamUrl")));
            }
            var checkedRows = Check(raws, tree, urls);
            problems.AddRange(checkedRows.Problems);
            return new Result(problems.Count == 0 ? checkedRows.Cameras : [], [.. problems.OrderBy(p => p.Row)]);
        }
    }

    /// <summary>Checks one camera as edited through the API (its id is known and exists).</summary>
    public static (CameraEntry? Camera, IReadOnlyList<CameraProblem> Problems) CheckOne(string id, string? name, double latitude, double longitude,
        string? streamUrl, JurisdictionTree tree, StreamUrlPolicy urls)
    {
        var result = Check([new Raw(1, id, name, latitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            longitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture), streamUrl)], tree, urls);
        return (result.Cameras.FirstOrDefault(), result.Problems);
    }

    private static Result Check(IReadOnlyList<Raw> raws, JurisdictionTree tree, StreamUrlPolicy urls)
    {
        var problems = new List<CameraProblem>();
        var cameras = new List<CameraEntry>();
        if (raws.Count > MaxCameras)
            return new Result([], [new CameraProblem(0, null, "$", $"At most {MaxCameras} cameras in one import (got {raws.Count}).")]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in raws)
        {
            var before = problems.Count;
            void Fail(string field, string message) => problems.Add(new CameraProblem(raw.Row, raw.Id, field, message));
            if (string.IsNullOrEmpty(raw.Id) || raw.Id.Length > 32 || !raw.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                Fail("id", "1 to 32 characters: 0-9, A-Z, a-z, '-' and '_'.");
            else if (!seen.Add(raw.Id))
                Fail("id", $"The id {raw.Id} appears more than once.");
            if (string.IsNullOrWhiteSpace(raw.Name) || raw.Name.Length > MaxNameLength)
                Fail("name", $"1 to {MaxNameLength} characters.");
            var latitude = Coordinate(raw.Latitude, -90, 90);
            var longitude = Coordinate(raw.Longitude, -180, 180);
            if (latitude is null)
                Fail("lat", "A latitude between -90 and 90.");
            if (longitude is null)
                Fail("lng", "A longitude between -180 and 180.");
            var grid = latitude is { } lat && longitude is { } lng ? tree.LocateGrid(lat, lng) : null;
            if (latitude is not null && longitude is not null && grid is null)
                Fail("lat", $"The point ({latitude}, {longitude}) is outside every grid of {tree.Root.Name}.");
            if (urls.Check(raw.StreamUrl) is { } urlProblem)
                Fail("streamUrl", urlProblem);
            if (problems.Count == before)
                cameras.Add(new CameraEntry(raw.Id!, raw.Name!.Trim(), latitude!.Value, longitude!.Value, raw.StreamUrl!, grid!.Code));
        }
        return new Result(problems.Count == 0 ? cameras : [], problems);
    }

    private static double? Coordinate(string? text, double min, double max) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && value >= min && value <= max ? value : null;

    /// <summary>RFC 4180 records: fields separated by commas, quoted with " (a doubled "" inside), records by CRLF or LF.</summary>
    private static IEnumerable<List<string>> Csv(string text)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                record.Add(field.ToString());
                field.Clear();
                yield return record;
                record = [];
            }
            else
                field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
