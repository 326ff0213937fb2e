using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommandCenter;

/// <summary>The one JSON shape of the product: camelCase names and camelCase enum words, as on the API and the wall.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// The word an enum value is written as in JSON (camelCase), e.g. "hotline12345" for <c>Hotline12345</c>: made
    /// once per defined value (metric tags ask for it on every report and position).
    /// </summary>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Words<TEnum>.Defined.TryGetValue(value, out var word) ? word : ConvertName(value);

    private static string ConvertName<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static class Words<TEnum> where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Defined = Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, ConvertName);
    }

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
