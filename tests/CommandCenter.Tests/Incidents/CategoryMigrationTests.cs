using System.Text.Json;
using CommandCenter.Incidents;
using CommandCenter.Silo.Hosting;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommandCenter.Tests.Incidents;

/// <summary>
/// The migration that made categories codes (deploy/sql/app/024-categories.sql), on a database of its own: incidents,
/// feed entries, alerts and an account's alert categories written as the product wrote them before it, in free text,
/// come out with codes, the reported event keeps what was typed, and the history still folds.
/// </summary>
public sealed class CategoryMigrationTests
{
    private const string Before = "sql/app/023-conference-floor.sql";

    [Fact]
    public async Task Free_text_categories_are_mapped_once_to_codes_and_unknown_ones_to_other()
    {
        var connection = await TestEnvironment.EmptyDatabase("cc_category_migration");
        await using var db = NpgsqlDataSource.Create(connection);
        var migrator = new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance);
        await migrator.Apply(through: Before);
        var at = DateTimeOffset.Parse("2026-11-20T09:15:00+08:00");
        var typed = new Dictionary<Guid, string>
        {
            [Guid.NewGuid()] = "矛盾纠纷",
            [Guid.NewGuid()] = "设施故障",
            [Guid.NewGuid()] = "<script>window.__xss=4</script>",
            [Guid.NewGuid()] = "信访",
        };
        foreach (var (id, category) in typed)
            await WriteAsBefore(db, id, category, at);
        await using (var account = db.CreateCommand("""
            INSERT INTO cc_account (username, display_name, role, jurisdictions, password_hash, alert_categories)
            VALUES ('police-old', '老民警', 'PatrolPolice', '{G1}', 'x', '{治安隐患,安全隐患,不存在的类别}')
            """))
            await account.ExecuteNonQueryAsync();

        await migrator.Apply();

        var expected = new Dictionary<string, string>
        {
            ["矛盾纠纷"] = "dispute", ["设施故障"] = "facility.camera", ["<script>window.__xss=4</script>"] = "other", ["信访"] = "petition",
        };
        foreach (var (id, category) in typed)
        {
            var code = expected[category];
            Assert.Equal(code, await Scalar<string>(db, "SELECT category FROM cc_incident WHERE id = $1", id));
            Assert.Equal(code, await Scalar<string>(db, "SELECT details->>'category' FROM cc_incident WHERE id = $1", id));
            Assert.Equal(code, await Scalar<string>(db, "SELECT payload->>'category' FROM cc_feed_entry WHERE incident_id = $1", id));
            Assert.Equal(code, await Scalar<string>(db, "SELECT category FROM cc_alert WHERE incident_id = $1", id));
            Assert.Equal(category, await Scalar<string>(db, "SELECT data->>'categoryAsReported' FROM cc_incident_event WHERE incident_id = $1", id));
            var events = await new IncidentStore(db).Load(id);
            Assert.Equal(code, IncidentHistory.Of(id, events).Details!.Category);
        }
        Assert.Equal(["other", "safety", "security"], await Scalar<string[]>(db, "SELECT alert_categories FROM cc_account WHERE username = 'police-old'", null));
    }

    /// <summary>A report's rows as the product wrote them before categories were codes: its event, its read-model row, a feed entry and an alert.</summary>
    private static async Task WriteAsBefore(NpgsqlDataSource db, Guid id, string category, DateTimeOffset at)
    {
        var report = new ReportIncident(IncidentSource.GridWorker, category, "迁移前的事件", "", 36.5, 104.1, null, "G1", ["G1", "V1", "T1", "C1"],
            "user:worker-1", "GridWorker");
        var reported = IncidentHistory.NewReport(report, at);
        var state = IncidentHistory.Of(id, [reported]).Details!;
        var (day, path) = (at.ToUniversalTime(), new[] { "G1", "V1", "T1", "C1" });
        await Execute(db, """
            INSERT INTO cc_incident_event (incident_id, seq, kind, at, actor, actor_role, data)
            VALUES ($1, 1, 'reported', $2, 'user:worker-1', 'GridWorker', $3::jsonb)
            """, id, day, reported.Data);
        await Execute(db, """
            INSERT INTO cc_incident (id, path, grid_code, level, source, category, status, latitude, longitude, reported_at, updated_at, due,
                                     overdue, last_seq, details)
            VALUES ($1, $2, 'G1', 'grid', 'gridWorker', $3, 'reported', 36.5, 104.1, $4, $4, NULL, false, 1, $5::jsonb)
            """, id, path, category, day, JsonSerializer.Serialize(state, Json.Options));
        await Execute(db, """
            INSERT INTO cc_feed_entry (jurisdiction, seq, event_id, kind, at, incident_id, payload, reported_total, open_total)
            SELECT 'G1', coalesce(max(seq), 0) + 1, $1::text || ':1', 'reported', $2, $1, $3::jsonb, 1, 1 FROM cc_feed_entry WHERE jurisdiction = 'G1'
            """, id, day, JsonSerializer.Serialize(state.ToSummary(), Json.Options));
        await Execute(db, """
            INSERT INTO cc_alert (id, incident_id, seq, username, display_name, kind, grid_code, path, category, title, created_at, due_at)
            VALUES (gen_random_uuid(), $1, 1, 'police-old', '老民警', 'inGrid', 'G1', $2, $3, '迁移前的事件', $4, $4)
            """, id, path, category, day);
    }

    private static async Task Execute(NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var value in values)
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource db, string sql, Guid? id)
    {
        await using var cmd = db.CreateCommand(sql);
        if (id is { } value)
            cmd.Parameters.AddWithValue(value);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
