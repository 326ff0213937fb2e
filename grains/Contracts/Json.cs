using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommandCenter;

/// <summary>The one JSON shape of the product: camelCase names and camelCase enum words, as on the API and the wall.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The word an enum value is written as in JSON (camelCase), e.g. "hotline12345" for <c>Hotline12345</c>.</summary>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
