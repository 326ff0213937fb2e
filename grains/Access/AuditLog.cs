using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommandCenter.Access;

/// <summary>One row of the audit log: who (actor, role, jurisdiction), what (action, outcome, detail), to which target, when, from where.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string? Role,
    string? Jurisdiction,
    string Action,
    string? Target,
    string Outcome,
    string? Detail,
    string? ClientAddress);

/// <summary>The audited actions (the <c>action</c> column).</summary>
public static class AuditActions
{
    public const string SignIn = "signIn";
    public const string IssueToken = "issueToken";
    public const string SignOut = "signOut";
    public const string ReportIncident = "incident.report";
    public const string AttachToIncident = "incident.attach";
    public const string ImportJurisdictions = "jurisdictions.import";
    /// <summary>A re-import moved a person, camera, account, integration or open case to a dropped code's successor (#19).</summary>
    public const string MoveToSuccessor = "jurisdictions.moveToSuccessor";
    /// <summary>An area renamed, or a grid moved to another village, on the admin page (#19).</summary>
    public const string EditJurisdiction = "jurisdictions.edit";
    public const string CreateAccount = "account.create";
    public const string SetPassword = "account.setPassword";
    public const string UpdateAccount = "account.update";
    public const string DisableAccount = "account.disable";
    public const string EnableAccount = "account.enable";
    public const string DeleteAccount = "account.delete";
    public const string ChangeOwnPassword = "account.changeOwnPassword";
    public const string EndSession = "session.end";
    public const string ReadTrack = "track.read";
    public const string ReadSnapshot = "camera.snapshot";
    public const string ReadContact = "incident.readContact";

    /// <summary>The reads of personal data the log records (<c>GET /api/audit?reads=true</c>): a person's track, a camera's picture, a citizen's contact.</summary>
    public static readonly IReadOnlyList<string> Reads = [ReadTrack, ReadSnapshot, ReadContact];
    public const string SaveIntegration = "integration.save";
    public const string SaveCalendarYear = "calendar.save";
    public const string SaveCategory = "category.save";
    public const string RecordLitigation = "litigation.record";
    public const string ImportCameras = "cameras.import";
    public const string ImportPeople = "people.import";
    public const string SaveCamera = "camera.save";
    public const string SetDutyStatus = "worker.setStatus";
    public const string StartPatrol = "patrol.start";
    public const string StopPatrol = "patrol.stop";
    public const string CheckIn = "patrol.checkIn";
    public const string AttachToCheckIn = "patrol.attach";
    public const string AcknowledgeAlert = "alert.acknowledge";
    public const string SetAlertCategories = "alert.setCategories";
    public const string OpenCommandSession = "command.open";
    public const string CloseCommandSession = "command.close";
    public const string LeadCommandView = "command.lead";
    public const string ReleaseCommandView = "command.release";
    public const string DrawMarkup = "command.markup";
    public const string RemoveMarkup = "command.unmark";
    public const string ShareWithSession = "command.share";
    public const string IssueInstruction = "instruction.issue";
    public const string SignInstruction = "instruction.sign";
    public const string ReportInstruction = "instruction.report";
    public const string AttachToInstructionReport = "instruction.attach";
    /// <summary>A photo fetched as it was uploaded, with its location and device metadata (#20); the target is the photo's address.</summary>
    public const string ReadPhotoOriginal = "photo.readOriginal";
    public const string RemindInstruction = "instruction.remind";
    public const string EscalateInstruction = "instruction.escalate";
    public const string JoinConference = "conference.join";
    public const string LeaveConference = "conference.leave";
    public const string GiveFloor = "conference.floor";
    public const string MuteInConference = "conference.mute";
    public const string ConferenceFailure = "conference.failure";
    public const string ConfigureSensitivePeriod = "sensitivePeriod.configure";
    public const string EndSensitivePeriod = "sensitivePeriod.end";
    public const string SubmitZeroReport = "zeroReport.submit";
    public const string StartRollCall = "rollCall.start";
    public const string AnswerRollCall = "rollCall.answer";
    public const string EndRollCall = "rollCall.end";

    /// <summary>A workflow action on an incident: "incident.verify", "incident.dispatch", … (one per <see cref="Incidents.IncidentAction"/>).</summary>
    public static string IncidentAction(Incidents.IncidentAction action) => "incident." + Json.Word(action);

    /// <summary>The detail of a report's row, committed with it or written for its retry: source · category · title.</summary>
    public static string ReportDetail(Incidents.IncidentDetails incident) => $"{Json.Word(incident.Source)} · {incident.Category} · {incident.Title}";

    /// <summary>The detail of a workflow action's row, committed with it or written for its retry: the status it left · title.</summary>
    public static string ActionDetail(Incidents.IncidentDetails incident) => $"{Json.Word(incident.Status)} · {incident.Title}";

    /// <summary>Every action the log records (the audit page filters by them): the constants above, then one per incident action.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        .. typeof(AuditActions).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!),
        .. Enum.GetValues<Incidents.IncidentAction>().Select(IncidentAction),
    ];
}

/// <summary>What the audit page and <c>GET /api/audit</c> filter by; pages go backwards from <see cref="Before"/>.</summary>
/// <see cref="Actions"/>: any of these actions (the reads of personal data: <see cref="AuditActions.Reads"/>).
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, long? Before = null, int Limit = 100, IReadOnlyList<string>? Actions = null);

/// <summary>
/// The append-only audit log in PostgreSQL (<c>cc_audit</c>; a trigger refuses UPDATE, DELETE and TRUNCATE).
/// Rows are group-committed: a caller's <see cref="Append"/> completes once its row is durable.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource db, TimeProvider clock, ILogger<AuditLog> log) : IAsyncDisposable
{
    public const int MaxDetailLength = 500;

    private readonly GroupCommit<AuditEntry, bool> _commit = new(rows => Insert(db, rows), log, "audit rows");

    public static class Outcomes
    {
        public const string Succeeded = "succeeded";
        public const string Replayed = "replayed";
        public const string Failed = "failed";
        public const string LockedOut = "lockedOut";
    }

    /// <summary>Appends a row; <paramref name="caller"/> null for an anonymous attempt (then <paramref name="actor"/> names what was claimed).</summary>
    public Task Append(Caller? caller, string action, string? target, string outcome = Outcomes.Succeeded,
        string? detail = null, string? clientAddress = null, string? actor = null) =>
        _commit.Add(Row(clock.GetUtcNow(), caller, action, target, outcome, detail, clientAddress, actor));

    /// <summary>A row as <see cref="Append"/> writes it, for a commit that writes its audit row itself (see <see cref="InsertCommand"/>).</summary>
    public static AuditEntry Row(DateTimeOffset at, Caller? caller, string action, string? target, string outcome = Outcomes.Succeeded,
        string? detail = null, string? clientAddress = null, string? actor = null) =>
        new(0, at, caller?.Id ?? actor ?? "anonymous", caller?.Role.ToString(), caller is null ? null : string.Join(",", caller.Jurisdictions),
            action, target, outcome, detail is { Length: > MaxDetailLength } ? detail[..MaxDetailLength] : detail, clientAddress);

    public async Task<IReadOnlyList<AuditEntry>> Query(AuditQuery query)
    {
        var conditions = new List<string>();
        await using var cmd = db.CreateCommand();
        void Where(string condition, object value)
        {
            cmd.Parameters.AddWithValue(value);
            conditions.Add(condition.Replace("?", "$" + cmd.Parameters.Count));
        }
        if (query.Actor is { Length: > 0 }) Where("actor = ?", query.Actor);
        if (query.Action is { Length: > 0 }) Where("action = ?", query.Action);
        if (query.Actions is { Count: > 0 } actions) Where("action = ANY(?)", actions.ToArray());
        if (query.Target is { Length: > 0 }) Where("target = ?", query.Target);
        if (query.From is { } from) Where("at >= ?", from);
        if (query.To is { } to) Where("at < ?", to);
        if (query.Before is { } before) Where("id < ?", before);
        cmd.Parameters.AddWithValue(query.Limit);
        cmd.CommandText = "SELECT id, at, actor, role, jurisdiction, action, target, outcome, detail, client_address FROM cc_audit"
            + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")
            + $" ORDER BY id DESC LIMIT ${cmd.Parameters.Count}";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<AuditEntry>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                Text(reader, 3), Text(reader, 4), reader.GetString(5), Text(reader, 6), reader.GetString(7), Text(reader, 8), Text(reader, 9)));
        }
        return rows;
    }

    public ValueTask DisposeAsync() => _commit.DisposeAsync();

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static async Task<IReadOnlyList<bool>> Insert(NpgsqlDataSource db, IReadOnlyList<AuditEntry> rows)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(InsertCommand(rows));
        await batch.ExecuteNonQueryAsync();
        return rows.Select(_ => true).ToList();
    }

    /// <summary>The statement that inserts <paramref name="rows"/>, for this log's commits and for those of the changes they audit.</summary>
    public static NpgsqlBatchCommand InsertCommand(IReadOnlyList<AuditEntry> rows)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO cc_audit (at, actor, role, jurisdiction, action, target, outcome, detail, client_address)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
            ORDER BY 1
            """);
        cmd.Parameters.Add(new() { Value = rows.Select(r => r.At).ToArray() });
        foreach (var column in new Func<AuditEntry, string?>[]
            { r => r.Actor, r => r.Role, r => r.Jurisdiction, r => r.Action, r => r.Target, r => r.Outcome, r => r.Detail, r => r.ClientAddress })
            cmd.Parameters.Add(new() { Value = rows.Select(column).ToArray() });
        return cmd;
    }
}
