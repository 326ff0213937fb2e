using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using CommandCenter.Access;
using Npgsql;

namespace CommandCenter.Incidents;

/// <summary>The rating links' settings (<c>CommandCenter:Ratings</c>).</summary>
public sealed class RatingOptions
{
    /// <summary>How long after the feedback (反馈, 办结) a rating link can rate.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>What a rating link can do for its case now.</summary>
public enum RatingLinkState
{
    /// <summary>The case was fed back within the link's lifetime: the citizen can rate.</summary>
    Open,

    /// <summary>The case was fed back longer than the link's lifetime ago, and nobody rated it since.</summary>
    Expired,

    /// <summary>The link rated this round: until the case is reopened and fed back again it cannot rate again.</summary>
    Used,

    /// <summary>The case is not fed back yet, or was filed without a rating (assessed, rejected, merged).</summary>
    NotOpen,
}

/// <summary>
/// The citizen's rating link of an incident (评单, no account): <c>/rate/{id}?t={token}</c>, where the token is an
/// HMAC of the incident id under a key every web node shares (<c>cc_secret</c>, made at first use, encrypted with the
/// <see cref="KeyCertificate"/>). Tokens are
/// derived, not stored, so a retried report gets the same link. A case has one link for its whole life: it rates once
/// per feedback, because only a fed-back case takes a rating; a dissatisfied rating reopens the case, and once it is
/// fed back again the same link rates again (the citizen keeps the link they were sent). It expires
/// <see cref="RatingOptions.LinkLifetime"/> after the latest feedback, by the case's events and the clock of
/// <see cref="ClockKey"/>.
/// </summary>
public sealed class RatingLinks(NpgsqlDataSource db, KeyCertificate certificate, IOptions<RatingOptions> options,
    [FromKeyedServices(RatingLinks.ClockKey)] TimeProvider clock)
{
    /// <summary>The key of the clock the links' expiry is read on (tests move it past a link's lifetime).</summary>
    public const string ClockKey = "rating-links";

    private const string SecretName = "rating-link";

    /// <summary>Who rates through an incident's link: its citizen, who has no account.</summary>
    public static Caller Citizen(Guid incident) => new($"citizen:{incident:N}", "群众", Role.Citizen, []);
    private volatile byte[]? _key;

    public TimeSpan Lifetime => options.Value.LinkLifetime;

    public async Task<string> TokenFor(Guid incident) =>
        Base64Url(HMACSHA256.HashData(await Key(), incident.ToByteArray())[..16]);

    /// <summary>
    /// Reads the key now (a web node does at start): throws when this node's certificate is not the one the key was
    /// encrypted with, rather than at the first report's answer.
    /// </summary>
    public Task Check() => Key();

    /// <summary>The key, read once it could be (a failed read is not kept: the next use reads again).</summary>
    private async Task<byte[]> Key() => _key ??= await LoadKey(db, certificate);

    public async Task<bool> IsValid(Guid incident, string? token) =>
        token is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(await TokenFor(incident)), System.Text.Encoding.ASCII.GetBytes(token));

    public async Task<string> PathFor(Guid incident) => $"/rate/{incident:N}?t={await TokenFor(incident)}";

    /// <summary>What the link of <paramref name="incident"/> can do now.</summary>
    public RatingLinkState StateOf(IncidentDetails incident) => State(incident, clock.GetUtcNow(), Lifetime);

    /// <summary>
    /// What a rating link can do for <paramref name="incident"/> at <paramref name="now"/>: a fed-back case's link is
    /// open until <paramref name="lifetime"/> after its feedback (<see cref="IncidentDetails.ClosedAt"/>, the time of
    /// the latest fed-back or resolved event), then expired; a rated case's link is used until a reopening is fed back.
    /// </summary>
    public static RatingLinkState State(IncidentDetails incident, DateTimeOffset now, TimeSpan lifetime) => incident switch
    {
        { Status: IncidentStatus.FedBack, ClosedAt: { } fedBackAt } => now < fedBackAt + lifetime ? RatingLinkState.Open : RatingLinkState.Expired,
        { Rating: not null } => RatingLinkState.Used,
        _ => RatingLinkState.NotOpen,
    };

    /// <summary>
    /// Makes the key unless it is there, then reads it, in two statements: when another node makes it at the same
    /// moment, the insert waits for that node's commit and does nothing, and only a statement after it sees the row
    /// (one statement's snapshot is older than that commit: it would read nothing). A key an earlier version stored in
    /// plaintext is encrypted in place and kept, so the links already sent stay valid.
    /// </summary>
    private static async Task<byte[]> LoadKey(NpgsqlDataSource db, KeyCertificate certificate)
    {
        await using (var make = db.CreateCommand("INSERT INTO cc_secret (name, value, sealed_by) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING"))
        {
            make.Parameters.Add(new() { Value = SecretName });
            make.Parameters.Add(new() { Value = certificate.Encrypt(RandomNumberGenerator.GetBytes(32)) });
            make.Parameters.Add(new() { Value = certificate.Thumbprint });
            await make.ExecuteNonQueryAsync();
        }
        byte[] value;
        string? sealedBy;
        await using (var read = db.CreateCommand("SELECT value, sealed_by FROM cc_secret WHERE name = $1"))
        {
            read.Parameters.Add(new() { Value = SecretName });
            await using var row = await read.ExecuteReaderAsync();
            await row.ReadAsync();
            (value, sealedBy) = ((byte[])row[0], row.IsDBNull(1) ? null : row.GetString(1));
        }
        if (sealedBy is null)
        {
            await using var seal = db.CreateCommand("UPDATE cc_secret SET value = $2, sealed_by = $3 WHERE name = $1 AND sealed_by IS NULL");
            seal.Parameters.Add(new() { Value = SecretName });
            seal.Parameters.Add(new() { Value = certificate.Encrypt(value) });
            seal.Parameters.Add(new() { Value = certificate.Thumbprint });
            await seal.ExecuteNonQueryAsync();
            return value;
        }
        if (sealedBy != certificate.Thumbprint)
        {
            throw new InvalidOperationException($"The rating-link key in cc_secret was encrypted with the certificate {sealedBy}, but "
                + $"{KeyCertificate.FileSetting} is {certificate.Thumbprint}: every web node must use the same certificate (README, \"Keys at rest\").");
        }
        return certificate.Decrypt(value);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
