using CommandCenter.Calendar;
using CommandCenter.Incidents;
using CommandCenter.Statistics;

namespace CommandCenter.UnitTests.Statistics;

/// <summary>What hand-made histories add to the statistics, and the KPIs made of it.</summary>
public sealed class StatFactsTests
{
    private static readonly WorkingCalendar Calendar = new(CalendarYear.Shipped());

    private static readonly string[] Path = ["G1", "V1", "T1", "C1"];

    /// <summary>Monday 1 December 2026, 09:00 CST.</summary>
    private static readonly DateTimeOffset Monday = DateTimeOffset.Parse("2026-12-01T09:00:00+08:00");

    /// <summary>A case's history made step by step, and what each step added.</summary>
    private sealed class Case
    {
        private IncidentHistory _history;
        public readonly List<StatChange> Changes = [];

        public Case(DateTimeOffset at, string category = "dispute.neighbor")
        {
            var report = new ReportIncident(IncidentSource.GridWorker, category, "邻里纠纷", "", 36.5, 104.1, null, "G1", Path, "user:worker-1", "GridWorker");
            _history = IncidentHistory.Empty;
            Apply(IncidentHistory.NewReport(report, at));
        }

        public IncidentDetails State => _history.Details!;

        public Case Then(string kind, DateTimeOffset at, IncidentChange? change = null)
        {
            Apply(_history.Next(kind, at, "user:duty", "DutyOfficer", change ?? new IncidentChange()));
            return this;
        }

        private void Apply(IncidentEvent e)
        {
            var before = _history.Details;
            _history = _history.Apply(Guid.Empty, e);
            Changes.Add(StatFacts.Of(before, _history.Details!, e, Calendar));
        }

        public int Count(StatMeasure measure) => Changes.Sum(c => c.Measures.Count(m => m == measure));

        public IReadOnlyList<StatMeasure> On(DateOnly day) => Changes.Where(c => c.Day == day).SelectMany(c => c.Measures).ToList();
    }

    private static IncidentChange Due(DeadlineStep step, DateTimeOffset at) => new(Deadline: new Deadline(step, at));

    /// <summary>The usual loop up to the feedback, from verification a minute after <paramref name="from"/> on.</summary>
    private static Case Handled(Case c, DateTimeOffset from) => c
        .Then(IncidentEventKinds.Verified, from.AddMinutes(1), Due(DeadlineStep.Ticket, from.AddDays(1)))
        .Then(IncidentEventKinds.Ticketed, from.AddMinutes(2), Due(DeadlineStep.Ticket, from.AddDays(1)) with { HandlingClass = "ordinary" })
        .Then(IncidentEventKinds.Dispatched, from.AddMinutes(3),
            Due(DeadlineStep.Accept, from.AddDays(1)) with { Assignee = new Assignee(AssigneeKind.Worker, "w-1", "张三"), Level = "G1" })
        .Then(IncidentEventKinds.Accepted, from.AddMinutes(4), Due(DeadlineStep.Handle, from.AddDays(7)))
        .Then(IncidentEventKinds.Handled, from.AddMinutes(5), Due(DeadlineStep.Feedback, from.AddDays(8)));

    [Fact]
    public void A_reopened_case_is_accepted_and_closed_once_and_counts_its_reopening_and_both_ratings()
    {
        var c = Handled(new Case(Monday), Monday)
            .Then(IncidentEventKinds.FedBack, Monday.AddHours(2), new IncidentChange(Note: "已调解"))
            .Then(IncidentEventKinds.Rated, Monday.AddHours(3), new IncidentChange(Rating: Rating.Dissatisfied))
            .Then(IncidentEventKinds.Reopened, Monday.AddHours(3), Due(DeadlineStep.Handle, Monday.AddDays(7)))
            .Then(IncidentEventKinds.Handled, Monday.AddHours(5), Due(DeadlineStep.Feedback, Monday.AddDays(8)))
            .Then(IncidentEventKinds.FedBack, Monday.AddHours(6), new IncidentChange(Note: "再次调解"))
            .Then(IncidentEventKinds.Rated, Monday.AddHours(7), new IncidentChange(Rating: Rating.Satisfied));

        Assert.Equal((1, 1, 1, 1, 1, 1, 1), (c.Count(StatMeasure.Reported), c.Count(StatMeasure.Accepted), c.Count(StatMeasure.Closed),
            c.Count(StatMeasure.ClosedOnTime), c.Count(StatMeasure.Reopened), c.Count(StatMeasure.RatedDissatisfied), c.Count(StatMeasure.RatedSatisfied)));
        Assert.Equal(Monday.AddHours(2), c.State.FirstClosedAt);
        var close = Assert.Single(c.Changes.SelectMany(x => x.Times), t => t.Kind == StatDuration.ToClose);
        Assert.Equal(2, close.WorkingHours, 6);
        var accept = Assert.Single(c.Changes.SelectMany(x => x.Times), t => t.Kind == StatDuration.ToAccept);
        Assert.Equal(1 / 60.0, accept.WorkingHours, 6);
    }

    [Fact]
    public void A_merged_duplicate_is_reported_and_merged_but_never_accepted_or_closed()
    {
        var c = new Case(Monday).Then(IncidentEventKinds.Merged, Monday.AddMinutes(10), new IncidentChange(Incident: Guid.NewGuid()));

        Assert.Equal((1, 1, 0, 0), (c.Count(StatMeasure.Reported), c.Count(StatMeasure.Merged), c.Count(StatMeasure.Accepted), c.Count(StatMeasure.Closed)));
        Assert.Empty(c.Changes.SelectMany(x => x.Times));
    }

    [Fact]
    public void A_case_closed_after_a_missed_deadline_is_closed_but_not_on_time_and_counts_its_supervision()
    {
        var supervision = new Supervision("V1", DeadlineStep.Handle, Monday.AddDays(8), Monday.AddDays(9), 1);
        var c = Handled(new Case(Monday), Monday)
            .Then(IncidentEventKinds.Overdue, Monday.AddDays(8), new IncidentChange(Supervision: supervision))
            .Then(IncidentEventKinds.SupervisionEscalated, Monday.AddDays(9), new IncidentChange(Supervision: supervision with { By = "T1", Round = 2 }))
            .Then(IncidentEventKinds.FedBack, Monday.AddDays(10), new IncidentChange(Note: "已办结"));

        Assert.Equal((1, 0, 1, 1, 1), (c.Count(StatMeasure.Closed), c.Count(StatMeasure.ClosedOnTime), c.Count(StatMeasure.EverOverdue),
            c.Count(StatMeasure.Supervised), c.Count(StatMeasure.SupervisionEscalated)));
        Assert.Equal(0, Kpis.Of(Counts(c)).OnTimeRate);
    }

    [Fact]
    public void A_case_escalated_twice_counts_two_escalations_and_is_closed_at_the_township()
    {
        var c = new Case(Monday)
            .Then(IncidentEventKinds.Verified, Monday.AddMinutes(5), Due(DeadlineStep.Ticket, Monday.AddDays(1)))
            .Then(IncidentEventKinds.Escalated, Monday.AddHours(1), Due(DeadlineStep.Ticket, Monday.AddDays(1)) with { Level = "V1" })
            .Then(IncidentEventKinds.Escalated, Monday.AddHours(2), Due(DeadlineStep.Ticket, Monday.AddDays(1)) with { Level = "T1" })
            .Then(IncidentEventKinds.Ticketed, Monday.AddHours(3), Due(DeadlineStep.Ticket, Monday.AddDays(1)) with { HandlingClass = "hard" })
            .Then(IncidentEventKinds.Dispatched, Monday.AddHours(4),
                Due(DeadlineStep.Accept, Monday.AddDays(1)) with { Assignee = new Assignee(AssigneeKind.Department, "dept", "住建局") })
            .Then(IncidentEventKinds.Accepted, Monday.AddHours(5), Due(DeadlineStep.Handle, Monday.AddDays(30)))
            .Then(IncidentEventKinds.Handled, Monday.AddHours(6), Due(DeadlineStep.Feedback, Monday.AddDays(31)))
            .Then(IncidentEventKinds.FedBack, Monday.AddHours(7), new IncidentChange(Note: "已办结"));

        Assert.Equal((2, 1, 1, 1), (c.Count(StatMeasure.Escalated), c.Count(StatMeasure.RoutedToDepartment), c.Count(StatMeasure.ClosedAtTownship),
            c.Count(StatMeasure.Accepted)));
        Assert.Equal(0, c.Count(StatMeasure.ClosedAtGrid));
    }

    [Fact]
    public void A_case_closed_on_the_spot_is_accepted_and_closed_at_the_grid_on_time()
    {
        var c = new Case(Monday).Then(IncidentEventKinds.Resolved, Monday.AddMinutes(30), new IncidentChange(Note: "当场劝离"));

        Assert.Equal([StatMeasure.Accepted, StatMeasure.Closed, StatMeasure.ClosedOnTime, StatMeasure.ClosedAtGrid], c.Changes[1].Measures);
        var rates = Kpis.Of(Counts(c));
        Assert.Equal((1.0, 1.0, 1.0), (rates.ClosureRate, rates.OnTimeRate, rates.OnTheSpotRate));
        Assert.Equal(new LevelShares(1, 0, 0, 0), rates.ClosedAtShares);
    }

    [Fact]
    public void A_case_crossing_midnight_and_the_month_end_counts_each_event_on_its_own_China_day()
    {
        var lateNovember = DateTimeOffset.Parse("2026-11-30T23:50:00+08:00");
        var c = new Case(lateNovember).Then(IncidentEventKinds.Verified, lateNovember.AddMinutes(20), Due(DeadlineStep.Ticket, lateNovember.AddDays(1)));

        Assert.Equal([StatMeasure.Reported], c.On(new DateOnly(2026, 11, 30)));
        Assert.Equal([StatMeasure.Accepted], c.On(new DateOnly(2026, 12, 1)));
        // 10 minutes of Monday 30 November and 10 of Tuesday 1 December, both working days.
        Assert.Equal(20 / 60.0, Assert.Single(c.Changes.SelectMany(x => x.Times)).WorkingHours, 6);
    }

    [Fact]
    public void Working_hours_leave_out_weekends_and_holidays()
    {
        // Friday 4 December 2026 20:00 to Monday 7 December 02:00: 4 hours of Friday and 2 of Monday.
        Assert.Equal(6, Calendar.WorkingHoursBetween(DateTimeOffset.Parse("2026-12-04T20:00:00+08:00"), DateTimeOffset.Parse("2026-12-07T02:00:00+08:00")), 6);
        // National Day 2026 (1–7 October off): the whole week counts nothing.
        Assert.Equal(0, Calendar.WorkingHoursBetween(DateTimeOffset.Parse("2026-10-01T00:00:00+08:00"), DateTimeOffset.Parse("2026-10-08T00:00:00+08:00")), 6);
        Assert.Equal(0, Calendar.WorkingHoursBetween(Monday, Monday.AddHours(-1)));
    }

    [Fact]
    public void A_rate_without_a_denominator_is_null_and_never_a_zero()
    {
        var rates = Kpis.Of(Counts(new Case(Monday)));

        Assert.Equal((null, null, null, null, null, null), (rates.ClosureRate, rates.OnTimeRate, rates.OnTheSpotRate, rates.ClosedAtShares,
            rates.ResolutionRate, rates.Satisfaction));
    }

    [Fact]
    public void Resolution_counts_only_the_disputes_and_satisfaction_only_the_rated()
    {
        var counts = new KpiCounts(Reported: 10, Accepted: 8, Rejected: 1, Merged: 1, Closed: 6, ClosedOnTime: 5, ClosedAtGrid: 4, ClosedAtVillage: 1,
            ClosedAtTownship: 1, ClosedAbove: 0, EverOverdue: 1, Supervised: 1, SupervisionEscalated: 0, Escalated: 2, RoutedToDepartment: 0,
            Reopened: 1, RatedSatisfied: 3, RatedNeutral: 0, RatedDissatisfied: 1, DisputesAccepted: 4, DisputesClosed: 3);

        var rates = Kpis.Of(counts);

        Assert.Equal(0.75, rates.ClosureRate);
        Assert.Equal(0.75, rates.ResolutionRate);
        Assert.Equal(0.75, rates.Satisfaction);
        Assert.Equal(0.25, rates.DissatisfiedShare);
        Assert.Equal(2 / 6.0, rates.UnratedShare!.Value, 6);
        Assert.Equal(4 / 6.0, rates.OnTheSpotRate!.Value, 6);
    }

    /// <summary>The counts of one case's changes, disputes being its category's.</summary>
    private static KpiCounts Counts(Case c)
    {
        var all = StatStore.Measures.ToDictionary(m => m, m => (long)c.Count(m));
        var disputes = c.State.Category.StartsWith("dispute", StringComparison.Ordinal) ? all : StatStore.Measures.ToDictionary(m => m, _ => 0L);
        return Kpis.Counts(new StatSums("", all, disputes));
    }
}
