namespace CommandCenter.Cameras;

/// <summary>What evidence came to: per camera near a report, and per report that got none at all.</summary>
public enum EvidenceOutcome
{
    /// <summary>A camera's kept frame, taken recently enough (<see cref="FrameAge.ServesEvidence"/>).</summary>
    Warm,

    /// <summary>A camera's frame captured for this report, or by the capture of that camera it shared.</summary>
    Captured,

    /// <summary>No frame: every evidence capture slot was taken (<see cref="CameraOptions.EvidenceCaptures"/>).</summary>
    Busy,

    /// <summary>No frame: the capture failed (the stream refused, sent no picture, or not in time).</summary>
    Failed,

    /// <summary>A report with no camera that can give a frame within <see cref="CameraOptions.EvidenceRadiusMeters"/>.</summary>
    NoneNear,

    /// <summary>A report that got no evidence because the evidence queue was full.</summary>
    Dropped,
}

/// <summary>
/// Counts of evidence outcomes since the last summary, handed out at most once per interval, so that the log says
/// what evidence did in one line a minute rather than one line per report. Safe to count from many threads.
/// </summary>
public sealed class EvidenceTally(DateTimeOffset start)
{
    private readonly long[] _counts = new long[Enum.GetValues<EvidenceOutcome>().Length];
    private readonly Lock _summarizing = new();
    private DateTimeOffset _since = start;

    public void Count(EvidenceOutcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);

    /// <summary>
    /// The counts since the last summary when at least <paramref name="every"/> has passed since it (and something was
    /// counted), else null. The counts start again from zero.
    /// </summary>
    public EvidenceSummary? Summary(DateTimeOffset now, TimeSpan every)
    {
        lock (_summarizing)
        {
            if (now - _since < every || _counts.All(c => c == 0))
                return null;
            var counts = _counts.Select((_, i) => Interlocked.Exchange(ref _counts[i], 0)).ToArray();
            var summary = new EvidenceSummary(_since, now, counts);
            _since = now;
            return summary;
        }
    }
}

/// <summary>Evidence outcomes counted from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record EvidenceSummary(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<long> Counts)
{
    public long this[EvidenceOutcome outcome] => Counts[(int)outcome];
}
