using CommandCenter.Cameras;

namespace CommandCenter.Tests.Cameras;

/// <summary>
/// The rules evidence and snapshots go by: how old a kept frame may be, the capture budget that is never waited for,
/// one capture shared by whoever asks meanwhile, and outcome counts summed up at most once per interval.
/// </summary>
public sealed class EvidenceRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_kept_frame_is_fresh_for_snapshots_until_its_time_then_stale()
    {
        var freshFor = TimeSpan.FromSeconds(5);
        Assert.True(FrameAge.IsFresh(T0, T0, freshFor));
        Assert.True(FrameAge.IsFresh(T0, T0.AddSeconds(4.999), freshFor));
        Assert.False(FrameAge.IsFresh(T0, T0.AddSeconds(5), freshFor));
        Assert.False(FrameAge.IsFresh(T0, T0.AddMinutes(9), freshFor));
        Assert.True(FrameAge.IsFresh(T0.AddSeconds(1), T0, freshFor)); // taken by a node whose clock is a little ahead
    }

    [Fact]
    public void A_kept_frame_serves_as_evidence_when_taken_at_most_the_frame_age_before_the_report()
    {
        var age = TimeSpan.FromSeconds(5);
        var reported = T0.AddMinutes(1);
        Assert.True(FrameAge.ServesEvidence(reported, reported, age));
        Assert.True(FrameAge.ServesEvidence(reported - age, reported, age));
        Assert.True(FrameAge.ServesEvidence(reported.AddSeconds(30), reported, age)); // taken after it: as good as a capture now
        Assert.False(FrameAge.ServesEvidence(reported - age - TimeSpan.FromMilliseconds(1), reported, age));
        Assert.False(FrameAge.ServesEvidence(T0, reported, age));
    }

    [Fact]
    public void With_the_budget_taken_a_capture_is_busy_at_once_until_a_slot_is_released()
    {
        var budget = new CaptureBudget(2);
        Assert.True(budget.TryTake());
        Assert.True(budget.TryTake());
        Assert.Equal(2, budget.InUse);

        Assert.False(budget.TryTake());
        Assert.False(budget.TryTake());

        budget.Release();
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());
        Assert.False(new CaptureBudget(0).TryTake());
    }

    [Fact]
    public async Task Work_asked_for_while_it_runs_is_shared_and_the_key_is_free_once_it_ends()
    {
        var flight = new SingleFlight<int>();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Task<int> Work()
        {
            runs++;
            return gate.Task;
        }

        var first = flight.Run("camera", Work, out var firstStarted);
        var second = flight.Run("camera", Work, out var secondStarted);
        var other = flight.Run("other", () => Task.FromResult(7));

        Assert.Same(first, second);
        Assert.Same(first, flight.Running("camera"));
        Assert.Equal((true, false, 1), (firstStarted, secondStarted, runs));
        Assert.Equal(7, await other);
        Assert.Null(flight.Running("other"));
        gate.SetResult(42);
        Assert.Equal(42, await second);
        Assert.Null(flight.Running("camera"));

        var failed = flight.Run("camera", () => throw new InvalidOperationException("no frame"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Null(flight.Running("camera"));
        Assert.Equal(2, await flight.Run("camera", () => Task.FromResult(2)));
    }

    [Fact]
    public void Outcomes_are_summed_up_at_most_once_per_interval_and_counted_from_zero_after()
    {
        var tally = new EvidenceTally(T0);
        var every = TimeSpan.FromMinutes(1);
        Assert.Null(tally.Summary(T0.AddMinutes(5), every)); // nothing counted: nothing to say
        tally.Count(EvidenceOutcome.Warm);
        tally.Count(EvidenceOutcome.Warm);
        tally.Count(EvidenceOutcome.Busy);
        tally.Count(EvidenceOutcome.Dropped);

        var summary = tally.Summary(T0.AddMinutes(5), every);
        Assert.NotNull(summary);
        Assert.Equal((2L, 0L, 1L, 0L, 0L, 1L), (summary[EvidenceOutcome.Warm], summary[EvidenceOutcome.Captured], summary[EvidenceOutcome.Busy],
            summary[EvidenceOutcome.Failed], summary[EvidenceOutcome.NoneNear], summary[EvidenceOutcome.Dropped]));
        Assert.Equal((T0, T0.AddMinutes(5)), (summary.From, summary.To));

        tally.Count(EvidenceOutcome.Captured);
        Assert.Null(tally.Summary(T0.AddMinutes(5.5), every));
        var next = tally.Summary(T0.AddMinutes(6), every);
        Assert.Equal((0L, 1L), (next![EvidenceOutcome.Warm], next[EvidenceOutcome.Captured]));
    }
}
