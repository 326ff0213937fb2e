using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Incidents;

/// <summary>
/// The rating-link key on the real PostgreSQL, made by hosts that start together: when several make it at the same
/// moment each gets the one that was kept (a fault run once had a web node answer every report with a 500 because
/// its read of the key, in the statement that tried to make it, came back empty).
/// </summary>
public sealed class RatingLinksTests
{
    [Fact]
    public async Task Hosts_making_the_key_at_the_same_moment_all_get_the_one_kept()
    {
        await using var db = NpgsqlDataSource.Create(await TestEnvironment.FreshDatabase("commandcenter_secrets"));
        var incident = Guid.NewGuid();
        for (var round = 0; round < 20; round++)
        {
            await using (var clear = db.CreateCommand("DELETE FROM cc_secret"))
                await clear.ExecuteNonQueryAsync();
            var hosts = Enumerable.Range(0, 8).Select(_ => new RatingLinks(db, Microsoft.Extensions.Options.Options.Create(new RatingOptions()), TimeProvider.System)).ToList();

            var tokens = await Task.WhenAll(hosts.Select(h => Task.Run(() => h.TokenFor(incident))));

            Assert.Single(tokens.Distinct());
            Assert.True(await hosts[0].IsValid(incident, tokens[0]));
            Assert.False(await hosts[0].IsValid(Guid.NewGuid(), tokens[0]));
        }
    }
}
