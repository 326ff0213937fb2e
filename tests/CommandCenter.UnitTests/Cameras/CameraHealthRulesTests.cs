using CommandCenter.Cameras;

namespace CommandCenter.Tests.Cameras;

/// <summary>The health rules as plain code: how probes move a camera's status, and when its alarm is raised or cleared.</summary>
public sealed class CameraHealthRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AlarmAfter = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_first_success_makes_an_unknown_camera_online_since_then()
    {
        var online = CameraHealthRules.Seen(CameraHealth.Unknown, T0);
        Assert.Equal((CameraStatus.Online, T0, T0, (DateTimeOffset?)null), (online.Status, online.Since, online.LastSeenAt, online.LastFrameAt));
        var later = CameraHealthRules.Seen(online, T0.AddMinutes(1), frame: true);
        Assert.Equal((T0, T0.AddMinutes(1), T0.AddMinutes(1)), (later.Since!.Value, later.LastSeenAt!.Value, later.LastFrameAt!.Value));
    }

    [Fact]
    public void Offline_comes_after_the_configured_failures_in_a_row_and_counts_from_the_first()
    {
        var online = CameraHealthRules.Seen(CameraHealth.Unknown, T0);
        var once = CameraHealthRules.Failed(online, T0.AddMinutes(1), "refused", failuresForOffline: 2);
        Assert.Equal((CameraStatus.Online, 1, "refused"), (once.Status, once.Failures, once.Reason));
        var twice = CameraHealthRules.Failed(once, T0.AddMinutes(2), "refused", failuresForOffline: 2);
        Assert.Equal((CameraStatus.Offline, T0.AddMinutes(1)), (twice.Status, twice.Since!.Value));
        var thrice = CameraHealthRules.Failed(twice, T0.AddMinutes(3), "timed out", failuresForOffline: 2);
        Assert.Equal((CameraStatus.Offline, T0.AddMinutes(1), 3, "timed out"), (thrice.Status, thrice.Since!.Value, thrice.Failures, thrice.Reason));
    }

    [Fact]
    public void A_success_between_failures_starts_the_count_again()
    {
        var online = CameraHealthRules.Seen(CameraHealth.Unknown, T0);
        var once = CameraHealthRules.Failed(online, T0.AddMinutes(1), "refused", 2);
        var seen = CameraHealthRules.Seen(once, T0.AddMinutes(2));
        Assert.Equal((CameraStatus.Online, 0, (DateTimeOffset?)null, T0), (seen.Status, seen.Failures, seen.FailingSince, seen.Since!.Value));
        Assert.Equal(CameraStatus.Online, CameraHealthRules.Failed(seen, T0.AddMinutes(3), "refused", 2).Status);
    }

    [Fact]
    public void An_unknown_camera_that_never_answers_goes_offline_from_its_first_failure()
    {
        var once = CameraHealthRules.Failed(CameraHealth.Unknown, T0, "refused", 2);
        Assert.Equal(CameraStatus.Unknown, once.Status);
        var twice = CameraHealthRules.Failed(once, T0.AddMinutes(1), "refused", 2);
        Assert.Equal((CameraStatus.Offline, T0), (twice.Status, twice.Since!.Value));
    }

    [Fact]
    public void The_alarm_is_raised_once_the_camera_is_offline_long_enough_and_cleared_when_it_is_back()
    {
        var offline = new CameraHealth(CameraStatus.Offline, Since: T0, Failures: 2, FailingSince: T0);
        Assert.Equal(AlarmStep.None, CameraHealthRules.Alarm(offline, T0.Add(AlarmAfter).AddSeconds(-1), AlarmAfter));
        Assert.Equal(AlarmStep.Raise, CameraHealthRules.Alarm(offline, T0.Add(AlarmAfter), AlarmAfter));
        var raised = offline with { Alarm = Guid.NewGuid() };
        Assert.Equal(AlarmStep.None, CameraHealthRules.Alarm(raised, T0.AddHours(5), AlarmAfter));
        var back = CameraHealthRules.Seen(raised, T0.AddHours(6));
        Assert.Equal(AlarmStep.Clear, CameraHealthRules.Alarm(back, T0.AddHours(6), AlarmAfter));
        Assert.Equal(AlarmStep.None, CameraHealthRules.Alarm(CameraHealthRules.Seen(CameraHealth.Unknown, T0), T0.AddHours(1), AlarmAfter));
    }

    [Fact]
    public void First_probes_spread_over_the_interval_and_stay_put_for_a_camera()
    {
        var interval = TimeSpan.FromMinutes(1);
        var offsets = Enumerable.Range(1, 1473).Select(i => CameraGrain.FirstDue($"CAM-{i:D4}", interval)).ToList();
        Assert.All(offsets, o => Assert.InRange(o, TimeSpan.Zero, interval));
        var perTenSeconds = offsets.GroupBy(o => (int)(o.TotalSeconds / 10)).Select(g => g.Count()).ToList();
        Assert.Equal(6, perTenSeconds.Count);
        Assert.All(perTenSeconds, n => Assert.InRange(n, 1473 / 6 * 0.8, 1473 / 6 * 1.2));
        Assert.Equal(CameraGrain.FirstDue("CAM-0001", interval), CameraGrain.FirstDue("CAM-0001", interval));
    }
}
