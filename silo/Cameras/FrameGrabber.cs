using System.Diagnostics.Metrics;
using CommandCenter.Cameras;
using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Silo.Cameras;

/// <summary>Why a capture gave no frame: the stream did not answer in time, or it answered with an error or no picture.</summary>
public enum CaptureFailure
{
    TimedOut,
    StreamFailed,
}

public sealed class CaptureException(CaptureFailure failure, string message) : Exception(message)
{
    public CaptureFailure Failure { get; } = failure;
}

/// <summary>
/// Takes one frame of a camera's stream as a JPEG with ffmpeg (through FFMpegCore): only key frames are decoded, the
/// run has a hard time limit (<see cref="CameraOptions.CaptureTimeout"/>, after which ffmpeg is killed), and requests
/// for the same stream while a capture of it runs share that capture. Captures start within a budget: snapshot
/// requests' (<see cref="CameraOptions.MaxConcurrentCaptures"/>, waited for within the time limit) or the one the caller
/// brings (<see cref="TryCapture"/>: evidence's, never waited for). The address is checked against the allow-list
/// again here, whatever stored it. Each run is counted (<c>cc.captures</c>, tagged by outcome, frame, timedOut or
/// streamFailed, and by whose budget it ran in, snapshot or evidence).
/// </summary>
public sealed class FrameGrabber(IOptions<CameraOptions> options, ILogger<FrameGrabber> log)
{
    private static readonly Counter<long> Captures = ProductMeter.Meter.CreateCounter<long>("cc.captures", "{capture}",
        "Runs of ffmpeg for a frame: frame, timedOut or streamFailed, in a snapshot request's or evidence's budget");

    private readonly CameraOptions _options = options.Value;
    private readonly CaptureBudget _requests = new(Math.Max(1, options.Value.MaxConcurrentCaptures));
    private readonly SingleFlight<byte[]> _running = new();

    /// <summary>A frame of the stream: the capture of it running, or a new one once a snapshot request's slot is free.</summary>
    /// <exception cref="CaptureException">the address is not allowed, or the capture failed (no slot in time counts as timed out).</exception>
    public Task<byte[]> Capture(string streamUrl)
    {
        Check(streamUrl);
        return _running.Run(streamUrl, () => Run(streamUrl, taken: null));
    }

    /// <summary>
    /// A frame of the stream without waiting for a slot: the capture of it running, or a new one with a slot of
    /// <paramref name="budget"/> taken now; null when the budget has none free.
    /// </summary>
    /// <exception cref="CaptureException">the address is not allowed (the task: the capture failed).</exception>
    public Task<byte[]>? TryCapture(string streamUrl, CaptureBudget budget)
    {
        Check(streamUrl);
        if (_running.Running(streamUrl) is { } shared)
            return shared;
        if (!budget.TryTake())
            return null;
        var capture = _running.Run(streamUrl, () => Run(streamUrl, taken: budget), out var started);
        if (!started)
            budget.Release(); // another capture of the stream began meanwhile: this one shares it
        return capture;
    }

    private void Check(string streamUrl)
    {
        if (new StreamUrlPolicy(_options.AllowedHosts).Check(streamUrl) is { } problem)
            throw new CaptureException(CaptureFailure.StreamFailed, problem);
    }

    /// <param name="url">The stream.</param>
    /// <param name="taken">The budget whose slot the caller took for this run, or null: wait for a snapshot request's slot.</param>
    private async Task<byte[]> Run(string url, CaptureBudget? taken)
    {
        var budget = new KeyValuePair<string, object?>("for", taken is null ? "snapshot" : "evidence");
        try
        {
            var frame = await TakeSlotAndGrab(url, taken);
            Captures.Add(1, ProductMeter.Outcome("frame"), budget);
            return frame;
        }
        catch (CaptureException e)
        {
            Captures.Add(1, ProductMeter.Outcome(Json.Word(e.Failure)), budget);
            throw;
        }
    }

    private async Task<byte[]> TakeSlotAndGrab(string url, CaptureBudget? taken)
    {
        using var limit = new CancellationTokenSource(_options.CaptureTimeout);
        if (taken is null)
        {
            try
            {
                await _requests.Take(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new CaptureException(CaptureFailure.TimedOut,
                    $"No capture slot within {_options.CaptureTimeout.TotalSeconds:0.#} s: too many captures at once.");
            }
        }
        try
        {
            return await Grab(url, limit.Token);
        }
        finally
        {
            (taken ?? _requests).Release();
        }
    }

    private async Task<byte[]> Grab(string url, CancellationToken limit)
    {
        using var output = new MemoryStream();
        // Network reads inside ffmpeg give up before the hard limit kills it (microseconds).
        var ioTimeout = (long)(_options.CaptureTimeout.TotalMilliseconds * 1000);
        var input = url.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase)
            ? $"-skip_frame nokey -rtsp_transport udp -timeout {ioTimeout} -analyzeduration 1000000 -probesize 1000000"
            : $"-skip_frame nokey -rw_timeout {ioTimeout} -analyzeduration 1000000 -probesize 1000000";
        var started = DateTimeOffset.UtcNow;
        try
        {
            var run = FFMpegArguments
                .FromUrlInput(new Uri(url), o => o.WithCustomArgument(input))
                .OutputToPipe(new StreamPipeSink(output), o => o
                    .WithCustomArgument("-an -frames:v 1 -c:v mjpeg -q:v 4")
                    .ForceFormat("image2pipe"))
                .CancellableThrough(out var stop);
            // FFMpegCore stops ffmpeg by writing "q" to its stdin, then kills it. Given the token, it would do so in the
            // token's callback, on the timer thread of the time limit, where a write that fails (ffmpeg gone, stdin
            // closed: "Broken pipe") ends the whole process. Here the callback is ours and contains it.
            await using var atLimit = limit.Register(() => Stop(stop));
            await run.ProcessAsynchronously(throwOnError: true);
        }
        catch (Exception e) when (limit.IsCancellationRequested && e is OperationCanceledException or FFMpegException)
        {
            throw new CaptureException(CaptureFailure.TimedOut, $"The stream sent no picture within {_options.CaptureTimeout.TotalSeconds:0.#} s.");
        }
        catch (FFMpegException e)
        {
            // ffmpeg's own words name the address, which may carry the camera's credentials: they go to the log only, without them.
            log.LogInformation("Capture of a camera stream failed after {Elapsed:0} ms: {Message}", (DateTimeOffset.UtcNow - started).TotalMilliseconds,
                StreamUrlPolicy.WithoutCredentials(e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? ""));
            throw new CaptureException(CaptureFailure.StreamFailed, "The stream could not be read: " + Reason(e.Message) + ".");
        }
        if (output.Length < 4 || output.GetBuffer()[0] != 0xFF || output.GetBuffer()[1] != 0xD8)
            throw new CaptureException(CaptureFailure.StreamFailed, "The stream gave no picture.");
        return output.ToArray();
    }

    /// <summary>
    /// Stops a run at its time limit. A write to a stdin ffmpeg has closed fails only once ffmpeg has exited, so there
    /// is nothing left to kill then; whatever else stopping throws is logged, and the run ends as timed out.
    /// </summary>
    private void Stop(Action stop)
    {
        try
        {
            stop();
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("capture.stop");
            log.LogDebug(e, "Stopping ffmpeg at the capture's time limit failed (it had exited)");
        }
    }

    /// <summary>What went wrong, in words that cannot carry the stream's address.</summary>
    private static string Reason(string ffmpegMessage) => ffmpegMessage switch
    {
        _ when ffmpegMessage.Contains("Connection refused", StringComparison.OrdinalIgnoreCase) => "the connection was refused",
        _ when ffmpegMessage.Contains("404", StringComparison.Ordinal) => "the address was not found (404)",
        _ when ffmpegMessage.Contains("401", StringComparison.Ordinal) || ffmpegMessage.Contains("403", StringComparison.Ordinal) =>
            "the camera refused the credentials",
        _ when ffmpegMessage.Contains("Invalid data", StringComparison.OrdinalIgnoreCase) => "it sent something that is not a video stream",
        _ when ffmpegMessage.Contains("timed out", StringComparison.OrdinalIgnoreCase) => "the connection timed out",
        _ => "ffmpeg gave up (see the server log)",
    };
}
