using System.Diagnostics.Metrics;

namespace CommandCenter;

/// <summary>
/// The count of contained failures of background work (a capture, a probe, a push, a sweep) on the
/// <see cref="ProductMeter"/>: <c>cc.background.failures</c>, tagged by what failed. Such failures are logged where
/// they happen and counted here; none ends the process or holds up the intake.
/// </summary>
public static class BackgroundFailures
{
    private static readonly Counter<long> Failures = ProductMeter.Meter.CreateCounter<long>("cc.background.failures", description: "Contained failures of background work");

    public static void Count(string what) => Failures.Add(1, new KeyValuePair<string, object?>("what", what));
}
