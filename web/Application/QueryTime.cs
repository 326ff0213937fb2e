using System.Globalization;

namespace CommandCenter.Web.Application;

/// <summary>Times in query strings (<c>?from=&amp;to=</c>): ISO 8601, UTC when no offset is given.</summary>
internal static class QueryTime
{
    public const string Expected = "An ISO 8601 time, such as 2026-11-23T08:00:00+08:00.";

    /// <summary>The time in <paramref name="text"/> (null when empty), or null with an error for <paramref name="name"/>.</summary>
    public static DateTimeOffset? Read(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time.ToUniversalTime();
        errors[name] = [Expected];
        return null;
    }
}
