using CommandCenter.Feeds;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Tracks;

/// <summary>The track history in PostgreSQL (<c>cc_position</c>, one partition per CST day; see <see cref="PositionPartitions"/>).</summary>
public sealed class TrackStore(NpgsqlDataSource db, IOptions<TrackOptions> options, ILogger<TrackStore> log)
{
    /// <summary>Serialises partition changes between silos (creating the same day twice at once fails).</summary>
    private const long PartitionLock = 0x43_43_54_52_41_43_4B_53; // "CCTRACKS"

    /// <summary>Writes positions in one binary COPY. Fails with SQL state 23514 when a position's day has no partition.</summary>
    public async Task Append(IReadOnlyList<WorkerPosition> positions, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await using var copy = await conn.BeginBinaryImportAsync(
            $"COPY {PositionPartitions.Table} (worker_id, at, lat, lng) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var p in positions)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(p.WorkerId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(p.At.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(p.Latitude, NpgsqlDbType.Double, cancellationToken);
            await copy.WriteAsync(p.Longitude, NpgsqlDbType.Double, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>A person's positions in [from, to), oldest first: the first <paramref name="limit"/> of them.</summary>
    public async Task<IReadOnlyList<TrackPoint>> Read(string workerId, DateTimeOffset from, DateTimeOffset to, int limit)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT lat, lng, at FROM {PositionPartitions.Table} WHERE worker_id = $1 AND at >= $2 AND at < $3 ORDER BY at LIMIT $4");
        cmd.Parameters.Add(new() { Value = workerId });
        cmd.Parameters.Add(new() { Value = from.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = to.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = limit });
        await using var reader = await cmd.ExecuteReaderAsync();
        var points = new List<TrackPoint>();
        while (await reader.ReadAsync())
            points.Add(new TrackPoint(reader.GetDouble(0), reader.GetDouble(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return points;
    }

    /// <summary>The day partitions there are now.</summary>
    public async Task<IReadOnlyList<string>> Partitions()
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = $1
            """);
        cmd.Parameters.Add(new() { Value = PositionPartitions.Table });
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Makes the partitions of these days where they are missing.</summary>
    public Task EnsurePartitions(IEnumerable<DateOnly> days) =>
        Change(days.Distinct().Select(day =>
        {
            var (from, to) = PositionPartitions.RangeOf(day);
            return $"CREATE TABLE IF NOT EXISTS {PositionPartitions.NameOf(day)} PARTITION OF {PositionPartitions.Table} "
                + $"FOR VALUES FROM ('{from:O}') TO ('{to:O}')";
        }).ToList());

    /// <summary>
    /// The retention sweep: makes today's and the coming days' partitions and drops the days whose positions have all
    /// left the retention period; answers the partitions dropped.
    /// </summary>
    public async Task<IReadOnlyList<string>> Sweep(DateTimeOffset now)
    {
        await EnsurePartitions(PositionPartitions.DaysToCreate(now, options.Value.DaysAhead));
        var drop = PositionPartitions.ToDrop(await Partitions(), now, options.Value.Retention);
        await Change(drop.Select(name => $"DROP TABLE IF EXISTS {name}").ToList());
        foreach (var name in drop)
            log.LogInformation("Track history: dropped {Partition}, past the {Days}-day retention", name, options.Value.RetentionDays);
        return drop;
    }

    /// <summary>Runs partition statements in one transaction, under a lock that every silo's sweep takes.</summary>
    private async Task Change(IReadOnlyList<string> statements)
    {
        if (statements.Count == 0)
            return;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(new($"SELECT pg_advisory_xact_lock({PartitionLock})"));
        foreach (var statement in statements)
            batch.BatchCommands.Add(new(statement));
        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}
