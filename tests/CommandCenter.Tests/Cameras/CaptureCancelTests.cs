using System.Collections.Concurrent;
using System.Diagnostics;
using CommandCenter.Cameras;
using CommandCenter.Silo.Cameras;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Tests.Cameras;

/// <summary>
/// Captures stopped at their time limit at every moment of ffmpeg's life, against a real HLS stream: before ffmpeg
/// starts, while it reads, and around its exit. None may throw anything but a capture's own failure, nothing may
/// escape on a timer or finalizer thread (an unhandled exception would end this test process with the run), and no
/// task may fail unobserved.
/// </summary>
public sealed class CaptureCancelTests
{
    private const int Captures = 1000;

    [Fact]
    public async Task A_thousand_captures_stopped_at_every_moment_of_ffmpegs_life_leave_the_process_running()
    {
        // Background exceptions are recorded for the whole run (BackgroundExceptions); those of this test's time must be none.
        var before = BackgroundExceptions.All.Count;
        await using var hls = await HlsTestServer.Start();
        await Grabber(TimeSpan.FromSeconds(10)).Capture(hls.Url + "?n=cold");
        var timed = Stopwatch.StartNew();
        await Grabber(TimeSpan.FromSeconds(10)).Capture(hls.Url + "?n=warm");
        var oneCapture = timed.Elapsed;

        // Limits of zero (stopped before ffmpeg starts), of ten seconds (done long before: the limit comes after the exit)
        // and from nothing to three single captures' time in between (stopped while it reads, and as it exits).
        var random = new Random(Captures);
        var limits = Enumerable.Range(0, Captures)
            .Select(i => (i % 10) switch { 0 => TimeSpan.Zero, 1 => TimeSpan.FromSeconds(10), _ => oneCapture * (random.NextDouble() * 3) })
            .ToList();
        var outcomes = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(limits.Select((limit, i) => (limit, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (run, _) =>
            {
                var outcome = "frame";
                try
                {
                    var jpeg = await Grabber(run.limit).Capture($"{hls.Url}?n={run.i}");
                    Assert.Equal(0xFF, jpeg[0]);
                }
                catch (CaptureException e)
                {
                    outcome = e.Failure.ToString();
                }
                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(Captures, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault(nameof(CaptureFailure.TimedOut)) >= Captures / 10, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("frame") > 0, string.Join(", ", outcomes));
        Assert.Empty(BackgroundExceptions.All.Skip(before));
    }

    private static FrameGrabber Grabber(TimeSpan limit) => new(
        Options.Create(new CameraOptions { AllowedHosts = [.. CameraOptions.DefaultHosts], CaptureTimeout = limit, MaxConcurrentCaptures = 8 }),
        NullLogger<FrameGrabber>.Instance);
}
