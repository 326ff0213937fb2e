using System.Text.Json;
using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Cameras;

/// <summary>A camera as imported or edited: where it is (its grid is found from the point) and its stream.</summary>
public sealed record CameraEntry(string Id, string Name, double Latitude, double Longitude, string? StreamUrl, string GridCode)
{
    public CameraRecord ToRecord() => new(Id, Name, GridCode, Latitude, Longitude);
}

/// <summary>
/// Reads cameras from CSV (header <c>id,name,lat,lng,streamUrl</c>, RFC 4180 quoting, UTF-8), a spreadsheet's rows, or GeoJSON (a
/// FeatureCollection of Points with properties <c>id</c>, <c>name</c>, <c>streamUrl</c>) and checks every one: ids
/// like jurisdiction codes and unique, names 1–64 characters, the point inside a grid of the county, the stream URL
/// allowed by the <see cref="StreamUrlPolicy"/>. Plain code: the API imports all or nothing from its answer.
/// </summary>
public static class CameraImport
{
    public const int MaxCameras = 20_000;
    public const int MaxNameLength = 64;

    public sealed record Result(IReadOnlyList<CameraEntry> Cameras, IReadOnlyList<ImportProblem> Problems);

    private sealed record Raw(int Row, string? Id, string? Name, string? Latitude, string? Longitude, string? StreamUrl);

    /// <summary>The columns of a table, each with the Chinese headers a platform's export may use instead.</summary>
    private static readonly (string Name, string[] Headers, bool Required)[] Columns =
    [
        ("id", ["id", "编号", "设备编号"], true), ("name", ["name", "名称", "设备名称"], true), ("lat", ["lat", "纬度"], true),
        ("lng", ["lng", "经度"], true), ("streamUrl", ["streamUrl", "视频流地址", "取流地址"], true),
    ];

    public static Result ReadCsv(string text, JurisdictionTree tree, StreamUrlPolicy urls) => ReadTable(CsvTable.Parse(text), tree, urls);

    /// <summary>
    /// Cameras from a table (a CSV's records, a spreadsheet's rows): the first row names the columns id, name, lat, lng,
    /// streamUrl (or 编号, 名称, 纬度, 经度, 视频流地址), in any order; blank rows are skipped.
    /// </summary>
    public static Result ReadTable(IReadOnlyList<IReadOnlyList<string>> lines, JurisdictionTree tree, StreamUrlPolicy urls)
    {
        if (lines.Count == 0)
            return new Result([], [new ImportProblem(0, null, "header", "Empty: the first line names the columns id,name,lat,lng,streamUrl.")]);
        var (columns, missing) = TableColumns.Find(lines[0], Columns);
        if (missing.Count > 0)
            return new Result([], [new ImportProblem(0, null, "header", $"Missing columns: {string.Join(", ", missing)}.")]);
        var raws = TableColumns.Rows(lines).Select(r => new Raw(r.Row, TableColumns.Cell(r.Cells, columns[0]), TableColumns.Cell(r.Cells, columns[1]),
            TableColumns.Cell(r.Cells, columns[2]), TableColumns.Cell(r.Cells, columns[3]), TableColumns.Cell(r.Cells, columns[4])));
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
            return new Result([], [new ImportProblem(0, null, "$", $"Malformed JSON: {e.Message}")]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                return new Result([], [new ImportProblem(0, null, "features", "Expected a GeoJSON FeatureCollection with a features array.")]);
            var raws = new List<Raw>();
            var problems = new List<ImportProblem>();
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
                    problems.Add(new ImportProblem(row, Text("id"), "geometry", "Each camera is a Point feature with [longitude, latitude]."));
                    continue;
                }
                raws.Add(new Raw(row, Text("id"), Text("name"), coordinates[1].GetRawText(), coordinates[0].GetRawText(), Text("streamUrl")));
            }
            var checkedRows = Check(raws, tree, urls);
            problems.AddRange(checkedRows.Problems);
            return new Result(problems.Count == 0 ? checkedRows.Cameras : [], [.. problems.OrderBy(p => p.Row)]);
        }
    }

    /// <summary>
    /// Checks one camera as edited through the API (its id is known and exists); <paramref name="withoutStream"/>: a
    /// camera that has no stream address on record may stay without one.
    /// </summary>
    public static (CameraEntry? Camera, IReadOnlyList<ImportProblem> Problems) CheckOne(string id, string? name, double latitude, double longitude,
        string? streamUrl, JurisdictionTree tree, StreamUrlPolicy urls, bool withoutStream = false)
    {
        var result = Check([new Raw(1, id, name, latitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            longitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture), streamUrl)], tree, urls, withoutStream);
        return (result.Cameras.FirstOrDefault(), result.Problems);
    }

    private static Result Check(IReadOnlyList<Raw> raws, JurisdictionTree tree, StreamUrlPolicy urls, bool withoutStream = false)
    {
        var problems = new List<ImportProblem>();
        var cameras = new List<CameraEntry>();
        if (raws.Count > MaxCameras)
            return new Result([], [new ImportProblem(0, null, "$", $"At most {MaxCameras} cameras in one import (got {raws.Count}).")]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in raws)
        {
            var before = problems.Count;
            void Fail(string field, string message) => problems.Add(new ImportProblem(raw.Row, raw.Id, field, message));
            if (ImportProblem.IdProblem(raw.Id, seen) is { } idProblem)
                Fail("id", idProblem);
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
            if (!(withoutStream && raw.StreamUrl is null) && urls.Check(raw.StreamUrl) is { } urlProblem)
                Fail("streamUrl", urlProblem);
            if (problems.Count == before)
                cameras.Add(new CameraEntry(raw.Id!, raw.Name!.Trim(), latitude!.Value, longitude!.Value, raw.StreamUrl, grid!.Code));
        }
        return new Result(problems.Count == 0 ? cameras : [], problems);
    }

    private static double? Coordinate(string? text, double min, double max) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && value >= min && value <= max ? value : null;
}
