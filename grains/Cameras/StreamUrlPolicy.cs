using System.Text.RegularExpressions;

namespace CommandCenter.Cameras;

/// <summary>
/// Which stream URLs a camera may have (雪亮工程 cameras speak RTSP or HTTP): rtsp, http or https, to an allowed host,
/// nothing else. The URL goes to ffmpeg, which also understands file:, concat:, pipe:, data: and more, and whose
/// command line FFMpegCore builds as one string: so a URL with spaces, quotes, backslashes, control or non-ASCII
/// characters (percent-encode them), or a leading dash is refused too.
/// </summary>
public sealed partial class StreamUrlPolicy(IReadOnlyList<string> allowedHosts)
{
    public const int MaxLength = 2048;

    private static readonly HashSet<string> Schemes = new(StringComparer.Ordinal) { "rtsp", "http", "https" };

    /// <summary>Null when <paramref name="url"/> may be a camera's stream; otherwise why not.</summary>
    public string? Check(string? url)
    {
        if (string.IsNullOrEmpty(url))
            return "Required: the camera's rtsp://, http:// or https:// stream address.";
        if (url.Length > MaxLength)
            return $"At most {MaxLength} characters.";
        if (url[0] == '-')
            return "A stream address must not start with '-'.";
        foreach (var c in url)
        {
            if (c <= ' ' || c >= 0x7F)
                return "Spaces, control and non-ASCII characters are not allowed (percent-encode them).";
            if (c is '"' or '\'' or '\\' or '`' or '|' or '<' or '>' or '{' or '}' or '^')
                return $"The character '{c}' is not allowed in a stream address.";
        }
        var colon = url.IndexOf(':');
        var scheme = colon > 0 ? url[..colon].ToLowerInvariant() : "";
        if (!Schemes.Contains(scheme) || !url.AsSpan(colon).StartsWith("://"))
            return $"Only rtsp://, http:// and https:// addresses are allowed{(scheme.Length > 0 ? $", not {scheme}:" : "")}.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown || uri.Host.Length == 0)
            return "Not a valid address with a host.";
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        return allowedHosts.Any(pattern => Matches(host, pattern.Trim().ToLowerInvariant()))
            ? null
            : $"The host {host} is not among the allowed camera hosts (CommandCenter:Cameras:AllowedHosts).";
    }

    /// <summary>
    /// <paramref name="text"/> (ffmpeg's words about a stream, say) with every address in it stripped of what may be a
    /// credential: the user and password before the host and the query (a token of an HLS address) become ***.
    /// </summary>
    public static string WithoutCredentials(string text) => Address().Replace(text, m =>
        m.Groups["scheme"].Value + (m.Groups["user"].Success ? "***@" : "") + m.Groups["rest"].Value + (m.Groups["query"].Success ? "?***" : ""));

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?<user>[^/\s@]*@)?(?<rest>[^\s?#]*)(?<query>\?[^\s#]*?(?=:?(?:\s|$)))?")]
    private static partial Regex Address();

    private static bool Matches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.Ordinal) && host.Length > pattern.Length - 1
            : host == pattern;
}
