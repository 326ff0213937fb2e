namespace CommandCenter.Cameras;

/// <summary>What a camera frame kept in Redis is still good for, by when it was taken.</summary>
public static class FrameAge
{
    /// <summary>
    /// Whether a snapshot request gets the kept frame as it is ("warm"): taken less than
    /// <see cref="CameraOptions.SnapshotFreshFor"/> ago. An older one is still answered ("stale") while one capture
    /// takes the next.
    /// </summary>
    public static bool IsFresh(DateTimeOffset takenAt, DateTimeOffset now, TimeSpan freshFor) => now - takenAt < freshFor;

    /// <summary>
    /// Whether the kept frame may serve as evidence of a report made at <paramref name="reportedAt"/>: taken at most
    /// <see cref="CameraOptions.EvidenceFrameAge"/> before it (a frame taken after the report is as good as one captured
    /// now, which would come later still).
    /// </summary>
    public static bool ServesEvidence(DateTimeOffset takenAt, DateTimeOffset reportedAt, TimeSpan evidenceFrameAge) =>
        takenAt >= reportedAt - evidenceFrameAge;
}
