using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CommandCenter.Access;

namespace CommandCenter.Web.Access;

/// <summary>
/// API keys of intake integrations: 256 random bits, shown once; only the SHA-256 is stored. Lookups are cached per
/// host for <see cref="CacheFor"/>, so a replaced key stops working everywhere within that time.
/// </summary>
public sealed class IntegrationKeys(AccountStore accounts, TimeProvider clock)
{
    public const string Header = "X-Api-Key";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (Integration? Integration, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public static string NewKey() => "cck_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Stores the integration with a new key and returns the key (the only time it is seen).</summary>
    public async Task<string> Issue(Integration integration)
    {
        var key = NewKey();
        await accounts.SaveIntegration(integration, HashOf(key));
        _cache.Clear();
        return key;
    }

    public async Task<Integration?> Find(string key)
    {
        if (key.Length is 0 or > 128)
            return null;
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
            return cached.Integration;
        var integration = await accounts.FindIntegration(HashOf(key));
        if (_cache.Count > 10_000)
            _cache.Clear(); // wrong keys must not grow the cache without bound
        _cache[key] = (integration, now + CacheFor);
        return integration;
    }
}
