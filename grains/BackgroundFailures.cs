using System.Diagnostics.Metrics;

namespace CommandCenter;

/// <summary>
/// The product's meter ("CommandCenter") and its count of contained failures of background work (a capture, a probe,
/// a push, a sweep): <c>cc.background.failures</c>, tagged by what failed. Such failures are logged where they happen
/// and counted here; none ends the process or holds up the intake.
/// </summary>
public static class BackgroundFailures
{
    public static readonly Meter Meter = new("CommandCenter");

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("cc.background.failures", description: "Contained failures of background work");

    public static void Count(string what) => Failures.Add(1, new KeyValuePair<string, object?>("what", what));
}
