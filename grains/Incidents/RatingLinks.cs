using System.Security.Cryptography;
using Npgsql;

namespace CommandCenter.Incidents;

/// <summary>
/// The citizen's rating link of an incident (评单, no account): <c>/rate/{id}?t={token}</c>, where the token is an
/// HMAC of the incident id under a key every web node shares (<c>cc_secret</c>, made at first use). Tokens are
/// derived, not stored, so a retried report gets the same link.
/// </summary>
public sealed class RatingLinks(NpgsqlDataSource db)
{
    private const string SecretName = "rating-link";

    /// <summary>Who rates through an incident's link: its citizen, who has no account.</summary>
    public static Access.Caller Citizen(Guid incident) => new($"citizen:{incident:N}", "群众", Access.Role.Citizen, []);
    private readonly Lazy<Task<byte[]>> _key = new(() => LoadKey(db));

    public async Task<string> TokenFor(Guid incident) =>
        Base64Url(HMACSHA256.HashData(await _key.Value, incident.ToByteArray())[..16]);

    public async Task<bool> IsValid(Guid incident, string? token) =>
        token is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(await TokenFor(incident)), System.Text.Encoding.ASCII.GetBytes(token));

    public async Task<string> PathFor(Guid incident) => $"/rate/{incident:N}?t={await TokenFor(incident)}";

    private static async Task<byte[]> LoadKey(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("""
            WITH made AS (INSERT INTO cc_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value)
            SELECT value FROM made UNION ALL SELECT value FROM cc_secret WHERE name = $1 LIMIT 1
            """);
        cmd.Parameters.Add(new() { Value = SecretName });
        cmd.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(32) });
        return (byte[])(await cmd.ExecuteScalarAsync())!;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
