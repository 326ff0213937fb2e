using Npgsql;

namespace CommandCenter.Faults;

/// <summary>What one feed holds wrongly: incidents reported on it twice or more, incidents of its area not on it, and
/// sequence numbers from 1 to its head without an entry (or entries numbered outside that range).</summary>
public sealed record FeedFaults(int Doubled, int Missing, long Gaps)
{
    public bool Any => Doubled != 0 || Missing != 0 || Gaps != 0;

    public static FeedFaults operator +(FeedFaults a, FeedFaults b) => new(a.Doubled + b.Doubled, a.Missing + b.Missing, a.Gaps + b.Gaps);
}

/// <summary>The county feed's faults and head, and the sum of every other feed's (townships, villages, grids).</summary>
public sealed record FeedCount(FeedFaults County, long CountyHead, FeedFaults Others, int OtherFeeds)
{
    /// <summary>The lines doubled, missing, feed gaps and other feeds of a scenario's figures.</summary>
    public void Print()
    {
        Console.WriteLine($"doubled       {County.Doubled,6}   (incidents with more than one incident.reported entry on the county feed)");
        Console.WriteLine($"missing       {County.Missing,6}   (incidents in cc_incident without an incident.reported entry on the county feed)");
        Console.WriteLine($"feed gaps     {County.Gaps,6}   (sequence numbers 1..{CountyHead} without an entry on the county feed, or entries past it)");
        Console.WriteLine($"other feeds   {Others.Doubled} doubled, {Others.Missing} missing, {Others.Gaps} gaps over {OtherFeeds} township, village and grid feeds");
    }
}

/// <summary>An incident's deadline as its row holds it, and when it was reported (both on the product's clock).</summary>
public sealed record DueRow(DateTimeOffset Due, DateTimeOffset ReportedAt);

/// <summary>
/// What the product recorded of an incident's missed deadlines: the events of its log that record one (overdue, or a
/// supervision escalated) and the incident.supervised entries they made on the county feed.
/// </summary>
public sealed record MissedCount(int Events, int CountyEntries);

/// <summary>
/// Counts in PostgreSQL, on a connection of its own, what the product stored: no answer of the product is trusted here.
/// </summary>
public sealed class StoreCheck(string connectionString)
{
    /// <summary>Those of <paramref name="ids"/> that have no row in <c>cc_incident</c>.</summary>
    public async Task<IReadOnlySet<Guid>> Absent(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var connection = await Open(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT u.id FROM unnest(@ids) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM cc_incident i WHERE i.id = u.id)", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var absent = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            absent.Add(reader.GetGuid(0));
        return absent;
    }

    /// <summary>
    /// Every feed against <c>cc_incident</c> and <c>cc_feed_head</c>: each incident must have exactly one
    /// <c>incident.reported</c> entry on the feed of every area of its path (county, township, village, grid), and each
    /// feed's entries must be numbered 1 to its head without a gap.
    /// </summary>
    public async Task<FeedCount> Feeds(string county, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH doubled AS (
                SELECT jurisdiction, count(*) AS n FROM (
                    SELECT jurisdiction FROM cc_feed_entry WHERE kind = 'incident.reported'
                    GROUP BY jurisdiction, incident_id HAVING count(*) > 1) d
                GROUP BY jurisdiction),
            missing AS (
                SELECT p.code AS jurisdiction, count(*) AS n
                FROM cc_incident i CROSS JOIN LATERAL unnest(i.path) AS p(code)
                WHERE NOT EXISTS (SELECT 1 FROM cc_feed_entry e
                                  WHERE e.jurisdiction = p.code AND e.incident_id = i.id AND e.kind = 'incident.reported')
                GROUP BY p.code),
            numbered AS (
                SELECT e.jurisdiction,
                       count(*) FILTER (WHERE e.seq BETWEEN 1 AND coalesce(h.seq, 0)) AS within,
                       count(*) FILTER (WHERE e.seq NOT BETWEEN 1 AND coalesce(h.seq, 0)) AS outside
                FROM cc_feed_entry e LEFT JOIN cc_feed_head h USING (jurisdiction)
                GROUP BY e.jurisdiction),
            feeds AS (
                SELECT jurisdiction FROM cc_feed_head UNION SELECT jurisdiction FROM numbered
                UNION SELECT jurisdiction FROM missing)
            SELECT f.jurisdiction, coalesce(h.seq, 0),
                   coalesce(d.n, 0)::int, coalesce(m.n, 0)::int,
                   coalesce(h.seq, 0) - coalesce(n.within, 0) + coalesce(n.outside, 0)
            FROM feeds f
            LEFT JOIN cc_feed_head h USING (jurisdiction)
            LEFT JOIN doubled d USING (jurisdiction)
            LEFT JOIN missing m USING (jurisdiction)
            LEFT JOIN numbered n USING (jurisdiction)
            """;
        await using var connection = await Open(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        FeedFaults? countyFaults = null;
        long countyHead = 0;
        var others = new FeedFaults(0, 0, 0);
        var otherFeeds = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var faults = new FeedFaults(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4));
            if (reader.GetString(0) == county)
            {
                countyFaults = faults;
                countyHead = reader.GetInt64(1);
            }
            else
            {
                others += faults;
                otherFeeds++;
            }
        }
        return new FeedCount(countyFaults ?? throw new InvalidOperationException($"the county {county} has no feed in cc_feed_head"),
            countyHead, others, otherFeeds);
    }

    /// <summary>The deadline (<c>cc_incident.due</c>) and report time of each of <paramref name="ids"/> that has one.</summary>
    public async Task<IReadOnlyDictionary<Guid, DueRow>> Dues(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var connection = await Open(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, due, reported_at FROM cc_incident WHERE id = ANY(@ids) AND due IS NOT NULL", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var dues = new Dictionary<Guid, DueRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            dues[reader.GetGuid(0)] = new DueRow(reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
        return dues;
    }

    /// <summary>
    /// For each of <paramref name="ids"/>: its events of kind <c>overdue</c> or <c>supervisionEscalated</c> in
    /// <c>cc_incident_event</c> (a missed deadline, as the log records it) and its <c>incident.supervised</c> entries on the
    /// feed of <paramref name="county"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, MissedCount>> Missed(IReadOnlyCollection<Guid> ids, string county, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT u.id,
                   (SELECT count(*) FROM cc_incident_event e
                    WHERE e.incident_id = u.id AND e.kind IN ('overdue', 'supervisionEscalated'))::int,
                   coalesce(f.n, 0)::int
            FROM unnest(@ids) AS u(id)
            LEFT JOIN (SELECT incident_id, count(*) AS n FROM cc_feed_entry
                       WHERE jurisdiction = @county AND kind = 'incident.supervised' GROUP BY incident_id) f ON f.incident_id = u.id
            """;
        await using var connection = await Open(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("county", county);
        var missed = new Dictionary<Guid, MissedCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            missed[reader.GetGuid(0)] = new MissedCount(reader.GetInt32(1), reader.GetInt32(2));
        return missed;
    }

    /// <summary>The feed's last sequence number (<c>cc_feed_head</c>), 0 when it has none yet.</summary>
    public async Task<long> Head(string jurisdiction, CancellationToken cancellationToken)
    {
        await using var connection = await Open(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT coalesce((SELECT seq FROM cc_feed_head WHERE jurisdiction = @j), 0)", connection);
        command.Parameters.AddWithValue("j", jurisdiction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<NpgsqlConnection> Open(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
