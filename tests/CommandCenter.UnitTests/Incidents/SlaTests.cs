using CommandCenter.Calendar;
using CommandCenter.Feeds;
using CommandCenter.Incidents;

namespace CommandCenter.Tests.Incidents;

/// <summary>The SLA table with the seeds' defaults on the real 2026 calendar, and the deadline rules on given times.</summary>
public sealed class SlaTests
{
    private static readonly WorkingCalendar Calendar = new(CalendarYear.Shipped());
    private static readonly SlaTable Sla = new(new WorkflowOptions());

    private static DateTimeOffset China(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset EndOf(int month, int day) => China(month, day, 0).AddDays(1);

    [Fact]
    public void A_ticket_made_the_last_working_day_before_National_Day_is_due_after_the_holiday()
    {
        // 30 Sep 2026 is a Wednesday; 1–7 Oct are off.
        var made = China(9, 30, 17);

        Assert.Equal(EndOf(10, 8), Sla.Due(DeadlineStep.Ticket, null, made, Calendar).Due);
        Assert.Equal(EndOf(10, 8), Sla.Due(DeadlineStep.Accept, null, made, Calendar).Due);
        // Ordinary handling, 7 working days: 8, 9, 10 (the make-up Saturday), 12, 13, 14, 15 Oct.
        Assert.Equal(EndOf(10, 15), Sla.Due(DeadlineStep.Handle, "ordinary", made, Calendar).Due);
    }

    [Fact]
    public void Easy_disputes_count_five_working_days_across_Mid_Autumn_and_National_Day()
    {
        // Thursday 24 Sep: 25–27 Sep off; 28, 29, 30 Sep; 1–7 Oct off; 8, 9 Oct.
        Assert.Equal(EndOf(10, 9), Sla.Due(DeadlineStep.Handle, "easy", China(9, 24), Calendar).Due);
    }

    [Fact]
    public void A_make_up_Sunday_counts_as_a_working_day()
    {
        // Friday 18 Sep: Saturday off, Sunday 20 Sep a make-up working day, then 21 and 22 Sep.
        Assert.Equal(EndOf(9, 22), Sla.Due(DeadlineStep.Handle, "petitionSimple", China(9, 18), Calendar).Due);
    }

    [Fact]
    public void Complex_petitions_count_three_weeks_and_move_off_a_holiday()
    {
        // Three weeks after Thursday 10 Sep is 1 Oct, a holiday: the next working day is 8 Oct.
        Assert.Equal(EndOf(10, 8), Sla.Due(DeadlineStep.Handle, "petitionComplex", China(9, 10), Calendar).Due);
        // Three weeks after Monday 14 Sep is Monday 5 Oct, also off.
        Assert.Equal(EndOf(10, 8), Sla.Due(DeadlineStep.Handle, "petitionComplex", China(9, 14), Calendar).Due);
        // Three weeks after Tuesday 1 Sep is Tuesday 22 Sep, a working day.
        Assert.Equal(EndOf(9, 22), Sla.Due(DeadlineStep.Handle, "petitionComplex", China(9, 1), Calendar).Due);
    }

    [Theory]
    [InlineData(IncidentSource.Petition, "petitionSimple")]
    [InlineData(IncidentSource.Hotline12345, "ordinary")]
    [InlineData(IncidentSource.GridWorker, "ordinary")]
    public void A_ticket_without_a_class_gets_the_sources_default(IncidentSource source, string expected) =>
        Assert.Equal(expected, Sla.DefaultClassFor(source));

    [Fact]
    public void The_table_is_configurable_and_checked()
    {
        var options = new WorkflowOptions { Accept = "2wd" };
        options.HandlingClasses["urgent"] = "1wd";
        var sla = new SlaTable(options);

        Assert.Equal(new Term(2, Weeks: false), sla.TermOf(DeadlineStep.Accept, null));
        Assert.Equal(new Term(1, Weeks: false), sla.TermOf(DeadlineStep.Handle, "urgent"));
        Assert.Throws<FormatException>(() => new SlaTable(new WorkflowOptions { Ticket = "one day" }));
        Assert.Throws<InvalidOperationException>(() => new SlaTable(new WorkflowOptions { DefaultClass = "missing" }));
    }

    [Theory]
    [InlineData("5wd", 5, false)]
    [InlineData("3w", 3, true)]
    [InlineData("30wd", 30, false)]
    public void Terms_parse(string text, int count, bool weeks) =>
        Assert.Equal(new Term(count, weeks), Term.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("0wd")]
    [InlineData("-1w")]
    [InlineData("5 wd")]
    [InlineData("3d")]
    [InlineData("999wd")]
    public void Bad_terms_are_refused(string text) => Assert.False(Term.TryParse(text, out _));

    private static IncidentDetails Case(Deadline? deadline, bool overdue = false, Supervision? supervision = null) =>
        new(Guid.NewGuid(), IncidentSource.GridWorker, "safety", "电动车违规充电", "", 36.5, 104.1, null, "G1", ["G1", "V1", "T1", "C1"],
            IncidentStatus.Dispatched, China(9, 1)) { Deadline = deadline, Overdue = overdue, Supervision = supervision };

    [Fact]
    public void A_deadline_is_missed_once_then_its_supervision_goes_up()
    {
        var due = EndOf(9, 2);
        var running = Case(new Deadline(DeadlineStep.Accept, due));

        Assert.Null(Deadlines.Review(running, due.AddSeconds(-1)));
        Assert.Equal(new Deadlines.Missed(IncidentEventKinds.Overdue, DeadlineStep.Accept), Deadlines.Review(running, due));
        Assert.Equal(due, Deadlines.NextReview(running));

        var supervised = Case(running.Deadline, overdue: true, new Supervision("V1", DeadlineStep.Accept, due, EndOf(9, 3), 1));
        Assert.Null(Deadlines.Review(supervised, EndOf(9, 3).AddMinutes(-1)));
        Assert.Equal(new Deadlines.Missed(IncidentEventKinds.SupervisionEscalated, DeadlineStep.Accept), Deadlines.Review(supervised, EndOf(9, 3)));
        Assert.Equal(EndOf(9, 3), Deadlines.NextReview(supervised));

        var closed = Case(null);
        Assert.Null(Deadlines.Review(closed, EndOf(12, 31)));
        Assert.Null(Deadlines.NextReview(closed));
    }

    [Fact]
    public void Counts_move_with_the_state()
    {
        var open = Case(new Deadline(DeadlineStep.Accept, EndOf(9, 2)));
        var overdue = open with { Overdue = true, Supervision = new Supervision("V1", DeadlineStep.Accept, EndOf(9, 2), EndOf(9, 3), 1) };
        var closed = overdue with { Status = IncidentStatus.FedBack, Overdue = false, Supervision = null, Deadline = null, ClosedAt = EndOf(9, 3) };

        Assert.Equal(new FeedCounts(1, 0, 0, 0), FeedCounts.Between(null, open));
        Assert.Equal(new FeedCounts(0, 1, 1, 0), FeedCounts.Between(open, overdue));
        Assert.Equal(new FeedCounts(-1, -1, -1, 1), FeedCounts.Between(overdue, closed));
        Assert.Equal(new FeedCounts(1, 0, 0, -1), FeedCounts.Between(closed, closed with { Status = IncidentStatus.Accepted, ClosedAt = null }));
    }
}
