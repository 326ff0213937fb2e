using System.Text.Json;
using CommandCenter.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Feeds;

/// <summary>Feed entries in PostgreSQL (table cc_feed_entry): the durable record a wall replays from; heads in cc_feed_head.</summary>
public sealed class FeedStore(NpgsqlDataSource db)
{
    /// <summary>
    /// One entry to write: the feed, the change, the change's incident summary as JSON (made once per change), and the
    /// entry's kind and counts on this feed (<see cref="FeedAppend.Feeds"/>).
    /// </summary>
    public sealed record Row(string Jurisdiction, FeedAppend Append, string Payload, string Kind, FeedCounts Counts);

    /// <summary>
    /// The statement that writes entries of several feeds within a commit (see IncidentCommits). Each feed's rows are
    /// numbered on from its head (<c>cc_feed_head</c>, created at the first entry) in the order given, carry the running
    /// totals on from the head's, and move the head; the head's row lock orders concurrent commits. Returns, per row
    /// written, the jurisdiction, event id, sequence and totals (read them with <see cref="ReadWritten"/>).
    /// </summary>
    public static NpgsqlBatchCommand AppendCommand(IReadOnlyList<Row> rows)
    {
        var cmd = new NpgsqlBatchCommand($$"""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::jsonb[],
                                     $7::int[], $8::int[], $9::int[], $10::int[])
                    WITH ORDINALITY AS t(jurisdiction, event_id, kind, at, incident_id, payload, open_d, overdue_d, supervised_d, closed_d, ord)),
            agg AS (
                SELECT jurisdiction, count(*) AS n, count(*) FILTER (WHERE kind = '{{FeedKinds.IncidentReported}}') AS reported,
                       sum(open_d) AS open, sum(overdue_d) AS overdue, sum(supervised_d) AS supervised, sum(closed_d) AS closed
                FROM input GROUP BY jurisdiction),
            head AS (
                INSERT INTO cc_feed_head AS h (jurisdiction, seq, {{TotalsColumns}})
                SELECT jurisdiction, n, reported, open, overdue, supervised, closed FROM agg ORDER BY jurisdiction
                ON CONFLICT (jurisdiction) DO UPDATE SET seq = h.seq + EXCLUDED.seq,
                    reported_total = h.reported_total + EXCLUDED.reported_total, open_total = h.open_total + EXCLUDED.open_total,
                    overdue_total = h.overdue_total + EXCLUDED.overdue_total, supervised_total = h.supervised_total + EXCLUDED.supervised_total,
                    closed_total = h.closed_total + EXCLUDED.closed_total
                RETURNING h.*),
            numbered AS (
                SELECT i.jurisdiction, h.seq - a.n + row_number() OVER w AS seq, i.event_id, i.kind, i.at, i.incident_id, i.payload,
                       h.reported_total - a.reported + count(*) FILTER (WHERE i.kind = '{{FeedKinds.IncidentReported}}') OVER w AS reported_total,
                       h.open_total - a.open + sum(i.open_d) OVER w AS open_total,
                       h.overdue_total - a.overdue + sum(i.overdue_d) OVER w AS overdue_total,
                       h.supervised_total - a.supervised + sum(i.supervised_d) OVER w AS supervised_total,
                       h.closed_total - a.closed + sum(i.closed_d) OVER w AS closed_total
                FROM input i JOIN agg a USING (jurisdiction) JOIN head h USING (jurisdiction)
                WINDOW w AS (PARTITION BY i.jurisdiction ORDER BY i.ord))
            INSERT INTO cc_feed_entry (jurisdiction, seq, event_id, kind, at, incident_id, payload, {{TotalsColumns}})
            SELECT jurisdiction, seq, event_id, kind, at, incident_id, payload, {{TotalsColumns}} FROM numbered
            RETURNING jurisdiction, event_id, seq, {{TotalsColumns}}
            """);
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Jurisdiction).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Append.EventId).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Kind).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Append.At.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Append.Incident.Id).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Counts.Open).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Counts.Overdue).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Counts.Supervised).ToArray() });
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.Counts.Closed).ToArray() });
        return cmd;
    }

    /// <summary>Reads what <see cref="AppendCommand"/> returned: each row written as its feed entry and the feed's totals at it.</summary>
    public static async Task<List<FeedWritten>> ReadWritten(NpgsqlDataReader reader, IReadOnlyList<Row> rows)
    {
        var byFeed = rows.ToDictionary(r => (r.Jurisdiction, r.Append.EventId));
        var written = new List<FeedWritten>(rows.Count);
        while (await reader.ReadAsync())
        {
            var (jurisdiction, eventId) = (reader.GetString(0), reader.GetString(1));
            var row = byFeed[(jurisdiction, eventId)];
            written.Add(new FeedWritten(new FeedEntry(jurisdiction, reader.GetInt64(2), row.Kind, row.Append.At, row.Append.Incident), ReadTotals(reader, 3)));
        }
        return written;
    }

    private const string TotalsColumns = "reported_total, open_total, overdue_total, supervised_total, closed_total";

    /// <summary>The last sequence number and the running totals at it (zeros for an empty feed).</summary>
    public async Task<(long Head, FeedTotals Totals)> Head(string jurisdiction)
    {
        await using var cmd = db.CreateCommand($"SELECT seq, {TotalsColumns} FROM cc_feed_entry WHERE jurisdiction = $1 ORDER BY seq DESC LIMIT 1");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), ReadTotals(reader, 1)) : (0, FeedTotals.Zero);
    }

    /// <summary>The running totals just before <paramref name="instant"/>.</summary>
    public async Task<FeedTotals> TotalsBefore(string jurisdiction, DateTimeOffset instant)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT {TotalsColumns} FROM cc_feed_entry WHERE jurisdiction = $1 AND at < $2 ORDER BY at DESC, seq DESC LIMIT 1");
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = instant.ToUniversalTime() });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadTotals(reader, 0) : FeedTotals.Zero;
    }

    private static FeedTotals ReadTotals(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2), reader.GetInt64(first + 3), reader.GetInt64(first + 4));

    /// <summary>Entries with sequence greater than <paramref name="after"/>, oldest first.</summary>
    public Task<List<FeedEntry>> Read(string jurisdiction, long after, int max) => Query(
        "SELECT seq, kind, at, payload FROM cc_feed_entry WHERE jurisdiction = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        jurisdiction, after, max);

    /// <summary>The newest <paramref name="max"/> entries up to sequence <paramref name="through"/>, oldest first.</summary>
    public async Task<List<FeedEntry>> Latest(string jurisdiction, long through, int max)
    {
        var newestFirst = await Query(
            "SELECT seq, kind, at, payload FROM cc_feed_entry WHERE jurisdiction = $1 AND seq <= $2 ORDER BY seq DESC LIMIT $3",
            jurisdiction, through, max);
        newestFirst.Reverse();
        return newestFirst;
    }

    private async Task<List<FeedEntry>> Query(string sql, string jurisdiction, long sequence, int max)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = jurisdiction });
        cmd.Parameters.Add(new() { Value = sequence });
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
