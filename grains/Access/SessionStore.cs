using Npgsql;

namespace CommandCenter.Access;

/// <summary>What a new session records: who signed in, how, for how long, from where.</summary>
public sealed record NewSession(Account Account, SessionKind Kind, DateTimeOffset At, TimeSpan Lifetime, bool Sliding,
    string? ClientAddress, string? UserAgent);

/// <summary>The sessions of sign-ins in PostgreSQL (<c>cc_session</c>, <c>deploy/sql/app/032-sessions.sql</c>); whether one holds is <see cref="SignInRules"/>.</summary>
public sealed class SessionStore(NpgsqlDataSource db)
{
    public const int MaxUserAgentLength = 200;

    private const string Columns = """
        s.id, s.username, s.kind, s.stamp, s.created_at, s.last_seen_at, s.expires_at, s.client_address, s.user_agent,
        s.ended_reason, a.stamp, a.disabled
        """;

    /// <summary>Records a sign-in with the stamp its account had when the password was checked; answers its id.</summary>
    public async Task<Guid> Open(NewSession session)
    {
        var id = Guid.CreateVersion7(session.At);
        await using var cmd = db.CreateCommand("""
            INSERT INTO cc_session (id, username, kind, stamp, created_at, last_seen_at, expires_at, sliding, lifetime, client_address, user_agent)
            VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10)
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(session.Account.Username);
        cmd.Parameters.AddWithValue(session.Kind.ToString());
        cmd.Parameters.AddWithValue(session.Account.Stamp);
        cmd.Parameters.AddWithValue(session.At);
        cmd.Parameters.AddWithValue(session.At + session.Lifetime);
        cmd.Parameters.AddWithValue(session.Sliding);
        cmd.Parameters.AddWithValue(session.Lifetime);
        cmd.Parameters.AddWithValue((object?)session.ClientAddress ?? DBNull.Value);
        cmd.Parameters.AddWithValue(session.UserAgent is { } agent ? agent[..Math.Min(agent.Length, MaxUserAgentLength)] : DBNull.Value);
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>
    /// Null while the session holds, else why it is over (<see cref="SignInRules.WhyOver"/>). A session that holds is
    /// seen now (a sliding one is extended by its lifetime); one found over is marked ended with the reason.
    /// </summary>
    public async Task<string?> Check(Guid id, DateTimeOffset now)
    {
        await using var conn = await db.OpenConnectionAsync();
        SignInRow? session;
        await using (var cmd = new NpgsqlCommand($"""
            UPDATE cc_session s SET last_seen_at = $2, expires_at = CASE WHEN s.sliding THEN $2 + s.lifetime ELSE s.expires_at END
            FROM cc_account a
            WHERE s.id = $1 AND a.username = s.username AND s.ended_reason IS NULL AND s.expires_at > $2 AND s.stamp = a.stamp AND NOT a.disabled
            RETURNING {Columns}
            """, conn))
        {
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(now);
            session = await ReadOne(cmd);
        }
        if (session is not null)
            return null;
        session = await Find(conn, id);
        var reason = SignInRules.WhyOver(session, now);
        if (session is { EndedReason: null } && reason is not null)
            await MarkEnded(conn, "s.id = $1", id, "system", reason, now);
        return reason;
    }

    /// <summary>The account's sessions that hold, newest first.</summary>
    public async Task<IReadOnlyList<SignInRow>> Holding(string username, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM cc_session s JOIN cc_account a ON a.username = s.username
            WHERE s.username = $1 AND s.ended_reason IS NULL AND s.expires_at > $2 AND s.stamp = a.stamp AND NOT a.disabled
            ORDER BY s.created_at DESC
            """);
        cmd.Parameters.AddWithValue(username);
        cmd.Parameters.AddWithValue(now);
        await using var reader = await cmd.ExecuteReaderAsync();
        var sessions = new List<SignInRow>();
        while (await reader.ReadAsync())
            sessions.Add(Read(reader));
        return sessions;
    }

    /// <summary>Ends one session of the account; false when it has no such session that is not already ended.</summary>
    public async Task<bool> End(string username, Guid id, string endedBy, string reason, DateTimeOffset now)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await MarkEnded(conn, "s.id = $1 AND s.username = $5", id, endedBy, reason, now, username) == 1;
    }

    /// <summary>Ends every session of the account that is not already ended; answers how many.</summary>
    public async Task<int> EndAll(string username, string endedBy, string reason, DateTimeOffset now)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await MarkEnded(conn, "s.username = $1", username, endedBy, reason, now);
    }

    /// <summary>Gives a session the account's current stamp: the person's own password change keeps the session it was made in.</summary>
    public async Task Restamp(Guid id)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE cc_session s SET stamp = a.stamp FROM cc_account a WHERE s.id = $1 AND a.username = s.username AND s.ended_reason IS NULL");
        cmd.Parameters.AddWithValue(id);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<int> MarkEnded(NpgsqlConnection conn, string where, object key, string endedBy, string reason, DateTimeOffset now,
        string? username = null)
    {
        await using var cmd = new NpgsqlCommand(
            $"UPDATE cc_session s SET ended_at = $2, ended_by = $3, ended_reason = $4 WHERE {where} AND s.ended_reason IS NULL", conn);
        cmd.Parameters.AddWithValue(key);
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(endedBy);
        cmd.Parameters.AddWithValue(reason);
        if (username is not null)
            cmd.Parameters.AddWithValue(username);
        return await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<SignInRow?> Find(NpgsqlConnection conn, Guid id)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM cc_session s JOIN cc_account a ON a.username = s.username WHERE s.id = $1", conn);
        cmd.Parameters.AddWithValue(id);
        return await ReadOne(cmd);
    }

    private static async Task<SignInRow?> ReadOne(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    private static SignInRow Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), Enum.Parse<SessionKind>(r.GetString(2)), r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4),
        r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetInt64(10), r.GetBoolean(11));
}
