using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.Video;

/// <summary>
/// Janus' signed tokens (token_auth with token_auth_secret): "EXPIRY,janus,PLUGIN[,PLUGIN…]:SIGNATURE", EXPIRY in
/// Unix seconds, SIGNATURE the Base64 of HMAC-SHA1 over the part before the colon with the secret. Janus accepts such a
/// token until its expiry, for the plugins it names only; nobody without the secret can make one.
/// </summary>
public static class JanusTokens
{
    public const string VideoRoom = "janus.plugin.videoroom";

    public static string Sign(string secret, DateTimeOffset expiry, params string[] plugins)
    {
        if (plugins.Length == 0)
            throw new ArgumentException("Name at least one plugin.", nameof(plugins));
        var data = string.Join(',', [expiry.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "janus", .. plugins]);
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(data)));
        return data + ":" + signature;
    }
}
