using System.Text.Json;
using CommandCenter.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Feeds;

/// <summary>Feed entries in PostgreSQL (table cc_feed_entry): the durable record a wall replays from.</summary>
public sealed class FeedStore(NpgsqlDataSource db)
{
    /// <summary>Running totals of a feed at one entry: incidents reported, and now open, overdue, supervised and closed.</summary>
    public sealed record Totals(long Reported, long Open, long Overdue, long Supervised, long Closed)
    {
        public static readonly Totals Zero = new(0, 0, 0, 0, 0);

        public Totals After(FeedAppend append) => new(
            Reported + (append.Kind == FeedKinds.IncidentReported ? 1 : 0),
            Open + append.Counts.Open, Overdue + append.Counts.Overdue, Supervised + append.Counts.Supervised, Closed + append.Counts.Closed);
    }

    /// <summary>One feed's share of a write: its appends (distinct event ids), numbered from <see cref="Head"/> + 1.</summary>
    public sealed record Write(string Jurisdiction, long Head, Totals Totals, IReadOnlyList<FeedAppend> Appends);

    /// <summary>
    /// Writes the appends of several feeds in one statement and one commit. Each feed's rows are numbered
    /// Head + 1, + 2, … in order, skipping any whose event id that feed already has, and carry the running totals
    /// from its Totals on. Returns the sequence of every row written, by jurisdiction and event id.
    /// </summary>
    /// <exception cref="PostgresException">
    /// with <see cref="PostgresErrorCodes.UniqueViolation"/> when another writer took a feed's sequence numbers.
    /// </exception>
    public async Task<Dictionary<(string Jurisdiction, string EventId), long>> Append(IReadOnlyList<Write> writes)
    {
        var rows = writes.SelectMany(w => w.Appends.Select(a => (w, a))).ToList();
        await using var cmd = db.CreateCommand($$"""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::uuid[], $8::jsonb[],
                                     $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::int[], $14::int[], $15::int[], $16::int[])
                    WITH ORDINALITY AS t(jurisdiction, head, reported_base, event_id, kind, at, incident_id, payload,
                                         open_base, overdue_base, supervised_base, closed_base, open_d, overdue_d, supervised_d, closed_d, ord)),
            fresh AS (
                SELECT i.*, row_number() OVER w AS n,
                       count(*) FILTER (WHERE i.kind = '{{FeedKinds.IncidentReported}}') OVER w AS reported,
                       sum(i.open_d) OVER w AS open, sum(i.overdue_d) OVER w AS overdue,
                       sum(i.supervised_d) OVER w AS supervised, sum(i.closed_d) OVER w AS closed
                FROM input i
                WHERE NOT EXISTS (SELECT 1 FROM cc_feed_entry e WHERE e.jurisdiction = i.jurisdiction AND e.event_id = i.event_id)
                WINDOW w AS (PARTITION BY i.jurisdiction ORDER BY i.ord))
            INSERT INTO cc_feed_entry (jurisdiction, seq, event_id, kind, at, incident_id, payload,
                                       reported_total, open_total, overdue_total, supervised_total, closed_total)
            SELECT jurisdiction, head + n, event_id, kind, at, incident_id, payload, reported_base + reported,
                   open_base + open, overdue_base + overdue, supervised_base + supervised, closed_base + closed FROM fresh
            RETURNING jurisdiction, event_id, seq
            """);
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Jurisdiction).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Head).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Totals.Reported).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.EventId).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.Kind).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.At.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.Incident.Id).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => JsonSerializer.Serialize(r.a.Incident, Json.Options)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Totals.Open).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Totals.Overdue).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Totals.Supervised).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.w.Totals.Closed).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.Counts.Open).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.Counts.Overdue).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.Counts.Supervised).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.a.Counts.Closed).ToArray() });

        var sequences = new Dictionary<(string, string), long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sequences[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        return sequences;
    }

    public async Task<Dictionary<string, long>> SequencesOf(string jurisdiction, IReadOnlyCollection<string> eventIds)
    {
        await using var cmd = db.CreateCommand("SELECT event_id, seq FROM cc_feed_entry WHERE jurisdiction = $1 AND event_id = ANY($2)");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = eventIds.ToArray() });
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            found[reader.GetString(0)] = reader.GetInt64(1);
        return found;
    }

    private const string TotalsColumns = "reported_total, open_total, overdue_total, supervised_total, closed_total";

    /// <summary>The last sequence number and the running totals at it (zeros for an empty feed).</summary>
    public async Task<(long Head, Totals Totals)> Head(string jurisdiction)
    {
        await using var cmd = db.CreateCommand($"SELECT seq, {TotalsColumns} FROM cc_feed_entry WHERE jurisdiction = $1 ORDER BY seq DESC LIMIT 1");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), ReadTotals(reader, 1)) : (0, Totals.Zero);
    }

    /// <summary>The running totals just before <paramref name="instant"/>.</summary>
    public async Task<Totals> TotalsBefore(string jurisdiction, DateTimeOffset instant)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT {TotalsColumns} FROM cc_feed_entry WHERE jurisdiction = $1 AND at < $2 ORDER BY at DESC, seq DESC LIMIT 1");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = instant.ToUniversalTime() });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadTotals(reader, 0) : Totals.Zero;
    }

    private static Totals ReadTotals(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2), reader.GetInt64(first + 3), reader.GetInt64(first + 4));

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
