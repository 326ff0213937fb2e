using System.Diagnostics.Metrics;

namespace CommandCenter;

/// <summary>
/// The product's meter (<c>CommandCenter</c>), exported on the web host's <c>/metrics</c>. Its instruments are made
/// where they are measured: reports (<c>cc.reports</c>, IncidentGrain), group commits (<c>cc.group_commit.*</c>,
/// GroupCommit), feed lag (<c>cc.feed.lag</c>, FeedGrain), probes (<c>cc.probes</c>, StreamProbe), captures
/// (<c>cc.captures</c>, FrameGrabber), evidence (<c>cc.evidence</c>, EvidenceCollector), the track history
/// (<c>cc.positions.history</c>, PositionHistory) and contained failures of
/// background work (<c>cc.background.failures</c>, <see cref="BackgroundFailures"/>).
/// </summary>
public static class ProductMeter
{
    public static readonly Meter Meter = new("CommandCenter");

    /// <summary>One tag, for counters tagged by outcome.</summary>
    public static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
