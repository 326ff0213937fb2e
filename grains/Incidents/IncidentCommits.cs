using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Alerts;
using CommandCenter.Feeds;
using CommandCenter.Statistics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Incidents;

/// <summary>
/// One change of one incident: its events, the state they lead to, one feed append per event (for the grid and every
/// ancestor on the state's path, and for a move those it left) and, when a person or an integration asked for it, its audit row.
/// </summary>
public sealed record IncidentCommit(Guid Incident, IReadOnlyList<IncidentEvent> Events, IncidentDetails State, IReadOnlyList<FeedAppend> Feed,
    AuditEntry? Audit, IReadOnlyList<StatChange> Stats);

/// <summary>
/// The one write path of incidents: a change's events (<c>cc_incident_event</c>), its read-model row (<c>cc_incident</c>,
/// with the time the deadline sweep next looks at it), its entries on every feed of its path (<c>cc_feed_entry</c>,
/// numbered from <c>cc_feed_head</c>), its audit row (<c>cc_audit</c>) and the alerts it raises or signs (<c>cc_alert</c>,
/// <see cref="AlertRules"/>) and its additions to the statistics (<c>cc_stat_day</c>, <c>cc_stat_time</c>,
/// <see cref="StatStore"/>) go into PostgreSQL in one transaction. The
/// changes of every incident of this silo are group-committed: whatever waits when a round can start is written in
/// one batch of statements and one commit (one fsync), with up to <see cref="RoundsAtOnce"/> rounds at once. After the
/// commit the feeds are told what was written (<see cref="FeedNotifier"/>), and a change's caller hears of it once its
/// feeds have.
/// </summary>
public sealed class IncidentCommits : IAsyncDisposable
{
    /// <summary>
    /// Two rounds at once: one prepares and writes its incidents while the other numbers its feed entries and commits
    /// (the feed head rows order them). Their feeds may be told in either order; a feed reads an entry it was told
    /// after a later one back from PostgreSQL.
    /// </summary>
    public const int RoundsAtOnce = 2;

    private readonly NpgsqlDataSource _db;
    private readonly FeedNotifier _feeds;
    private readonly AlertOptions _alerts;
    private readonly GroupCommit<IncidentCommit, Task> _commit;

    public IncidentCommits(NpgsqlDataSource db, FeedNotifier feeds, IOptions<AlertOptions> alerts, ILogger<IncidentCommits> log)
    {
        (_db, _feeds, _alerts) = (db, feeds, alerts.Value);
        _commit = new GroupCommit<IncidentCommit, Task>(Write, log, "incident changes", RoundsAtOnce);
    }

    /// <summary>
    /// Commits one change, durable when the task completes (and its feeds told). A row with a sequence already there
    /// (a second writer) fails the batch, and with it the changes committed alongside; their grains' callers retry.
    /// </summary>
    public async Task Commit(IncidentCommit change) => await await _commit.Add(change);

    public ValueTask DisposeAsync() => _commit.DisposeAsync();

    private async Task<IReadOnlyList<Task>> Write(IReadOnlyList<IncidentCommit> changes)
    {
        var feedRows = new List<FeedStore.Row>();
        foreach (var change in changes)
        {
            foreach (var append in change.Feed)
            {
                var payload = JsonSerializer.Serialize(append.Incident, Json.Options);
                feedRows.AddRange(append.Feeds(change.State.Path).Select(feed => new FeedStore.Row(feed.Feed, append, payload, feed.Kind, feed.Counts)));
            }
        }

        // The feed rows go last: their head rows' locks (taken in code order) are held only from there to the commit,
        // so the statements before them run while another round commits.
        await using var batch = _db.CreateBatch();
        foreach (var statement in Statements(changes, _alerts))
            batch.BatchCommands.Add(statement);
        batch.BatchCommands.Add(FeedStore.AppendCommand(feedRows));
        List<FeedWritten> written;
        // Without a transaction of its own a batch is one implicit transaction: every statement commits, or none does.
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            // Only the feed statement returns rows (the reader passes over the results of the others).
            while (reader.FieldCount == 0 && await reader.NextResultAsync())
            {
            }
            written = await FeedStore.ReadWritten(reader, feedRows);
        }
        var told = _feeds.Tell(written);
        return changes.Select(_ => told).ToList();
    }

    /// <summary>
    /// The statements of a round but its feed entries: the events and read-model rows, the audit rows, the alerts
    /// raised and signed, and the additions to the statistics (whose day rows, shared by every commit of the day like
    /// the feed heads, stay locked from here to the commit). The demo county's history (<c>DemoHistory</c>) writes
    /// its past with these.
    /// </summary>
    public static IReadOnlyList<NpgsqlBatchCommand> Statements(IReadOnlyList<IncidentCommit> changes, AlertOptions alertOptions)
    {
        var audits = changes.Select(c => c.Audit).OfType<AuditEntry>().ToList();
        var alerts = changes.SelectMany(c => AlertRules.Of(c.Incident, c.Events, c.State, alertOptions)).ToList();
        var signed = changes.SelectMany(c => AlertRules.SignedBy(c.Incident, c.Events, c.State)).ToList();
        var statements = new List<NpgsqlBatchCommand> { IncidentRows(changes) };
        if (audits.Count > 0)
            statements.Add(AuditLog.InsertCommand(audits));
        if (alerts.Count > 0)
            statements.Add(AlertStore.InsertCommand(alerts));
        if (signed.Count > 0)
            statements.Add(AlertStore.SignCommand(signed));
        statements.AddRange(StatStore.AddCommands(changes.Select(c => new StatRows(c.State, c.Stats)).ToList()));
        return statements;
    }

    private static NpgsqlBatchCommand IncidentRows(IReadOnlyList<IncidentCommit> changes)
    {
        var events = changes.SelectMany(c => c.Events.Select(e => (c.Incident, Event: e))).ToList();
        var states = changes.Select(c => c.State).ToList();
        var cmd = new NpgsqlBatchCommand("""
            WITH events AS (
                INSERT INTO cc_incident_event (incident_id, seq, kind, at, actor, actor_role, data)
                SELECT i, s, k, a, ac, r, d::jsonb FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])
                    AS t(i, s, k, a, ac, r, d))
            INSERT INTO cc_incident (id, path, grid_code, level, source, category, status, latitude, longitude, reported_at,
                                     updated_at, due, overdue, supervised_by, assignee_kind, assignee_id, last_seq, details, review_at)
            SELECT id, string_to_array(path, ' '), grid, lvl, src, cat, st, lat, lng, rep, upd, due, od, sup, ak, ai, seq, det::jsonb, rev
            FROM unnest($8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::float8[], $16::float8[],
                        $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::bool[], $21::text[], $22::text[], $23::text[], $24::int[],
                        $25::text[], $26::timestamptz[])
                AS s(id, path, grid, lvl, src, cat, st, lat, lng, rep, upd, due, od, sup, ak, ai, seq, det, rev)
            ON CONFLICT (id) DO UPDATE SET path = EXCLUDED.path, grid_code = EXCLUDED.grid_code, level = EXCLUDED.level, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                due = EXCLUDED.due, overdue = EXCLUDED.overdue, supervised_by = EXCLUDED.supervised_by,
                assignee_kind = EXCLUDED.assignee_kind, assignee_id = EXCLUDED.assignee_id, last_seq = EXCLUDED.last_seq, details = EXCLUDED.details,
                review_at = EXCLUDED.review_at
            WHERE cc_incident.last_seq < EXCLUDED.last_seq
            """);
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Incident).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Kind).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.At).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Actor).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.ActorRole).ToArray() });
        cmd.Parameters.Add(new() { Value = events.Select(r => r.Event.Data).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Id).ToArray() });
        // Codes contain no spaces (the importer checks), so the path travels as one text per incident.
        cmd.Parameters.Add(new() { Value = states.Select(s => string.Join(' ', s.Path)).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.GridCode).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Level).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => Json.Word(s.Source)).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Category).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => Json.Word(s.Status)).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Latitude).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Longitude).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.ReportedAt.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => s.UpdatedAt.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(Times(states.Select(s => s.Deadline?.Due)));
        cmd.Parameters.Add(new() { Value = states.Select(s => s.Overdue).ToArray() });
        cmd.Parameters.Add(Texts(states.Select(s => s.Supervision?.By)));
        cmd.Parameters.Add(Texts(states.Select(s => s.Assignee is { } a ? Json.Word(a.Kind) : null)));
        cmd.Parameters.Add(Texts(states.Select(s => s.Assignee?.Id)));
        cmd.Parameters.Add(new() { Value = changes.Select(c => c.Events[^1].Sequence).ToArray() });
        cmd.Parameters.Add(new() { Value = states.Select(s => JsonSerializer.Serialize(s, Json.Options)).ToArray() });
        cmd.Parameters.Add(Times(states.Select(Deadlines.NextReview)));
        return cmd;
    }

    private static NpgsqlParameter Times(IEnumerable<DateTimeOffset?> values) =>
        new() { Value = values.Select(v => v?.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
