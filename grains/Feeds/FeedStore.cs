using System.Text.Json;
using CommandCenter.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Feeds;

/// <summary>Feed entries in PostgreSQL (table cc_feed_entry): the durable record a wall replays from.</summary>
public sealed class FeedStore(NpgsqlDataSource db)
{
    /// <summary>Inserts the entry; false when an entry with this event id is already in the feed.</summary>
    /// <exception cref="PostgresException">with <see cref="PostgresErrorCodes.UniqueViolation"/> on the primary key when the sequence is taken.</exception>
    public async Task<bool> TryInsert(FeedEntry entry, string eventId)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_feed_entry (jurisdiction, seq, event_id, kind, at, incident_id, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (jurisdiction, event_id) DO NOTHING
            """);
        cmd.Parameters.Add(new() { Value = entry.Jurisdiction });
        cmd.Parameters.Add(new() { Value = entry.Sequence });
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = entry.Kind });
        cmd.Parameters.Add(new() { Value = entry.At.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = entry.Incident.Id });
        cmd.Parameters.Add(new() { Value = JsonSerializer.Serialize(entry.Incident, Json.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    public async Task<long?> SequenceOf(string jurisdiction, string eventId)
    {
        await using var cmd = db.CreateCommand("SELECT seq FROM cc_feed_entry WHERE jurisdiction = $1 AND event_id = $2");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = eventId });
        return await cmd.ExecuteScalarAsync() as long?;
    }

    public async Task<long> Head(string jurisdiction)
    {
        await using var cmd = db.CreateCommand("SELECT coalesce(max(seq), 0) FROM cc_feed_entry WHERE jurisdiction = $1");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Entries with sequence greater than <paramref name="after"/>, oldest first.</summary>
    public Task<List<FeedEntry>> Read(string jurisdiction, long after, int max) => Query(
        "SELECT seq, kind, at, payload FROM cc_feed_entry WHERE jurisdiction = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        jurisdiction, after, max);

    /// <summary>The newest <paramref name="max"/> entries, oldest first.</summary>
    public async Task<List<FeedEntry>> Latest(string jurisdiction, int max)
    {
        var newestFirst = await Query(
            "SELECT seq, kind, at, payload FROM cc_feed_entry WHERE jurisdiction = $1 AND seq > $2 ORDER BY seq DESC LIMIT $3",
            jurisdiction, 0, max);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<FeedCounters> Counters(string jurisdiction, DateTimeOffset startOfToday)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT count(*) FILTER (WHERE kind = '{FeedKinds.IncidentReported}' AND at >= $2),
                   count(DISTINCT incident_id)
            FROM cc_feed_entry WHERE jurisdiction = $1
            """);
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = startOfToday.ToUniversalTime() });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new FeedCounters((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    private async Task<List<FeedEntry>> Query(string sql, string jurisdiction, long after, int max)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = after });
        cmd.Parameters.Add(new() { Value = max });
        var entries = new List<FeedEntry>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var incident = JsonSerializer.Deserialize<IncidentSummary>(reader.GetString(3), Json.Options)!;
            entries.Add(new FeedEntry(jurisdiction, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), incident));
        }
        return entries;
    }
}
