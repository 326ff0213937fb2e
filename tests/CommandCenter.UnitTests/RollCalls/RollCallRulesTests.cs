using CommandCenter.RollCalls;

namespace CommandCenter.Tests.RollCalls;

/// <summary>
/// The roll call's rules on a call of three stations, 60 s to answer and two minutes late: one answers at once, one
/// late, one gets the call and never answers, one never gets it; what counts as an answer, the close, the outcome
/// before the sweep closes, and a station's history.
/// </summary>
public sealed class RollCallRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 1, 0, 0, TimeSpan.Zero); // 09:00 CST
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LateWindow = TimeSpan.FromMinutes(2);

    private static RollCall Call(params string[] stations) =>
        new(Guid.NewGuid(), null, "视频点名", "620402", Within, Start, RollCallRules.ClosesAt(Start, Within, LateWindow), null, "user:duty", "值班员", null,
            stations.Select(code => new CalledStation(code, [code, "620402"], null, null, RollCallOutcome.Pending)).ToList());

    private static CalledStation Of(RollCall call, string code) => call.Stations.Single(s => s.Code == code);

    [Fact]
    public void A_roll_call_closes_by_itself_after_the_time_to_answer_and_the_late_window()
    {
        Assert.Equal(Start.AddMinutes(3), Call("a").ClosesAt);
    }

    [Fact]
    public void The_answer_is_timed_from_delivery_and_on_time_up_to_the_time_to_answer_inclusive()
    {
        var call = RollCallRules.Deliver(Call("a", "b", "c"), "a", Start.AddSeconds(2))!;
        call = RollCallRules.Deliver(call, "b", Start.AddSeconds(3))!;
        call = RollCallRules.Answer(call, "a", Start.AddSeconds(6.5))!;
        call = RollCallRules.Answer(call, "b", Start.AddSeconds(63))!;
        Assert.Equal((RollCallOutcome.OnTime, TimeSpan.FromSeconds(4.5)), (Of(call, "a").Outcome, RollCallRules.Response(call, Of(call, "a"))));
        Assert.Equal((RollCallOutcome.OnTime, Within), (Of(call, "b").Outcome, RollCallRules.Response(call, Of(call, "b"))));
        var late = RollCallRules.Answer(RollCallRules.Deliver(call, "c", Start.AddSeconds(1))!, "c", Start.AddSeconds(61.001))!;
        Assert.Equal(RollCallOutcome.Late, Of(late, "c").Outcome);
    }

    [Fact]
    public void A_station_that_answers_before_its_delivery_was_reported_is_timed_from_the_start()
    {
        var call = RollCallRules.Answer(Call("a"), "a", Start.AddSeconds(9))!;
        Assert.Equal(TimeSpan.FromSeconds(9), RollCallRules.Response(call, Of(call, "a")));
        Assert.Null(RollCallRules.Deliver(call, "a", Start.AddSeconds(10)));
    }

    [Fact]
    public void Only_the_first_frame_between_the_start_and_the_close_of_a_called_station_counts()
    {
        var call = Call("a", "b");
        Assert.Null(RollCallRules.Answer(call, "a", Start.AddSeconds(-1)));
        Assert.Null(RollCallRules.Answer(call, "a", call.ClosesAt.AddTicks(1)));
        Assert.Null(RollCallRules.Answer(call, "u:duty", Start.AddSeconds(5)));
        Assert.NotNull(RollCallRules.Answer(call, "a", call.ClosesAt));
        var answered = RollCallRules.Answer(call, "a", Start.AddSeconds(5))!;
        Assert.Null(RollCallRules.Answer(answered, "a", Start.AddSeconds(7)));
        Assert.Null(RollCallRules.Deliver(call, "a", call.ClosesAt.AddTicks(1)));
        var delivered = RollCallRules.Deliver(call, "a", Start.AddSeconds(1))!;
        Assert.Null(RollCallRules.Deliver(delivered, "a", Start.AddSeconds(2)));
    }

    [Fact]
    public void Closing_makes_a_station_the_call_reached_not_answered_and_one_it_never_reached_offline()
    {
        var call = RollCallRules.Deliver(Call("a", "b", "c"), "b", Start.AddSeconds(1))!;
        call = RollCallRules.Answer(RollCallRules.Deliver(call, "a", Start.AddSeconds(1))!, "a", Start.AddSeconds(3))!;
        var closed = RollCallRules.Close(call, Start.AddMinutes(10), null)!;
        Assert.Equal(call.ClosesAt, closed.ClosedAt);
        Assert.Equal([RollCallOutcome.OnTime, RollCallOutcome.NotAnswered, RollCallOutcome.Offline], closed.Stations.Select(s => s.Outcome));
        Assert.Null(RollCallRules.Close(closed, Start.AddMinutes(11), "值班员"));
        Assert.Null(RollCallRules.Answer(closed, "b", Start.AddSeconds(30)));
        Assert.Null(RollCallRules.Deliver(closed, "c", Start.AddSeconds(30)));

        var ended = RollCallRules.Close(call, Start.AddSeconds(20), "值班员")!;
        Assert.Equal((Start.AddSeconds(20), "值班员"), (ended.ClosedAt!.Value, ended.EndedByName));
    }

    [Fact]
    public void Past_its_close_an_open_roll_call_shows_the_outcomes_the_sweep_will_record_and_stops_ringing()
    {
        var call = RollCallRules.Deliver(Call("a", "b"), "a", Start.AddSeconds(1))!;
        Assert.Equal(RollCallOutcome.Pending, RollCallRules.OutcomeAt(call, Of(call, "a"), call.ClosesAt));
        Assert.True(RollCallRules.Rings(call, Of(call, "a"), call.ClosesAt));
        Assert.Equal(RollCallOutcome.NotAnswered, RollCallRules.OutcomeAt(call, Of(call, "a"), call.ClosesAt.AddSeconds(1)));
        Assert.Equal(RollCallOutcome.Offline, RollCallRules.OutcomeAt(call, Of(call, "b"), call.ClosesAt.AddSeconds(1)));
        Assert.False(RollCallRules.Rings(call, Of(call, "a"), call.ClosesAt.AddSeconds(1)));
        var answered = RollCallRules.Answer(call, "a", Start.AddSeconds(4))!;
        Assert.False(RollCallRules.Rings(answered, Of(answered, "a"), Start.AddSeconds(5)));
    }

    [Fact]
    public void A_station_s_history_counts_closed_roll_calls_only_and_its_percentiles_are_nearest_rank()
    {
        var records = new List<(RollCall, CalledStation)>();
        foreach (var seconds in new[] { 3, 5, 8, 12, 70 })
        {
            var call = RollCallRules.Close(RollCallRules.Answer(RollCallRules.Deliver(Call("a"), "a", Start)!, "a", Start.AddSeconds(seconds))!, Start.AddHours(1), null)!;
            records.Add((call, Of(call, "a")));
        }
        var missed = RollCallRules.Close(RollCallRules.Deliver(Call("a"), "a", Start)!, Start.AddHours(1), null)!;
        var offline = RollCallRules.Close(Call("a"), Start.AddHours(1), null)!;
        var open = Call("a");
        records.AddRange([(missed, Of(missed, "a")), (offline, Of(offline, "a")), (open, Of(open, "a"))]);

        var stats = RollCallRules.Summarize(records);
        Assert.Equal(new RollCallStats(7, 4, 1, 1, 1, 5.0 / 7, 4.0 / 7, 8, 70), stats);
        Assert.Equal(new RollCallStats(0, 0, 0, 0, 0, null, null, null, null), RollCallRules.Summarize([(open, Of(open, "a"))]));
        Assert.Equal(12, RollCallRules.Percentile([3, 5, 8, 12], 0.9));
        Assert.Equal(5, RollCallRules.Percentile([3, 5, 8, 12], 0.5));
    }
}
