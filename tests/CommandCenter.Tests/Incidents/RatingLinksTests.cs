using System.Security.Cryptography;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Tests.Incidents;

/// <summary>
/// The rating-link key on the real PostgreSQL, made by hosts that start together: when several make it at the same
/// moment each gets the one that was kept (a fault run once had a web node answer every report with a 500 because
/// its read of the key, in the statement that tried to make it, came back empty). The key is stored encrypted with the
/// keys' certificate, and a key an earlier version stored in plaintext is encrypted in place, keeping its links.
/// </summary>
public sealed class RatingLinksTests
{
    private static RatingLinks Host(NpgsqlDataSource db) =>
        new(db, TestEnvironment.Keys, Options.Create(new RatingOptions()), TimeProvider.System);

    [Fact]
    public async Task Hosts_making_the_key_at_the_same_moment_all_get_the_one_kept_and_it_is_stored_encrypted()
    {
        await using var db = NpgsqlDataSource.Create(await TestEnvironment.FreshDatabase("commandcenter_secrets"));
        var incident = Guid.NewGuid();
        for (var round = 0; round < 20; round++)
        {
            await using (var clear = db.CreateCommand("DELETE FROM cc_secret"))
                await clear.ExecuteNonQueryAsync();
            var hosts = Enumerable.Range(0, 8).Select(_ => Host(db)).ToList();

            var tokens = await Task.WhenAll(hosts.Select(h => Task.Run(() => h.TokenFor(incident))));

            Assert.Single(tokens.Distinct());
            Assert.True(await hosts[0].IsValid(incident, tokens[0]));
            Assert.False(await hosts[0].IsValid(Guid.NewGuid(), tokens[0]));
        }
        var (value, sealedBy) = await Stored(db);
        Assert.Equal(TestEnvironment.Keys.Thumbprint, sealedBy);
        Assert.Equal(256, value.Length);
    }

    [Fact]
    public async Task A_key_stored_in_plaintext_by_an_earlier_version_is_encrypted_in_place_and_its_links_stay_valid()
    {
        await using var db = NpgsqlDataSource.Create(await TestEnvironment.FreshDatabase("commandcenter_secrets_plain"));
        var key = RandomNumberGenerator.GetBytes(32);
        await using (var earlier = db.CreateCommand("INSERT INTO cc_secret (name, value) VALUES ('rating-link', $1)"))
        {
            earlier.Parameters.Add(new() { Value = key });
            await earlier.ExecuteNonQueryAsync();
        }
        var incident = Guid.NewGuid();
        var sent = Convert.ToBase64String(HMACSHA256.HashData(key, incident.ToByteArray())[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.True(await Host(db).IsValid(incident, sent));

        var (value, sealedBy) = await Stored(db);
        Assert.Equal(TestEnvironment.Keys.Thumbprint, sealedBy);
        Assert.Equal(key, TestEnvironment.Keys.Decrypt(value));
        Assert.True(await Host(db).IsValid(incident, sent));
    }

    private static async Task<(byte[] Value, string? SealedBy)> Stored(NpgsqlDataSource db)
    {
        await using var read = db.CreateCommand("SELECT value, sealed_by FROM cc_secret WHERE name = 'rating-link'");
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        return ((byte[])row[0], row.IsDBNull(1) ? null : row.GetString(1));
    }
}
