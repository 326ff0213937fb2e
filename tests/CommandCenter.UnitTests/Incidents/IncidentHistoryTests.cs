using CommandCenter.Incidents;

namespace CommandCenter.Tests.Incidents;

/// <summary>An incident's state as the fold of its event log.</summary>
public sealed class IncidentHistoryTests
{
    private static readonly Guid Id = Guid.Parse("6f1c4a52-4f7e-8a3b-9c1d-2e3f4a5b6c7d");

    private static readonly ReportIncident Report = new(IncidentSource.Hotline12345, "service", "小区供暖不热", "三号楼",
        36.55, 104.17, "王女士", "620402001001001", ["620402001001001", "620402001001", "620402001", "620402"], "integration:hotline", "Integration");

    [Fact]
    public void The_reported_event_makes_the_incident_with_the_time_of_the_event()
    {
        var at = DateTimeOffset.Parse("2026-11-23T08:30:00+08:00");
        var reported = IncidentHistory.NewReport(Report, at);

        var history = IncidentHistory.Of(Id, [reported]);

        Assert.Equal(1, reported.Sequence);
        Assert.Equal(IncidentEventKinds.Reported, reported.Kind);
        Assert.Equal("integration:hotline", reported.Actor);
        Assert.Equal(1, history.LastSequence);
        var details = history.Details!;
        Assert.Equal((Id, "小区供暖不热", "王女士", IncidentStatus.Reported, at),
            (details.Id, details.Title, details.Reporter, details.Status, details.ReportedAt));
        Assert.Equal(Report.Path, details.Path);
        Assert.Equal(IncidentHistory.Fingerprint(Report), history.ReportFingerprint);
    }

    [Fact]
    public void The_fingerprint_ignores_the_derived_path_but_not_the_content()
    {
        Assert.Equal(IncidentHistory.Fingerprint(Report), IncidentHistory.Fingerprint(Report with { Path = ["elsewhere"] }));
        Assert.NotEqual(IncidentHistory.Fingerprint(Report), IncidentHistory.Fingerprint(Report with { Title = "别的事" }));
    }

    [Fact]
    public void A_gap_a_repeat_or_an_unknown_kind_in_the_log_is_refused()
    {
        var reported = IncidentHistory.NewReport(Report, DateTimeOffset.UnixEpoch);

        Assert.Throws<InvalidOperationException>(() => IncidentHistory.Of(Id, [reported with { Sequence = 2 }]));
        Assert.Throws<InvalidOperationException>(() => IncidentHistory.Of(Id, [reported, reported]));
        Assert.Throws<InvalidOperationException>(() => IncidentHistory.Of(Id, [reported with { Kind = "teleported" }]));
        Assert.Null(IncidentHistory.Of(Id, []).Details);
    }

    [Fact]
    public void The_loop_folds_to_its_state_and_a_new_deadline_ends_the_supervision_of_the_old_one()
    {
        var at = DateTimeOffset.Parse("2026-11-23T08:30:00+08:00");
        var firstDue = new Deadline(DeadlineStep.Ticket, at.AddDays(1));
        var history = IncidentHistory.Of(Id, [IncidentHistory.NewReport(Report, at, firstDue)]);
        IncidentHistory Then(string kind, IncidentChange change, string actor = "user:duty") =>
            history = history.Apply(Id, history.Next(kind, at = at.AddHours(1), actor, "DutyOfficer", change));

        Then(IncidentEventKinds.Verified, new IncidentChange(Deadline: firstDue, Request: "k1", Action: IncidentAction.Verify));
        Then(IncidentEventKinds.Overdue, new IncidentChange(Supervision: new Supervision("620402001001", DeadlineStep.Ticket, at, at.AddDays(1), 1)), "system");
        Assert.True(history.Details!.Overdue);
        Assert.Equal("620402001001", history.Details.Supervision!.By);

        // Ticketing keeps the same deadline: still overdue and supervised.
        Then(IncidentEventKinds.Ticketed, new IncidentChange(HandlingClass: "easy", Deadline: firstDue));
        Assert.True(history.Details.Overdue);
        var acceptDue = new Deadline(DeadlineStep.Accept, at.AddDays(2));
        Then(IncidentEventKinds.Dispatched, new IncidentChange(
            Assignee: new Assignee(AssigneeKind.Worker, "W1", "张网格"), Level: "620402001001001", Deadline: acceptDue));
        Assert.Equal((IncidentStatus.Dispatched, false, (Supervision?)null, acceptDue),
            (history.Details.Status, history.Details.Overdue, history.Details.Supervision, history.Details.Deadline));
        Assert.True(history.Details.EverOverdue);

        Then(IncidentEventKinds.Accepted, new IncidentChange(Deadline: new Deadline(DeadlineStep.Handle, at.AddDays(5))));
        Then(IncidentEventKinds.Handled, new IncidentChange(Note: "已清理", Deadline: new Deadline(DeadlineStep.Feedback, at.AddDays(6))));
        Then(IncidentEventKinds.FedBack, new IncidentChange(Note: "已清理完毕"));
        Assert.Equal((IncidentStatus.FedBack, "已清理完毕", (Deadline?)null),
            (history.Details.Status, history.Details.Feedback, history.Details.Deadline));
        Assert.NotNull(history.Details.ClosedAt);

        Then(IncidentEventKinds.Rated, new IncidentChange(Rating: Rating.Dissatisfied, Request: "k2", Action: IncidentAction.Rate), "citizen:x");
        Then(IncidentEventKinds.Reopened, new IncidentChange(Note: "还有纸箱", Deadline: new Deadline(DeadlineStep.Handle, at.AddDays(3))), "system");
        Assert.Equal((IncidentStatus.Accepted, 1, (DateTimeOffset?)null), (history.Details.Status, history.Details.Reopens, history.Details.ClosedAt));
        Assert.Equal(new Dictionary<string, IncidentAction> { ["k1"] = IncidentAction.Verify, ["k2"] = IncidentAction.Rate }, history.Requests);
        Assert.Equal(10, history.LastSequence);
    }
}
