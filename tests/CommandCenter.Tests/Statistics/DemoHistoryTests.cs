using System.Text.Json;
using CommandCenter.Alerts;
using CommandCenter.Calendar;
using CommandCenter.Categories;
using CommandCenter.Demo;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;
using CommandCenter.Tests.Infrastructure;
using Npgsql;

namespace CommandCenter.Tests.Statistics;

/// <summary>
/// The county history the statistics bench writes (<see cref="DemoHistory"/>), on a database of its own with the demo
/// county: every incident's stored log folds to its stored row, as its grain would load it; the statistics it rolled up
/// are what the stored logs add up to by <see cref="StatFacts"/>; the loop's every turn occurs; the alerts are all
/// signed or sent up; only the last days' cases are still open; the notable cases of a period the store lists are
/// those whose logs add the matching measure within it; each village's disputes open now are what its accepted − closed
/// add up to (the four-no villages' backlog).
/// </summary>
public sealed class DemoHistoryTests
{
    private static readonly DateTimeOffset First = new(2025, 12, 1, 0, 0, 0, ChinaTime.Offset);
    private static readonly DateTimeOffset Last = new(2026, 11, 30, 18, 0, 0, ChinaTime.Offset);

    /// <summary>The period whose notable cases (重点案件) are listed: March to May, China days.</summary>
    private static readonly DateOnly NotableFirst = new(2026, 3, 1), NotableLast = new(2026, 5, 31);

    /// <summary>Each notable event with the measure of the statistics it is: a report's list of them and its figure agree.</summary>
    private static readonly Dictionary<NotableEvent, StatMeasure> NotableMeasures = new()
    {
        [NotableEvent.Supervised] = StatMeasure.Supervised,
        [NotableEvent.Reopened] = StatMeasure.Reopened,
        [NotableEvent.Dissatisfied] = StatMeasure.RatedDissatisfied,
    };

    [Fact]
    public async Task A_generated_year_folds_to_its_rows_and_its_statistics_are_its_event_logs()
    {
        await using var db = NpgsqlDataSource.Create(await TestEnvironment.FreshDatabase("cc_demo_history"));
        var tree = JurisdictionGeoJson.Parse(DemoCounty.GeoJson()).Tree!;
        var store = new JurisdictionStore(db);
        await store.ReplaceTree(tree);
        await store.UpsertPeopleAndCameras(
            DemoCounty.Workers(tree).Select(w => new WorkerRecord(w.Id, w.Name, w.Role, w.GridCode, w.Latitude, w.Longitude)).ToList(), []);
        var township = tree.ChildrenOf(tree.Root.Code)[0].Code;
        await using (var police = db.CreateCommand("""
            INSERT INTO cc_account (username, display_name, role, jurisdictions, password_hash)
            VALUES ('police-history', '历史民警', 'PatrolPolice', ARRAY[$1], 'x')
            """))
        {
            police.Parameters.Add(new() { Value = township });
            await police.ExecuteNonQueryAsync();
        }

        var figures = await new DemoHistory(db, new AlertOptions()).Write(3000, First, Last, seed: 18);
        Assert.Equal(3000, figures.Incidents);

        var ids = await Column<Guid>(db, "SELECT id FROM cc_incident ORDER BY id");
        Assert.Equal(3000, ids.Count);
        var calendar = await new CalendarService(db, TimeProvider.System).Current();
        var expected = Enum.GetValues<StatMeasure>().ToDictionary(m => m, _ => 0L);
        var events = 0L;
        var notable = NotableMeasures.Keys.ToDictionary(n => n, _ => new SortedSet<Guid>());
        foreach (var id in ids)
        {
            var log = await new IncidentStore(db).Load(id);
            events += log.Count;
            var (history, changes) = StatFacts.Fold(IncidentHistory.Empty, id, log, calendar);
            foreach (var change in changes.Where(c => c.Day >= ChinaTime.Day(First) && c.Day <= ChinaTime.Day(Last)))
            {
                foreach (var measure in change.Measures)
                    expected[measure]++;
            }
            foreach (var (kind, measure) in NotableMeasures)
            {
                if (changes.Any(c => c.Day >= NotableFirst && c.Day <= NotableLast && c.Measures.Contains(measure)))
                    notable[kind].Add(id);
            }
            var stored = await Scalar<string>(db, "SELECT details::text FROM cc_incident WHERE id = $1", id);
            Assert.Equal(JsonSerializer.Serialize(history.Details, Json.Options),
                JsonSerializer.Serialize(JsonSerializer.Deserialize<IncidentDetails>(stored, Json.Options), Json.Options));
        }
        Assert.Equal(figures.Events, events);

        var disputes = (await new CategoryStore(db).Load()).List.CodesOf(CategoryKind.Dispute);
        var sums = Assert.Single(await new StatStore(db).Sums([tree.Root.Code], ChinaTime.Day(First), ChinaTime.Day(Last), StatGrouping.Total, disputes));
        foreach (var (measure, count) in expected)
            Assert.True(count == sums.All[measure], $"{measure}: rolled up {sums.All[measure]}, the stored logs add up to {count}");
        Assert.Equal(3000, sums.All[StatMeasure.Reported]);
        foreach (var measure in new[] { StatMeasure.Rejected, StatMeasure.Merged, StatMeasure.Escalated, StatMeasure.Reopened,
                     StatMeasure.RoutedToDepartment, StatMeasure.Supervised, StatMeasure.ClosedAtGrid, StatMeasure.ClosedAtVillage,
                     StatMeasure.ClosedAtTownship, StatMeasure.ClosedAbove, StatMeasure.RatedDissatisfied })
            Assert.True(sums.All[measure] > 0, $"the year has no {measure}: the generator should make some");
        Assert.True(sums.All[StatMeasure.Closed] > 2700, $"only {sums.All[StatMeasure.Closed]} of 3,000 closed");

        foreach (var (kind, cases) in notable)
        {
            Assert.True(cases.Count > 0, $"the spring has no {kind} case: the generator should make some");
            var listed = await new IncidentStore(db).List(new IncidentFilter(tree.Root.Code, Limit: IncidentStore.MaxListed,
                Notable: NotableWithin.Days(kind, NotableFirst, NotableLast)));
            Assert.Equal(cases, new SortedSet<Guid>(listed.Select(i => i.Id)));
            Assert.Equal(cases.Count, listed.Count);
        }

        var villages = tree.All.Where(j => j.Level == JurisdictionLevel.Village).Select(j => j.Code).ToList();
        var stats = new StatStore(db);
        var summed = await stats.AcceptedAndClosed(villages, DateOnly.MinValue, ChinaTime.Day(DateTimeOffset.UtcNow), disputes);
        var openNow = await stats.AcceptedNotClosedNow(villages, disputes);
        Assert.True(openNow.Values.Sum() > 0, "no dispute is open: the four-no villages' backlog is not tried");
        Assert.Equal(villages.ToDictionary(v => v, v => summed.GetValueOrDefault(v).Accepted - summed.GetValueOrDefault(v).Closed),
            villages.ToDictionary(v => v, v => openNow.GetValueOrDefault(v)));

        Assert.True(await Scalar<long>(db, "SELECT count(*) FROM cc_alert") > 0, "the township's patrol officer was alerted of nothing");
        Assert.Equal(0L, await Scalar<long>(db, "SELECT count(*) FROM cc_alert WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND due_at <= now()"));
        var open = await Column<DateTime>(db, """
            SELECT reported_at FROM cc_incident WHERE status IN ('reported', 'verified', 'ticketed', 'dispatched', 'accepted', 'handled')
            """);
        Assert.Equal(figures.Open, open.Count);
        Assert.All(open, reported => Assert.True(reported > Last.UtcDateTime.AddDays(-30), $"a case reported {reported:u} is still open"));
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource db, string sql, Guid? id = null)
    {
        await using var cmd = db.CreateCommand(sql);
        if (id is { } value)
            cmd.Parameters.Add(new() { Value = value });
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<T>> Column<T>(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
            values.Add(reader.GetFieldValue<T>(0));
        return values;
    }
}
