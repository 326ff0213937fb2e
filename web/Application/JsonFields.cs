using System.Text.Json;

namespace CommandCenter.Web.Application;

/// <summary>
/// A request record read from a JSON object: the record is the contract the endpoint binds, and its <see cref="Read"/>
/// is the one place its fields are checked (each error names the field's JSON path).
/// </summary>
public interface IRequestContract<TSelf> where TSelf : class, IRequestContract<TSelf>
{
    /// <summary>The largest body accepted, in bytes.</summary>
    static abstract int MaxBytes { get; }

    /// <summary>Whether a request without any body reads as an empty object (actions such as accept need no fields).</summary>
    static virtual bool MayBeEmpty => false;

    /// <summary>Whether the body may be any JSON value (an array of positions); else it must be an object.</summary>
    static virtual bool AnyJsonValue => false;

    /// <summary>Reads the record; problems go to <paramref name="fields"/>, and the record is used only when there are none.</summary>
    static abstract TSelf Read(JsonFields fields);
}

/// <summary>Reads the fields of a JSON object and collects field errors, so bad input becomes a 400 naming the field.</summary>
public sealed class JsonFields(JsonElement root)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public JsonElement Root { get; } = root;

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Fail(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Whether the field is present (and not null).</summary>
    public bool Has(string field) => Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

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

    /// <summary>An optional string, null when absent or empty.</summary>
    public string? OptionalText(string field, int max) => Text(field, max, required: false) is { Length: > 0 } text ? text : null;

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

    /// <summary>A required JSON array of at most <paramref name="max"/> ids.</summary>
    public IReadOnlyList<Guid>? Guids(string field, int max) => Ids(field, TextList(field, max, 64));

    /// <summary>A required id.</summary>
    public Guid? Guid(string field) => Ids(field, Text(field, 64, required: true) is { } one ? [one] : null)?.FirstOrDefault();

    public bool? Boolean(string field)
    {
        if (Root.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Fail(field, "Required: true or false.");
        return null;
    }

    private List<Guid>? Ids(string field, IReadOnlyList<string>? texts)
    {
        if (texts is null)
            return null;
        var ids = new List<Guid>();
        foreach (var text in texts)
        {
            if (System.Guid.TryParse(text, out var id))
                ids.Add(id);
            else
                Fail(field, $"'{text}' is not an id.");
        }
        return ids;
    }

    private TEnum? EnumValue<TEnum>(string field, string text) where TEnum : struct, Enum
    {
        if (EnumWords.TryParse<TEnum>(text, out var value))
            return value;
        Fail(field, $"Must be one of: {EnumWords.List<TEnum>()}.");
        return null;
    }
}

/// <summary>The one enum parser of the API: values by their JSON words (camelCase), exactly, never by number.</summary>
public static class EnumWords
{
    public static bool TryParse<TEnum>(string? word, out TEnum value) where TEnum : struct, Enum =>
        Names<TEnum>.ByWord.TryGetValue(word ?? "", out value);

    /// <summary>The words, comma-separated, for error messages.</summary>
    public static string List<TEnum>() where TEnum : struct, Enum => string.Join(", ", Names<TEnum>.ByWord.Keys);

    /// <summary>An optional query word: null when absent or empty, else its value, or an error for <paramref name="field"/>.</summary>
    public static TEnum? Optional<TEnum>(string field, string? word, IDictionary<string, string[]> errors) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(word))
            return null;
        if (TryParse<TEnum>(word, out var value))
            return value;
        errors[field] = [$"One of {List<TEnum>()}."];
        return null;
    }

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<string, TEnum> ByWord =
            System.Enum.GetValues<TEnum>().ToDictionary(v => Json.Word(v), StringComparer.Ordinal);
    }
}
