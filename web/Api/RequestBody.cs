using System.Text.Json;

namespace CommandCenter.Web.Api;

/// <summary>Reads a JSON body within a size limit and collects field errors, so bad input becomes a 400 naming the field.</summary>
public sealed class RequestBody
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    private RequestBody(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Fail(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; returns the raw bytes or an error naming the body ("$").</summary>
    public static async Task<(byte[]? Bytes, IResult? Error)> ReadBytes(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        await ReadAtMost(request, maxBytes, cancellationToken) is { } bytes ? (bytes, null) : (null, TooLarge(maxBytes));

    /// <summary>The raw body, or null as soon as it proves larger than <paramref name="maxBytes"/> (the rest is not read).</summary>
    public static async Task<byte[]?> ReadAtMost(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A body with no fields, for requests that may come without one.</summary>
    public static RequestBody EmptyObject() => new(JsonDocument.Parse("{}").RootElement.Clone());

    /// <summary>Whether the field is present (and not null).</summary>
    public bool Has(string field) => Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    public static async Task<(RequestBody? Body, IResult? Error)> ReadJsonObject(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Validation("$", "Send the body as application/json."));
        var (bytes, error) = await ReadBytes(request, maxBytes, cancellationToken);
        if (error is not null)
            return (null, error);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Problems.Validation("$", "The body must be a JSON object."));
            return (new RequestBody(document.RootElement.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation("$", $"Malformed JSON: {e.Message}"));
        }
    }

    /// <summary>A trimmed string of 1..max characters (or null when optional and absent).</summary>
    public string? Text(string field, int max, bool required)
    {
        if (!Root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                Fail(field, "Required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Fail(field, "Must be a string.");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (required && text.Length == 0)
            Fail(field, "Must not be empty.");
        else if (text.Length > max)
            Fail(field, $"At most {max} characters (got {text.Length}).");
        return text;
    }

    public double? Number(string field, double min, double max)
    {
        if (!Root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Fail(field, "Required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Fail(field, "Must be a number.");
            return null;
        }
        if (number < min || number > max)
        {
            Fail(field, $"Must be between {min} and {max}.");
            return null;
        }
        return number;
    }

    /// <summary>A required whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int? Integer(string field, int min, int max)
    {
        var number = Number(field, min, max);
        if (number is { } n && n != Math.Floor(n))
        {
            Fail(field, "Must be a whole number.");
            return null;
        }
        return (int?)number;
    }

    public TEnum? Enum<TEnum>(string field) where TEnum : struct, Enum
    {
        var text = Text(field, 64, required: true);
        if (text is null || text.Length == 0)
            return null;
        return EnumValue<TEnum>(field, text);
    }

    /// <summary>A required JSON array of 1..<paramref name="maxItems"/> non-empty strings of at most <paramref name="maxLength"/> characters.</summary>
    public IReadOnlyList<string>? TextList(string field, int maxItems, int maxLength)
    {
        if (!Root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            Fail(field, "Required: an array of strings.");
            return null;
        }
        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : null;
            if (text is null || text.Length == 0 || text.Length > maxLength)
                Fail($"{field}[{index}]", $"A non-empty string of at most {maxLength} characters.");
            else
                items.Add(text);
            index++;
        }
        if (index > maxItems)
            Fail(field, $"At most {maxItems} items.");
        return items;
    }

    /// <summary>A required JSON array of enum names (camelCase), without repeats.</summary>
    public IReadOnlyList<string>? EnumList<TEnum>(string field) where TEnum : struct, Enum
    {
        var texts = TextList(field, System.Enum.GetValues<TEnum>().Length, 64);
        if (texts is null)
            return null;
        for (var i = 0; i < texts.Count; i++)
            EnumValue<TEnum>($"{field}[{i}]", texts[i]);
        return texts.Distinct(StringComparer.Ordinal).ToList();
    }

    public bool? Boolean(string field)
    {
        if (Root.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Fail(field, "Required: true or false.");
        return null;
    }

    private TEnum? EnumValue<TEnum>(string field, string text) where TEnum : struct, Enum
    {
        var byName = EnumNames<TEnum>.ByName;
        if (byName.TryGetValue(text, out var value))
            return value;
        Fail(field, $"Must be one of: {string.Join(", ", byName.Keys)}.");
        return null;
    }

    private static class EnumNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<string, TEnum> ByName =
            System.Enum.GetValues<TEnum>().ToDictionary(v => Json.Word(v), StringComparer.Ordinal);
    }

    private static IResult TooLarge(int maxBytes) => Problems.Validation("$", $"The body is larger than {maxBytes} bytes.");
}
