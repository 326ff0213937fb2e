namespace CommandCenter.RollCalls;

/// <summary>What one station's answers to the roll calls of a period add up to (<see cref="RollCallRules.Summarize"/>).</summary>
/// <param name="Called">Roll calls of the station closed in the period (open ones are not counted).</param>
/// <param name="AnswerRate">(on time + late) / called; null when none was called.</param>
/// <param name="OnTimeRate">on time / called; null when none was called.</param>
/// <param name="MedianSeconds">The median response of the answered ones (delivered → first frame); null when none answered.</param>
/// <param name="P90Seconds">The 90th percentile (nearest rank) of the same; null when none answered.</param>
public sealed record RollCallStats(int Called, int OnTime, int Late, int NotAnswered, int Offline, double? AnswerRate, double? OnTimeRate,
    double? MedianSeconds, double? P90Seconds);

/// <summary>
/// The rules of the video roll call (视频点名), plain code: the time a station has to answer (from the call reaching a
/// page of its, or from the start when it answers before that was reported), when a roll call closes by itself
/// (<see cref="ClosesAt"/>: the time to answer and the late window after it), what counts as an answer (the first
/// frame the media server received from the station in the roll call's room, between the start and the close), the
/// outcomes (<see cref="RollCallOutcome"/>), and what a station's answers add up to.
/// </summary>
public static class RollCallRules
{
    public static readonly TimeSpan DefaultAnswerWithin = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinAnswerWithin = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxAnswerWithin = TimeSpan.FromMinutes(10);

    public const int MaxStations = 60;
    public const int MaxTitleLength = 100;

    /// <summary>When a roll call started at <paramref name="startedAt"/> closes by itself: answers count as late until then.</summary>
    public static DateTimeOffset ClosesAt(DateTimeOffset startedAt, TimeSpan answerWithin, TimeSpan lateWindow) => startedAt + answerWithin + lateWindow;

    /// <summary>From when a station's answer is timed: the call reaching it, else (it answered first) the start.</summary>
    public static DateTimeOffset Since(RollCall call, CalledStation station) => station.DeliveredAt ?? call.StartedAt;

    /// <summary>How long the station took to answer (never below zero), or null before it answered.</summary>
    public static TimeSpan? Response(RollCall call, CalledStation station) =>
        station.AnsweredAt is { } at ? (at - Since(call, station) is var taken && taken > TimeSpan.Zero ? taken : TimeSpan.Zero) : null;

    /// <summary>The roll call with the call delivered to the station at <paramref name="at"/>, or null when that changes nothing (closed, not called, delivered or answered already).</summary>
    public static RollCall? Deliver(RollCall call, string station, DateTimeOffset at) =>
        Change(call, station, s => call.IsOpen && s.DeliveredAt is null && s.AnsweredAt is null && at <= call.ClosesAt ? s with { DeliveredAt = at } : null);

    /// <summary>
    /// The roll call with the station's answer at <paramref name="at"/> (on time when it took at most the time to
    /// answer, else late), or null when it does not count: closed, after <see cref="RollCall.ClosesAt"/>, before the
    /// start (a frame of an earlier connection), a station not called, or answered already.
    /// </summary>
    public static RollCall? Answer(RollCall call, string station, DateTimeOffset at)
    {
        if (!call.IsOpen || at > call.ClosesAt || at < call.StartedAt)
            return null;
        return Change(call, station, s =>
        {
            if (s.AnsweredAt is not null)
                return null;
            var answered = s with { AnsweredAt = at };
            return answered with { Outcome = Response(call, answered) <= call.AnswerWithin ? RollCallOutcome.OnTime : RollCallOutcome.Late };
        });
    }

    /// <summary>
    /// The roll call closed at <paramref name="at"/> (at its <see cref="RollCall.ClosesAt"/> at the latest): each
    /// station not answered is not answered when the call reached it, else offline. Null when closed already.
    /// </summary>
    public static RollCall? Close(RollCall call, DateTimeOffset at, string? endedByName)
    {
        if (!call.IsOpen)
            return null;
        return call with
        {
            ClosedAt = at < call.ClosesAt ? at : call.ClosesAt,
            EndedByName = endedByName,
            Stations = call.Stations.Select(s => s.Outcome == RollCallOutcome.Pending ? s with { Outcome = Unanswered(s) } : s).ToList(),
        };
    }

    /// <summary>The station's outcome as of <paramref name="now"/>: the one recorded, or, past the close of an open roll call the sweep has not closed yet, the one it will record.</summary>
    public static RollCallOutcome OutcomeAt(RollCall call, CalledStation station, DateTimeOffset now) =>
        station.Outcome == RollCallOutcome.Pending && now > call.ClosesAt ? Unanswered(station) : station.Outcome;

    /// <summary>Whether the station's page should ring now: called, not answered, the roll call open and not past its close.</summary>
    public static bool Rings(RollCall call, CalledStation station, DateTimeOffset now) =>
        call.IsOpen && now <= call.ClosesAt && station.AnsweredAt is null;

    /// <summary>What a station's roll calls add up to: counts per outcome of the closed ones, rates over those called, response percentiles of the answered ones.</summary>
    public static RollCallStats Summarize(IEnumerable<(RollCall Call, CalledStation Station)> records)
    {
        var closed = records.Where(r => !r.Call.IsOpen && r.Station.Outcome != RollCallOutcome.Pending).ToList();
        int Count(RollCallOutcome outcome) => closed.Count(r => r.Station.Outcome == outcome);
        var responses = closed.Select(r => Response(r.Call, r.Station)).OfType<TimeSpan>().Select(t => t.TotalSeconds).Order().ToList();
        var (onTime, late) = (Count(RollCallOutcome.OnTime), Count(RollCallOutcome.Late));
        return new RollCallStats(closed.Count, onTime, late, Count(RollCallOutcome.NotAnswered), Count(RollCallOutcome.Offline),
            closed.Count == 0 ? null : (double)(onTime + late) / closed.Count, closed.Count == 0 ? null : (double)onTime / closed.Count,
            Percentile(responses, 0.5), Percentile(responses, 0.9));
    }

    /// <summary>The nearest-rank percentile of sorted values (p in (0, 1]), or null of none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static RollCallOutcome Unanswered(CalledStation s) => s.DeliveredAt is null ? RollCallOutcome.Offline : RollCallOutcome.NotAnswered;

    private static RollCall? Change(RollCall call, string station, Func<CalledStation, CalledStation?> change)
    {
        var index = call.Stations.ToList().FindIndex(s => s.Code == station);
        if (index < 0 || change(call.Stations[index]) is not { } changed)
            return null;
        var stations = call.Stations.ToList();
        stations[index] = changed;
        return call with { Stations = stations };
    }
}
