using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommandCenter.Silo.Hosting;

/// <summary>
/// Applies the SQL under deploy/sql (embedded in this assembly) once each, in order: the vendored Orleans
/// scripts first, then the app's. Safe to run from several hosts at once (advisory lock).
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource db, ILogger<SchemaMigrator> log)
{
    private const long LockKey = 0x43_43_53_43_48_45_4D_41; // "CCSCHEMA"

    public static IReadOnlyList<string> Scripts() =>
        typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal))
            .Select(n => n.Replace('\\', '/'))
            .OrderBy(n => n.StartsWith("sql/orleans/", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();

    public Task Apply(CancellationToken cancellationToken = default) => Apply(through: null, cancellationToken);

    /// <summary>
    /// Applies the scripts not yet applied, in order, up to and including <paramref name="through"/> (null: all of them):
    /// a migration's test stops before it, writes data as the product did then, and applies the rest.
    /// </summary>
    public async Task Apply(string? through, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await Execute(conn, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await Execute(conn, "CREATE TABLE IF NOT EXISTS cc_schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("SELECT name FROM cc_schema_migration", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    applied.Add(reader.GetString(0));
            }

            var scripts = Scripts();
            var last = through is null ? scripts.Count - 1 : scripts.ToList().IndexOf(through);
            if (last < 0)
                throw new ArgumentException($"No script {through}.", nameof(through));
            foreach (var name in scripts.Take(last + 1).Where(n => !applied.Contains(n)))
            {
                await using var tx = await conn.BeginTransactionAsync(cancellationToken);
                await Execute(conn, await Read(name), cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO cc_schema_migration (name) VALUES ($1)", conn, tx))
                {
                    record.Parameters.Add(new() { Value = name });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await tx.CommitAsync(cancellationToken);
                log.LogInformation("Applied {Script}", name);
            }
        }
        finally
        {
            await Execute(conn, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task<string> Read(string name)
    {
        await using var stream = typeof(SchemaMigrator).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded script {name}.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
