using Npgsql;

namespace CommandCenter.Access;

/// <summary>Accounts and integrations in PostgreSQL.</summary>
public sealed class AccountStore(NpgsqlDataSource db)
{
    private const string AccountColumns = "username, display_name, role, jurisdictions, worker_id, password_hash, failed_sign_ins, locked_until, disabled, stamp";

    public async Task<Account?> Find(string username)
    {
        await using var cmd = db.CreateCommand($"SELECT {AccountColumns} FROM cc_account WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadAccount(reader) : null;
    }

    public async Task<IReadOnlyList<Account>> List()
    {
        await using var cmd = db.CreateCommand($"SELECT {AccountColumns} FROM cc_account ORDER BY username");
        await using var reader = await cmd.ExecuteReaderAsync();
        var accounts = new List<Account>();
        while (await reader.ReadAsync())
            accounts.Add(ReadAccount(reader));
        return accounts;
    }

    /// <summary>Creates the account; false when the username is taken.</summary>
    public async Task<bool> Create(NewAccount account, string passwordHash)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_account (username, display_name, role, jurisdictions, worker_id, password_hash)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING
            """);
        AddAccount(cmd, account, passwordHash);
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Creates people's accounts within a transaction (a people list's); returns how many were created (a taken username is not).</summary>
    public static async Task<int> CreatePeoplesAccounts(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<(NewAccount Account, string PasswordHash)> created)
    {
        var count = 0;
        foreach (var (account, hash) in created)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO cc_account (username, display_name, role, jurisdictions, worker_id, password_hash)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING
                """, conn, tx);
            AddAccount(cmd, account, hash);
            count += await cmd.ExecuteNonQueryAsync();
        }
        return count;
    }

    /// <summary>Gives people's own accounts their names and jurisdictions within a transaction; returns how many were theirs.</summary>
    public static async Task<int> RebindPeoplesAccounts(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<NewAccount> rebound)
    {
        if (rebound.Count == 0)
            return 0;
        await using var cmd = new NpgsqlCommand("""
            UPDATE cc_account a SET display_name = r.n, jurisdictions = string_to_array(r.j, ' ')
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(u, n, j, w)
            WHERE a.username = r.u AND a.worker_id = r.w
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = rebound.Select(a => a.Username).ToArray() });
        cmd.Parameters.Add(new() { Value = rebound.Select(a => a.DisplayName).ToArray() });
        cmd.Parameters.Add(new() { Value = rebound.Select(a => string.Join(' ', a.Jurisdictions)).ToArray() });
        cmd.Parameters.Add(new() { Value = rebound.Select(a => a.WorkerId!).ToArray() });
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Sets a new password and lifts any lock; the security stamp moves, so every session of the account ends. False when
    /// there is no such account.
    /// </summary>
    public async Task<bool> SetPassword(string username, string passwordHash)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE cc_account SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL, stamp = stamp + 1 WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue(passwordHash);
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Replaces the account's name, role, jurisdictions and worker; answers the account as it is now, null when there is none.</summary>
    public async Task<Account?> Update(string username, NewAccount account)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE cc_account SET display_name = $2, role = $3, jurisdictions = $4, worker_id = $5 WHERE username = $1
            RETURNING {AccountColumns}
            """);
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue(account.DisplayName);
        cmd.Parameters.AddWithValue(account.Role.ToString());
        cmd.Parameters.AddWithValue(account.Jurisdictions.ToArray());
        cmd.Parameters.AddWithValue((object?)account.WorkerId ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadAccount(reader) : null;
    }

    /// <summary>Disables or enables the account (a disabled one cannot sign in and its sessions are over); false when there is none.</summary>
    public async Task<bool> SetDisabled(string username, bool disabled)
    {
        await using var cmd = db.CreateCommand("UPDATE cc_account SET disabled = $2 WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue(disabled);
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Deletes the account and its sessions (its audit rows stay); false when there is none.</summary>
    public async Task<bool> Delete(string username)
    {
        await using var cmd = db.CreateCommand("DELETE FROM cc_account WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Creates or resets the demo accounts (profile, the one demo password, lock, enabled) in one transaction.</summary>
    public async Task UpsertDemo(IReadOnlyList<NewAccount> accounts, string passwordHash)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var account in accounts)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO cc_account (username, display_name, role, jurisdictions, worker_id, password_hash, demo)
                VALUES ($1, $2, $3, $4, $5, $6, true)
                ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
                    jurisdictions = excluded.jurisdictions, worker_id = excluded.worker_id, password_hash = excluded.password_hash,
                    failed_sign_ins = 0, locked_until = NULL, disabled = false, demo = true
                """, conn, tx);
            AddAccount(cmd, account, passwordHash);
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>Counts a failed sign-in; returns the lock's end when this failure locked the account.</summary>
    public async Task<DateTimeOffset?> RecordFailure(string username, LockoutPolicy policy, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE cc_account SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
            WHERE username = $1
            RETURNING CASE WHEN failed_sign_ins = 0 THEN locked_until END
            """);
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue(policy.MaxFailures);
        cmd.Parameters.AddWithValue(now + policy.Duration);
        return await cmd.ExecuteScalarAsync() is DateTime lockedUntil ? new DateTimeOffset(lockedUntil, TimeSpan.Zero) : null;
    }

    /// <summary>Clears the failure counter after a successful sign-in (and a new hash when the hasher upgraded it).</summary>
    public async Task RecordSuccess(string username, string? rehashedPassword)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE cc_account SET failed_sign_ins = 0, locked_until = NULL, password_hash = coalesce($2, password_hash) WHERE username = $1");
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue((object?)rehashedPassword ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Creates or (for an existing name) replaces an integration with a new key hash.</summary>
    public async Task SaveIntegration(Integration integration, byte[] keyHash)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_integration (name, key_hash, jurisdiction, sources, positions) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO UPDATE SET key_hash = excluded.key_hash, jurisdiction = excluded.jurisdiction,
                sources = excluded.sources, positions = excluded.positions
            """);
        cmd.Parameters.AddWithValue(integration.Name);
        cmd.Parameters.AddWithValue(keyHash);
        cmd.Parameters.AddWithValue(integration.Jurisdiction);
        cmd.Parameters.AddWithValue(integration.Sources.ToArray());
        cmd.Parameters.AddWithValue(integration.Positions);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<Integration?> FindIntegration(byte[] keyHash)
    {
        await using var cmd = db.CreateCommand("SELECT name, jurisdiction, sources, positions FROM cc_integration WHERE key_hash = $1");
        cmd.Parameters.AddWithValue(keyHash);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadIntegration(reader) : null;
    }

    public async Task<IReadOnlyList<Integration>> ListIntegrations()
    {
        await using var cmd = db.CreateCommand("SELECT name, jurisdiction, sources, positions FROM cc_integration ORDER BY name");
        await using var reader = await cmd.ExecuteReaderAsync();
        var integrations = new List<Integration>();
        while (await reader.ReadAsync())
            integrations.Add(ReadIntegration(reader));
        return integrations;
    }

    private static void AddAccount(NpgsqlCommand cmd, NewAccount account, string passwordHash)
    {
        cmd.Parameters.AddWithValue(account.Username);
        cmd.Parameters.AddWithValue(account.DisplayName);
        cmd.Parameters.AddWithValue(account.Role.ToString());
        cmd.Parameters.AddWithValue(account.Jurisdictions.ToArray());
        cmd.Parameters.AddWithValue((object?)account.WorkerId ?? DBNull.Value);
        cmd.Parameters.AddWithValue(passwordHash);
    }

    private static Account ReadAccount(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2)), r.GetFieldValue<string[]>(3),
        r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8), r.GetInt64(9));

    private static Integration ReadIntegration(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetBoolean(3));
}
