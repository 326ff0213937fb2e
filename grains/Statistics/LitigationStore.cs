using Npgsql;

namespace CommandCenter.Statistics;

/// <summary>A village's litigation cases of a year, as recorded by hand from the courts' figures.</summary>
public sealed record LitigationRecord(string Village, int Year, int Cases, string Note, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>The litigation records of the four-no villages in PostgreSQL (<c>cc_litigation</c>).</summary>
public sealed class LitigationStore(NpgsqlDataSource db)
{
    public async Task<IReadOnlyDictionary<string, LitigationRecord>> Of(IReadOnlyCollection<string> villages, int year)
    {
        await using var cmd = db.CreateCommand(
            "SELECT village, year, cases, note, recorded_by, recorded_at FROM cc_litigation WHERE village = ANY($1) AND year = $2");
        cmd.Parameters.Add(new() { Value = villages.ToArray() });
        cmd.Parameters.Add(new() { Value = year });
        await using var reader = await cmd.ExecuteReaderAsync();
        var records = new Dictionary<string, LitigationRecord>();
        while (await reader.ReadAsync())
        {
            records[reader.GetString(0)] = new LitigationRecord(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
        }
        return records;
    }

    /// <summary>Records (or replaces) the village's figure of the year.</summary>
    public async Task Save(LitigationRecord record)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_litigation (village, year, cases, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (village, year) DO UPDATE SET cases = EXCLUDED.cases, note = EXCLUDED.note, recorded_by = EXCLUDED.recorded_by,
                recorded_at = EXCLUDED.recorded_at
            """);
        cmd.Parameters.Add(new() { Value = record.Village });
        cmd.Parameters.Add(new() { Value = record.Year });
        cmd.Parameters.Add(new() { Value = record.Cases });
        cmd.Parameters.Add(new() { Value = record.Note });
        cmd.Parameters.Add(new() { Value = record.RecordedBy });
        cmd.Parameters.Add(new() { Value = record.RecordedAt.ToUniversalTime() });
        await cmd.ExecuteNonQueryAsync();
    }
}
