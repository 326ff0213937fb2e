using CommandCenter.Patrols;

namespace CommandCenter.Web.Application;

/// <summary>
/// A check-in from the phone with its GPS position: <c>{ kind, lat, lng, note? }</c>. A visit (三查: rentalHousing,
/// keyPerson, specialPlace) says what was found in its note; at a checkpoint the note may be left out.
/// </summary>
public sealed record CheckInRequest(CheckInKind Kind, double Lat, double Lng, string? Note) : IRequestContract<CheckInRequest>
{
    public const int MaxNoteLength = 500;

    public static int MaxBytes => 8 * 1024;

    public static CheckInRequest Read(JsonFields body)
    {
        var kind = body.Enum<CheckInKind>("kind");
        var note = body.Text("note", MaxNoteLength, required: kind is not null and not CheckInKind.Checkpoint);
        return new(kind ?? default, body.Number("lat", -90, 90) ?? 0, body.Number("lng", -180, 180) ?? 0, string.IsNullOrEmpty(note) ? null : note);
    }
}

/// <summary>Where a window stands: not yet open, open now, ended and not (yet) recorded, or recorded with its outcome.</summary>
public enum PatrolWindowState
{
    Upcoming,
    Open,
    Ended,
    Recorded,
}

/// <summary>A person of the grid who patrolled or checked in, by name.</summary>
public sealed record Patroller(string WorkerId, string Name);

/// <summary>The evidence of a window: recorded at its end, or so far while it is open.</summary>
public sealed record PatrolProgress(int PatrolSeconds, int SectorsVisited, int Sectors, int CheckpointsVisited, int Checkpoints,
    int CheckIns, IReadOnlyList<Patroller> PatrolledBy);

/// <summary>One window of a grid's day. <see cref="Outcome"/> once recorded; <see cref="Progress"/> when recorded or asked for so far.</summary>
public sealed record PatrolWindowInfo(string Name, DateTimeOffset Start, DateTimeOffset End, PatrolWindowState State,
    PatrolOutcome? Outcome, PatrolProgress? Progress);

/// <summary>A grid's windows of a day.</summary>
public sealed record GridPatrolDay(string GridCode, string GridName, IReadOnlyList<PatrolWindowInfo> Windows);

/// <summary>How the windows of an area's grids on a day stand (whatever the list was filtered to).</summary>
public sealed record PatrolCounts(int Done, int Partial, int Missed, int NotRecorded);

/// <summary>The answer of <c>GET /api/patrols</c>: each grid of the area with its windows of the day.</summary>
public sealed record PatrolDay(string Jurisdiction, string Name, DateOnly Date, bool WorkingDay, PatrolCounts Counts, IReadOnlyList<GridPatrolDay> Grids);

/// <summary>What a window needs for done (the phone shows it).</summary>
public sealed record PatrolRequirementInfo(int MinimumMinutes, double MinimumCoverage, int CheckpointsNeeded);

public sealed record CheckpointInfo(int Ordinal, string Name, double Lat, double Lng);

public sealed record PatrolPhotoInfo(Guid Id, Guid CheckInId, string MediaType, int Size, string Sha256, DateTimeOffset UploadedAt, string Url);

public sealed record CheckInInfo(Guid Id, string WorkerId, string WorkerName, string GridCode, CheckInKind Kind, DateTimeOffset At,
    double Lat, double Lng, CheckpointInfo? Checkpoint, string? Note, IReadOnlyList<PatrolPhotoInfo> Photos);

/// <summary>A check-in as answered: <see cref="IsNew"/> false for a retry with the same Idempotency-Key.</summary>
public sealed record CheckedIn(CheckInInfo CheckIn, bool IsNew);

/// <summary>
/// The answer of <c>GET /api/patrols/mine</c> (and of start and stop): the person's grid today, their open session,
/// the grid's windows with their progress, its checkpoints and today's check-ins of its people.
/// </summary>
public sealed record MyPatrol(string WorkerId, string GridCode, string GridName, DateOnly Date, DateTimeOffset Now, DateTimeOffset? PatrollingSince,
    PatrolRequirementInfo Requirement, IReadOnlyList<PatrolWindowInfo> Windows, IReadOnlyList<CheckpointInfo> Checkpoints,
    IReadOnlyList<CheckInInfo> CheckIns);
