using CommandCenter.Workers;

namespace CommandCenter.Tests.Workers;

/// <summary>Duty status: what the phone may set, what the loop sets, SOS over everything, and lost contact by the clock.</summary>
public sealed class DutyRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan After = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(DutyStatus.OffDuty)]
    [InlineData(DutyStatus.OnDuty)]
    [InlineData(DutyStatus.OnPatrol)]
    [InlineData(DutyStatus.Sos)]
    public void The_phone_sets_every_status_but_busy_when_no_case_is_open(DutyStatus status) =>
        Assert.Null(DutyRules.RefuseFromPhone(status, openCases: 0));

    [Fact]
    public void Busy_is_the_loops_and_never_set_from_the_phone()
    {
        Assert.Contains("accepting a case", DutyRules.RefuseFromPhone(DutyStatus.Busy, openCases: 0));
        Assert.Contains("accepting a case", DutyRules.RefuseFromPhone(DutyStatus.Busy, openCases: 1));
    }

    [Fact]
    public void Nobody_goes_off_duty_with_an_accepted_case_but_patrol_and_sos_stay_open()
    {
        Assert.Contains("2 accepted case(s)", DutyRules.RefuseFromPhone(DutyStatus.OffDuty, openCases: 2));
        Assert.Null(DutyRules.RefuseFromPhone(DutyStatus.OnPatrol, openCases: 2));
        Assert.Null(DutyRules.RefuseFromPhone(DutyStatus.Sos, openCases: 2));
    }

    [Fact]
    public void Open_cases_show_as_busy_over_the_chosen_status_and_sos_over_them()
    {
        Assert.Equal(DutyStatus.Busy, DutyRules.Effective(DutyStatus.OnDuty, openCases: 1));
        Assert.Equal(DutyStatus.Busy, DutyRules.Effective(DutyStatus.OnPatrol, openCases: 3));
        Assert.Equal(DutyStatus.Sos, DutyRules.Effective(DutyStatus.Sos, openCases: 1));
        Assert.Equal(DutyStatus.OnPatrol, DutyRules.Effective(DutyStatus.OnPatrol, openCases: 0));
    }

    [Fact]
    public void Accepting_a_case_puts_an_off_duty_person_on_duty_and_keeps_other_choices()
    {
        Assert.Equal(DutyStatus.OnDuty, DutyRules.OnAccept(DutyStatus.OffDuty));
        Assert.Equal(DutyStatus.OnPatrol, DutyRules.OnAccept(DutyStatus.OnPatrol));
        Assert.Equal(DutyStatus.Sos, DutyRules.OnAccept(DutyStatus.Sos));
    }

    [Fact]
    public void Lost_contact_is_a_position_older_than_the_limit_while_not_off_duty()
    {
        var clock = new FakeClock(T0);
        var seen = clock.GetUtcNow();
        clock.Advance(After);
        Assert.False(DutyRules.LostContact(DutyStatus.OnDuty, seen, clock.GetUtcNow(), After));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(DutyRules.LostContact(DutyStatus.OnDuty, seen, clock.GetUtcNow(), After));
        Assert.True(DutyRules.LostContact(DutyStatus.Busy, seen, clock.GetUtcNow(), After));
        Assert.True(DutyRules.LostContact(DutyStatus.Sos, seen, clock.GetUtcNow(), After));
        Assert.False(DutyRules.LostContact(DutyStatus.OffDuty, seen, clock.GetUtcNow(), After));
    }

    [Fact]
    public void Someone_on_duty_who_never_sent_a_position_has_lost_contact()
    {
        Assert.True(DutyRules.LostContact(DutyStatus.OnPatrol, null, T0, After));
        Assert.False(DutyRules.LostContact(DutyStatus.OffDuty, null, T0, After));
    }

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
