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
    private volatile byte[]? _key;

    public async Task<string> TokenFor(Guid incident) =>
        Base64Url(HMACSHA256.HashData(await Key(), incident.ToByteArray())[..16]);

    /// <summary>The key, read once it could be (a failed read is not kept: the next use reads again).</summary>
    private async Task<byte[]> Key() => _key ??= await LoadKey(db);

    public async Task<bool> IsValid(Guid incident, string? token) =>
        token is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(await TokenFor(incident)), System.Text.Encoding.ASCII.GetBytes(token));

    public async Task<string> PathFor(Guid incident) => $"/rate/{incident:N}?t={await TokenFor(incident)}";

    /// <summary>
    /// Makes the key unless it is there, then reads it, in two statements: when another node makes it at the same
    /// moment, the insert waits for that node's commit and does nothing, and only a statement after it sees the row
    /// (one statement's snapshot is older than that commit: it would read nothing).
    /// </summary>
    private static async Task<byte[]> LoadKey(NpgsqlDataSource db)
    {
        await using (var make = db.CreateCommand("INSERT INTO cc_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"))
        {
            make.Parameters.Add(new() { Value = SecretName });
            make.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(32) });
            await make.ExecuteNonQueryAsync();
        }
        await using var read = db.CreateCommand("SELECT value FROM cc_secret WHERE name = $1");
        read.Parameters.Add(new() { Value = SecretName });
        return (byte[])(await read.ExecuteScalarAsync())!;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
