using System.Security.Cryptography;
using System.Text.Json;
using CommandCenter.Access;
using CommandCenter.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace CommandCenter.Command;

/// <summary>An instruction with where each of its recipients stands.</summary>
public sealed record InstructionState(Instruction Instruction, IReadOnlyList<RecipientProgress> Recipients);

/// <summary>A photo of a report-back (回执照片) as stored, without its bytes.</summary>
public sealed record InstructionPhoto(Guid Id, Guid Report, string MediaType, int Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>A report-back (回执) as stored.</summary>
public sealed record InstructionReport(Guid Id, Guid Instruction, string Recipient, DateTimeOffset At, string By, string ByName, string Text,
    double? Latitude, double? Longitude, bool Done);

/// <summary>
/// Command sessions and instructions in PostgreSQL (<c>deploy/sql/app/017-command.sql</c>, the shared view's
/// <c>018-command-view.sql</c>). Every change is one batch:
/// what it changes (<see cref="CommandChange"/>), the session's log entry and head when it happens in a session, and its
/// audit row; without a transaction of its own a batch is one implicit transaction, so all of it commits or none.
/// </summary>
public sealed class CommandStore(NpgsqlDataSource db)
{
    private const string SessionColumns = "id, title, area, path, level, incidents, participants, opened_by, opened_by_name, opened_at, "
        + "closed_at, closed_by, summary, head, cameras, leader, leader_name, floor";
    private const string MarkupColumns = "id, session_id, kind, points::text, radius, label, drawn_by, drawn_by_name, drawn_at";
    private const string RecipientColumns = "recipient, delivered_at, signed_at, signed_by, signed_by_name, reported_at, done_at, "
        + "sign_reminded_at, report_reminded_at, escalated_at, escalated_to";

    // ---- sessions -------------------------------------------------------------------------------------------------

    public async Task<CommandSession?> Session(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {SessionColumns} FROM cc_command_session WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadSession(reader) : null;
    }

    /// <summary>
    /// Sessions newest first: those whose area lies within one of <paramref name="scope"/>'s codes or that one of them
    /// takes part in (null: every session); only open ones when <paramref name="openOnly"/>.
    /// </summary>
    public async Task<IReadOnlyList<CommandSession>> Sessions(IReadOnlyList<string>? scope, bool openOnly, int limit)
    {
        var where = new List<string>();
        await using var cmd = db.CreateCommand();
        if (scope is not null)
        {
            cmd.Parameters.Add(new() { Value = scope.ToArray() });
            where.Add("(path && $1 OR participants && $1)");
        }
        if (openOnly)
            where.Add("closed_at IS NULL");
        cmd.Parameters.Add(new() { Value = limit });
        cmd.CommandText = $"SELECT {SessionColumns} FROM cc_command_session"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + $" ORDER BY opened_at DESC LIMIT ${cmd.Parameters.Count}";
        await using var reader = await cmd.ExecuteReaderAsync();
        var sessions = new List<CommandSession>();
        while (await reader.ReadAsync())
            sessions.Add(ReadSession(reader));
        return sessions;
    }

    /// <summary>Opens a session with its first log entry and audit row.</summary>
    public async Task Open(CommandSession session, SessionLogEntry first, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO cc_command_session ({SessionColumns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, NULL, $11, $12, NULL, NULL, NULL)
            """);
        foreach (var value in new object[] { session.Id, session.Title, session.Area, session.Path.ToArray(), session.Level.ToString(),
                     session.Incidents.ToArray(), session.Participants.ToArray(), session.OpenedBy, session.OpenedByName, session.OpenedAt, first.Sequence,
                     session.Cameras.ToArray() })
            insert.Parameters.Add(new() { Value = value });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(LogCommand(first));
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Appends <paramref name="entry"/> to its session's log (moving the head to it; with <paramref name="closeWith"/> the
    /// session closes with that summary), writes <paramref name="change"/> and the audit row: one commit.
    /// </summary>
    public async Task Append(SessionLogEntry entry, CommandChange? change, AuditEntry audit, string? closeWith = null)
    {
        await using var batch = db.CreateBatch();
        if (change is not null)
            Add(batch, change);
        batch.BatchCommands.Add(LogCommand(entry));
        var head = new NpgsqlBatchCommand(closeWith is null
            ? "UPDATE cc_command_session SET head = $2 WHERE id = $1"
            : "UPDATE cc_command_session SET head = $2, closed_at = $3, closed_by = $4, summary = $5, leader = NULL, leader_name = NULL, floor = NULL WHERE id = $1");
        head.Parameters.Add(new() { Value = entry.Session });
        head.Parameters.Add(new() { Value = entry.Sequence });
        if (closeWith is not null)
        {
            head.Parameters.Add(new() { Value = entry.At });
            head.Parameters.Add(new() { Value = entry.Actor });
            head.Parameters.Add(new() { Value = closeWith });
        }
        batch.BatchCommands.Add(head);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<SessionLogEntry>> Log(Guid session, long after, int max)
    {
        await using var cmd = db.CreateCommand("""
            SELECT seq, kind, at, actor, actor_name, data::text FROM cc_command_log
            WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3
            """);
        cmd.Parameters.Add(new() { Value = session });
        cmd.Parameters.Add(new() { Value = after });
        cmd.Parameters.Add(new() { Value = max });
        await using var reader = await cmd.ExecuteReaderAsync();
        var entries = new List<SessionLogEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new SessionLogEntry(session, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }
        return entries;
    }

    // ---- the shared view -------------------------------------------------------------------------------------------

    /// <summary>Keeps the view the leader last shared (what a follower joining later is shown first).</summary>
    public async Task SaveView(LedView view)
    {
        await using var cmd = db.CreateCommand("UPDATE cc_command_session SET view = $2::jsonb WHERE id = $1 AND leader = $3");
        cmd.Parameters.Add(new() { Value = view.Session });
        cmd.Parameters.Add(new() { Value = JsonSerializer.Serialize(view, Json.Options) });
        cmd.Parameters.Add(new() { Value = view.Leader });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The view kept for the session, if its leader shared one.</summary>
    public async Task<LedView?> View(Guid session)
    {
        await using var cmd = db.CreateCommand("SELECT view::text FROM cc_command_session WHERE id = $1 AND view IS NOT NULL");
        cmd.Parameters.Add(new() { Value = session });
        return await cmd.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<LedView>(json, Json.Options) : null;
    }

    /// <summary>The markup on the session's map now (not taken off), oldest first.</summary>
    public async Task<IReadOnlyList<Markup>> Markups(Guid session)
    {
        await using var cmd = db.CreateCommand($"SELECT {MarkupColumns} FROM cc_command_markup WHERE session_id = $1 AND removed_at IS NULL ORDER BY drawn_at, id");
        cmd.Parameters.Add(new() { Value = session });
        return await ReadMarkups(cmd);
    }

    /// <summary>The markup, taken off or not (<c>Removed</c>).</summary>
    public async Task<(Markup Markup, bool Removed)?> Markup(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {MarkupColumns}, removed_at IS NOT NULL FROM cc_command_markup WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (ReadMarkup(reader), reader.GetBoolean(9)) : null;
    }

    // ---- instructions outside a session ---------------------------------------------------------------------------

    /// <summary>Writes a change of an instruction outside a session with its audit row: one commit.</summary>
    public async Task Apply(CommandChange change, AuditEntry audit)
    {
        await using var batch = db.CreateBatch();
        Add(batch, change);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit]));
        await batch.ExecuteNonQueryAsync();
    }

    public async Task<InstructionState?> Instruction(Guid id) => (await Instructions("i.id = $1", [id], 1)).FirstOrDefault();

    /// <summary>
    /// Instructions newest first, each with all its recipients: of <paramref name="session"/> when given; with one of
    /// <paramref name="recipients"/> among its recipients when given; with a recipient within one of <paramref name="scope"/>'s
    /// codes (null: any).
    /// </summary>
    /// <summary>Instructions newest first with a recipient escalated to <paramref name="superior"/> that has not reported back since.</summary>
    public Task<IReadOnlyList<InstructionState>> EscalatedTo(string superior, int limit) => Instructions(
        "EXISTS (SELECT 1 FROM cc_instruction_recipient r WHERE r.instruction_id = i.id AND r.escalated_to = $1 AND r.reported_at IS NULL)", [superior], limit);

    public Task<IReadOnlyList<InstructionState>> Instructions(Guid? session, IReadOnlyList<string>? recipients, IReadOnlyList<string>? scope, int limit)
    {
        var where = new List<string>();
        var values = new List<object>();
        void Where(string condition, object value)
        {
            values.Add(value);
            where.Add(condition.Replace("?", "$" + values.Count));
        }
        if (session is { } s)
            Where("i.session_id = ?", s);
        if (recipients is not null)
            Where("EXISTS (SELECT 1 FROM cc_instruction_recipient r WHERE r.instruction_id = i.id AND r.recipient = ANY(?))", recipients.ToArray());
        if (scope is not null)
            Where("EXISTS (SELECT 1 FROM cc_instruction_recipient r WHERE r.instruction_id = i.id AND r.path && ?)", scope.ToArray());
        return Instructions(where.Count > 0 ? string.Join(" AND ", where) : "true", values, limit);
    }

    /// <summary>Marks the recipients' instructions delivered (their client received them) where they were not yet; answers how many it marked.</summary>
    public async Task<int> Deliver(IReadOnlyList<(Guid Instruction, string Recipient)> received, DateTimeOffset at)
    {
        if (received.Count == 0)
            return 0;
        await using var cmd = db.CreateCommand("""
            UPDATE cc_instruction_recipient r SET delivered_at = $3
            FROM unnest($1::uuid[], $2::text[]) AS t(i, c)
            WHERE r.instruction_id = t.i AND r.recipient = t.c AND r.delivered_at IS NULL
            """);
        cmd.Parameters.Add(new() { Value = received.Select(r => r.Instruction).ToArray() });
        cmd.Parameters.Add(new() { Value = received.Select(r => r.Recipient).ToArray() });
        cmd.Parameters.Add(new() { Value = at });
        return await cmd.ExecuteNonQueryAsync();
    }

    public async Task<InstructionReport?> Report(Guid id)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, instruction_id, recipient, at, reported_by, reported_name, text, lat, lng, done FROM cc_instruction_report WHERE id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadReport(reader) : null;
    }

    public async Task<IReadOnlyList<InstructionReport>> Reports(Guid instruction)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, instruction_id, recipient, at, reported_by, reported_name, text, lat, lng, done FROM cc_instruction_report
            WHERE instruction_id = $1 ORDER BY at, id
            """);
        cmd.Parameters.Add(new() { Value = instruction });
        await using var reader = await cmd.ExecuteReaderAsync();
        var reports = new List<InstructionReport>();
        while (await reader.ReadAsync())
            reports.Add(ReadReport(reader));
        return reports;
    }

    /// <summary>The report-backs of a session's instructions, oldest first.</summary>
    public async Task<IReadOnlyList<InstructionReport>> SessionReports(Guid session)
    {
        await using var cmd = db.CreateCommand("""
            SELECT r.id, r.instruction_id, r.recipient, r.at, r.reported_by, r.reported_name, r.text, r.lat, r.lng, r.done
            FROM cc_instruction_report r JOIN cc_instruction i ON i.id = r.instruction_id
            WHERE i.session_id = $1 ORDER BY r.at, r.id
            """);
        cmd.Parameters.Add(new() { Value = session });
        await using var reader = await cmd.ExecuteReaderAsync();
        var reports = new List<InstructionReport>();
        while (await reader.ReadAsync())
            reports.Add(ReadReport(reader));
        return reports;
    }

    /// <summary>Stores a photo of a report-back (the copy served, which the answer describes, and the upload) with its audit row: one commit.</summary>
    public async Task<InstructionPhoto> SavePhoto(Guid report, CleanPhoto clean, string uploadedBy, DateTimeOffset at,
        Func<InstructionPhoto, AuditEntry> audit)
    {
        var content = clean.Served.Bytes;
        var photo = new InstructionPhoto(Guid.CreateVersion7(at), report, clean.Served.MediaType, content.Length,
            Convert.ToHexStringLower(SHA256.HashData(content)), uploadedBy, Timestamps.Stored(at));
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO cc_instruction_photo (id, report_id, media_type, size, sha256, uploaded_by, uploaded_at, content, original)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        foreach (var value in new object[]
                 { photo.Id, photo.Report, photo.MediaType, photo.Size, photo.Sha256, photo.UploadedBy, photo.UploadedAt, content, clean.Original })
            insert.Parameters.Add(new() { Value = value });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(AuditLog.InsertCommand([audit(photo)]));
        await batch.ExecuteNonQueryAsync();
        return photo;
    }

    /// <summary>The photos of these report-backs, oldest first, without their bytes.</summary>
    public async Task<IReadOnlyList<InstructionPhoto>> Photos(IReadOnlyCollection<Guid> reports)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, report_id, media_type, size, sha256, uploaded_by, uploaded_at FROM cc_instruction_photo
            WHERE report_id = ANY($1) ORDER BY uploaded_at, id
            """);
        cmd.Parameters.Add(new() { Value = reports.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync();
        var photos = new List<InstructionPhoto>();
        while (await reader.ReadAsync())
            photos.Add(ReadPhoto(reader));
        return photos;
    }

    /// <summary>A photo with its bytes and the report-back it belongs to.</summary>
    public async Task<(InstructionPhoto Photo, StoredPhoto Bytes, InstructionReport Report)?> Photo(Guid id)
    {
        await using var cmd = db.CreateCommand("""
            SELECT p.id, p.report_id, p.media_type, p.size, p.sha256, p.uploaded_by, p.uploaded_at, p.content, p.original,
                   r.id, r.instruction_id, r.recipient, r.at, r.reported_by, r.reported_name, r.text, r.lat, r.lng, r.done
            FROM cc_instruction_photo p JOIN cc_instruction_report r ON r.id = p.report_id WHERE p.id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        var report = new InstructionReport(reader.GetGuid(9), reader.GetGuid(10), reader.GetString(11), reader.GetFieldValue<DateTimeOffset>(12),
            reader.GetString(13), reader.GetString(14), reader.GetString(15), reader.IsDBNull(16) ? null : reader.GetDouble(16),
            reader.IsDBNull(17) ? null : reader.GetDouble(17), reader.GetBoolean(18));
        var photo = ReadPhoto(reader);
        return (photo, PhotoImage.Stored(photo.MediaType, reader, 7), report);
    }

    /// <summary>
    /// Marks every deadline passed unmet at <paramref name="now"/> and not yet reminded of as reminded (each once), and
    /// answers one notice per recipient and deadline (<see cref="InstructionRules.RemindersDue"/>, in one statement).
    /// </summary>
    public async Task<IReadOnlyList<InstructionNotice>> Remind(DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            WITH due AS (
                SELECT r.instruction_id, r.recipient,
                       r.signed_at IS NULL AND r.sign_reminded_at IS NULL AND i.sign_due < $1 AS sign,
                       r.reported_at IS NULL AND r.report_reminded_at IS NULL AND i.report_due < $1 AS report
                FROM cc_instruction_recipient r JOIN cc_instruction i ON i.id = r.instruction_id
                WHERE r.reported_at IS NULL
                  AND ((r.signed_at IS NULL AND r.sign_reminded_at IS NULL AND i.sign_due < $1) OR (r.report_reminded_at IS NULL AND i.report_due < $1))
                FOR UPDATE OF r SKIP LOCKED)
            UPDATE cc_instruction_recipient r
            SET sign_reminded_at = CASE WHEN d.sign THEN $1 ELSE r.sign_reminded_at END,
                report_reminded_at = CASE WHEN d.report THEN $1 ELSE r.report_reminded_at END
            FROM due d JOIN cc_instruction i ON i.id = d.instruction_id
            WHERE r.instruction_id = d.instruction_id AND r.recipient = d.recipient
            RETURNING i.id, i.session_id, r.recipient, i.text, i.issued_by_name, i.issued_at, i.sign_due, i.report_due, d.sign, d.report
            """);
        cmd.Parameters.Add(new() { Value = now });
        await using var reader = await cmd.ExecuteReaderAsync();
        var notices = new List<InstructionNotice>();
        while (await reader.ReadAsync())
        {
            var notice = new InstructionNotice(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7));
            if (reader.GetBoolean(8))
                notices.Add(notice with { Reminder = InstructionReminder.Sign });
            if (reader.GetBoolean(9))
                notices.Add(notice with { Reminder = InstructionReminder.Report });
        }
        return notices;
    }

    // ---- the statements -------------------------------------------------------------------------------------------

    private static void Add(NpgsqlBatch batch, CommandChange change)
    {
        switch (change)
        {
            case IssueInstruction { Instruction: var i }:
                var instruction = new NpgsqlBatchCommand("""
                    INSERT INTO cc_instruction (id, session_id, text, issued_by, issued_by_name, issued_at, sign_due, report_due)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """);
                instruction.Parameters.Add(new() { Value = i.Id });
                instruction.Parameters.Add(Nullable(i.Session, NpgsqlDbType.Uuid));
                foreach (var value in new object[] { i.Text, i.IssuedBy, i.IssuedByName, i.IssuedAt, i.SignDue, i.ReportDue })
                    instruction.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(instruction);
                var recipients = new NpgsqlBatchCommand("""
                    INSERT INTO cc_instruction_recipient (instruction_id, recipient, path)
                    SELECT $1, c, string_to_array(p, ' ') FROM unnest($2::text[], $3::text[]) AS t(c, p)
                    """);
                recipients.Parameters.Add(new() { Value = i.Id });
                recipients.Parameters.Add(new() { Value = i.Recipients.Select(r => r.Code).ToArray() });
                recipients.Parameters.Add(new() { Value = i.Recipients.Select(r => string.Join(' ', r.Path)).ToArray() });
                batch.BatchCommands.Add(recipients);
                break;
            case SignInstruction sign:
                var signed = new NpgsqlBatchCommand("""
                    UPDATE cc_instruction_recipient SET signed_at = $3, signed_by = $4, signed_by_name = $5, delivered_at = coalesce(delivered_at, $3)
                    WHERE instruction_id = $1 AND recipient = $2 AND signed_at IS NULL
                    """);
                foreach (var value in new object[] { sign.Instruction, sign.Recipient, sign.At, sign.By, sign.ByName })
                    signed.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(signed);
                break;
            case ReportInstruction report:
                var row = new NpgsqlBatchCommand("""
                    INSERT INTO cc_instruction_report (id, instruction_id, recipient, at, reported_by, reported_name, text, lat, lng, done)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """);
                foreach (var value in new object[] { report.Id, report.Instruction, report.Recipient, report.At, report.By, report.ByName, report.Text })
                    row.Parameters.Add(new() { Value = value });
                row.Parameters.Add(Nullable(report.Latitude, NpgsqlDbType.Double));
                row.Parameters.Add(Nullable(report.Longitude, NpgsqlDbType.Double));
                row.Parameters.Add(new() { Value = report.Done });
                batch.BatchCommands.Add(row);
                var progress = new NpgsqlBatchCommand("""
                    UPDATE cc_instruction_recipient SET reported_at = coalesce(reported_at, $3),
                        done_at = CASE WHEN $4 THEN coalesce(done_at, $3) ELSE done_at END,
                        signed_at = coalesce(signed_at, $3), signed_by = coalesce(signed_by, $5), signed_by_name = coalesce(signed_by_name, $6),
                        delivered_at = coalesce(delivered_at, $3)
                    WHERE instruction_id = $1 AND recipient = $2
                    """);
                foreach (var value in new object[] { report.Instruction, report.Recipient, report.At, report.Done, report.By, report.ByName })
                    progress.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(progress);
                break;
            case RemindInstruction remind:
                var reminded = new NpgsqlBatchCommand(remind.Reminder == InstructionReminder.Sign
                    ? "UPDATE cc_instruction_recipient SET sign_reminded_at = coalesce(sign_reminded_at, $3) WHERE instruction_id = $1 AND recipient = $2"
                    : "UPDATE cc_instruction_recipient SET report_reminded_at = coalesce(report_reminded_at, $3) WHERE instruction_id = $1 AND recipient = $2");
                foreach (var value in new object[] { remind.Instruction, remind.Recipient, remind.At })
                    reminded.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(reminded);
                break;
            case EscalateInstruction escalate:
                var escalated = new NpgsqlBatchCommand("""
                    UPDATE cc_instruction_recipient SET escalated_at = coalesce(escalated_at, $3), escalated_to = coalesce(escalated_to, $4)
                    WHERE instruction_id = $1 AND recipient = $2
                    """);
                foreach (var value in new object[] { escalate.Instruction, escalate.Recipient, escalate.At, escalate.Superior })
                    escalated.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(escalated);
                break;
            case TakeLead lead:
                var led = new NpgsqlBatchCommand("UPDATE cc_command_session SET leader = $2, leader_name = $3, view = NULL WHERE id = $1");
                led.Parameters.Add(new() { Value = lead.Session });
                led.Parameters.Add(Nullable(lead.Leader, NpgsqlDbType.Text));
                led.Parameters.Add(Nullable(lead.LeaderName, NpgsqlDbType.Text));
                batch.BatchCommands.Add(led);
                break;
            case GiveFloor floor:
                var given = new NpgsqlBatchCommand("UPDATE cc_command_session SET floor = $2 WHERE id = $1");
                given.Parameters.Add(new() { Value = floor.Session });
                given.Parameters.Add(Nullable(floor.Station, NpgsqlDbType.Text));
                batch.BatchCommands.Add(given);
                break;
            case DrawMarkup { Markup: var m }:
                var drawn = new NpgsqlBatchCommand("""
                    INSERT INTO cc_command_markup (id, session_id, kind, points, radius, label, drawn_by, drawn_by_name, drawn_at)
                    VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)
                    """);
                foreach (var value in new object[] { m.Id, m.Session, m.Kind.ToString(), JsonSerializer.Serialize(m.Points, Json.Options) })
                    drawn.Parameters.Add(new() { Value = value });
                drawn.Parameters.Add(Nullable(m.Radius, NpgsqlDbType.Double));
                foreach (var value in new object[] { m.Label, m.DrawnBy, m.DrawnByName, m.DrawnAt })
                    drawn.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(drawn);
                break;
            case RemoveMarkup remove:
                var removed = new NpgsqlBatchCommand("UPDATE cc_command_markup SET removed_at = $3 WHERE id = $2 AND session_id = $1 AND removed_at IS NULL");
                foreach (var value in new object[] { remove.Session, remove.Markup, remove.At })
                    removed.Parameters.Add(new() { Value = value });
                batch.BatchCommands.Add(removed);
                break;
            case ShareWithSession share:
                var shared = new NpgsqlBatchCommand("UPDATE cc_command_session SET incidents = incidents || $2, cameras = cameras || $3 WHERE id = $1");
                shared.Parameters.Add(new() { Value = share.Session });
                shared.Parameters.Add(new() { Value = share.Incidents.ToArray() });
                shared.Parameters.Add(new() { Value = share.Cameras.ToArray() });
                batch.BatchCommands.Add(shared);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Not a change the store knows.");
        }
    }

    private static NpgsqlBatchCommand LogCommand(SessionLogEntry entry)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO cc_command_log (session_id, seq, kind, at, actor, actor_name, data) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
            """);
        foreach (var value in new object[] { entry.Session, entry.Sequence, entry.Kind, entry.At, entry.Actor, entry.ActorName, entry.Data })
            cmd.Parameters.Add(new() { Value = value });
        return cmd;
    }

    private async Task<IReadOnlyList<InstructionState>> Instructions(string where, IReadOnlyList<object> values, int limit)
    {
        await using var cmd = db.CreateCommand();
        foreach (var value in values)
            cmd.Parameters.Add(new() { Value = value });
        cmd.Parameters.Add(new() { Value = limit });
        cmd.CommandText = $"""
            SELECT i.id, i.session_id, i.text, i.issued_by, i.issued_by_name, i.issued_at, i.sign_due, i.report_due,
                   r.path, {string.Join(", ", RecipientColumns.Split(", ").Select(c => "r." + c))}
            FROM (SELECT * FROM cc_instruction i WHERE {where} ORDER BY i.issued_at DESC, i.id LIMIT ${cmd.Parameters.Count}) i
            JOIN cc_instruction_recipient r ON r.instruction_id = i.id
            ORDER BY i.issued_at DESC, i.id, r.recipient
            """;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(Guid Id, Guid? Session, string Text, string By, string ByName, DateTimeOffset At, DateTimeOffset SignDue,
            DateTimeOffset ReportDue, Station Station, RecipientProgress Progress)>();
        while (await reader.ReadAsync())
        {
            var progress = new RecipientProgress(reader.GetString(9), Time(reader, 10), Time(reader, 11), Text(reader, 12), Text(reader, 13),
                Time(reader, 14), Time(reader, 15), Time(reader, 16), Time(reader, 17), Time(reader, 18), Text(reader, 19));
            rows.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                new Station(progress.Recipient, reader.GetFieldValue<string[]>(8)), progress));
        }
        return rows.GroupBy(r => r.Id)
            .Select(g =>
            {
                var first = g.First();
                var instruction = new Instruction(first.Id, first.Session, first.Text, first.By, first.ByName, first.At, first.SignDue, first.ReportDue,
                    g.Select(r => r.Station).ToList());
                return new InstructionState(instruction, g.Select(r => r.Progress).ToList());
            })
            .ToList();
    }

    private static CommandSession ReadSession(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), Enum.Parse<CommandLevel>(reader.GetString(4)),
        reader.GetFieldValue<Guid[]>(5), reader.GetFieldValue<string[]>(6), reader.GetString(7), reader.GetString(8),
        reader.GetFieldValue<DateTimeOffset>(9), Time(reader, 10), Text(reader, 11), Text(reader, 12), reader.GetInt64(13),
        reader.GetFieldValue<string[]>(14), Text(reader, 15), Text(reader, 16), Text(reader, 17));

    private static async Task<IReadOnlyList<Markup>> ReadMarkups(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        var markups = new List<Markup>();
        while (await reader.ReadAsync())
            markups.Add(ReadMarkup(reader));
        return markups;
    }

    private static Markup ReadMarkup(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), Enum.Parse<MarkupKind>(reader.GetString(2)),
        JsonSerializer.Deserialize<MarkupPoint[]>(reader.GetString(3), Json.Options)!, reader.IsDBNull(4) ? null : reader.GetDouble(4),
        reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8));

    private static InstructionReport ReadReport(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetString(5),
        reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.GetBoolean(9));

    private static InstructionPhoto ReadPhoto(NpgsqlDataReader reader) => new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3),
        reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
