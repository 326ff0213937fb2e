using Npgsql;

namespace CommandCenter.Categories;

/// <summary>The configured categories in PostgreSQL (<c>cc_category</c>), with the version every change bumps.</summary>
public sealed class CategoryStore(NpgsqlDataSource db)
{
    public async Task<long> Version()
    {
        await using var cmd = db.CreateCommand("SELECT version FROM cc_category_version");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<(long Version, CategoryList List)> Load()
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        long version;
        await using (var cmd = new NpgsqlCommand("SELECT version FROM cc_category_version", conn, tx))
            version = (long)(await cmd.ExecuteScalarAsync())!;
        var categories = new List<IncidentCategory>();
        await using (var cmd = new NpgsqlCommand("SELECT code, name, sort_order, active, counts_as FROM cc_category", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                categories.Add(new IncidentCategory(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetBoolean(3),
                    r.GetFieldValue<string[]>(4).Select(word => Enum.Parse<CategoryKind>(word, ignoreCase: true)).ToList()));
        }
        await tx.CommitAsync();
        return (version, new CategoryList(categories));
    }

    /// <summary>Adds or replaces the category of its code and bumps the version, in one transaction.</summary>
    public async Task Save(IncidentCategory category)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO cc_category (code, name, sort_order, active, counts_as) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, sort_order = EXCLUDED.sort_order, active = EXCLUDED.active,
                counts_as = EXCLUDED.counts_as
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue(category.Code);
            cmd.Parameters.AddWithValue(category.Name);
            cmd.Parameters.AddWithValue(category.Order);
            cmd.Parameters.AddWithValue(category.Active);
            cmd.Parameters.AddWithValue(category.CountsAs.Select(k => Json.Word(k)).ToArray());
            await cmd.ExecuteNonQueryAsync();
        }
        await using (var cmd = new NpgsqlCommand("UPDATE cc_category_version SET version = version + 1, changed_at = now()", conn, tx))
            await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}
