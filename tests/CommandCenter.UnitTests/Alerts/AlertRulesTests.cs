using CommandCenter.Alerts;
using CommandCenter.Incidents;

namespace CommandCenter.Tests.Alerts;

/// <summary>Which committed changes raise alerts, and how long each may wait for its 签收.</summary>
public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Options = new();

    private static IncidentDetails Incident(string category, Assignee? assignee = null) =>
        new(Guid.NewGuid(), IncidentSource.GridWorker, category, "夜间有可疑人员徘徊", "", 36.5, 104.1, null, "620402001001001",
            ["620402", "620402001", "620402001001", "620402001001001"], IncidentStatus.Reported, T0) { Assignee = assignee };

    private static IncidentEvent Event(int sequence, string kind, int minutes = 0) => new(sequence, kind, T0.AddMinutes(minutes), "user:duty", null, "{}");

    [Fact]
    public void Safety_categories_wait_three_minutes_and_the_others_ten()
    {
        Assert.Equal(T0.AddMinutes(3), AlertRules.DueAt("security", T0, Options));
        Assert.Equal(T0.AddMinutes(3), AlertRules.DueAt("safety", T0, Options));
        Assert.Equal(T0.AddMinutes(3), AlertRules.DueAt("safety.fire", T0, Options));
        Assert.Equal(T0.AddMinutes(10), AlertRules.DueAt("safetyx", T0, Options));
        Assert.Equal(T0.AddMinutes(10), AlertRules.DueAt("sanitation", T0, Options));
        Assert.Equal(T0.AddMinutes(1), AlertRules.DueAt("sanitation", T0, new AlertOptions { AcknowledgeWithin = TimeSpan.FromMinutes(1) }));
    }

    [Fact]
    public void A_report_raises_one_alert_for_the_grids_police_with_its_path_category_and_time()
    {
        var incident = Incident("security");

        var raised = Assert.Single(AlertRules.Of(incident.Id, [Event(1, IncidentEventKinds.Reported)], incident, Options));

        Assert.Equal((AlertKind.InGrid, 1, incident.GridCode, "security", T0, T0.AddMinutes(3), (string?)null),
            (raised.Kind, raised.Sequence, raised.GridCode, raised.Category, raised.At, raised.DueAt, raised.WorkerId));
        Assert.Equal(incident.Path, raised.Path);
    }

    [Fact]
    public void A_dispatch_to_a_person_alerts_that_person_and_one_to_a_level_or_department_nobody()
    {
        var toWorker = Incident("sanitation", new Assignee(AssigneeKind.Worker, "w-0001", "张三"));
        var toLevel = Incident("sanitation", new Assignee(AssigneeKind.Jurisdiction, "620402001", "城关镇"));
        var toDepartment = Incident("sanitation", new Assignee(AssigneeKind.Department, "dept", "住建局"));

        var raised = Assert.Single(AlertRules.Of(toWorker.Id, [Event(4, IncidentEventKinds.Dispatched, 30)], toWorker, Options));

        Assert.Equal((AlertKind.Dispatched, 4, "w-0001", T0.AddMinutes(40)), (raised.Kind, raised.Sequence, raised.WorkerId, raised.DueAt));
        Assert.Empty(AlertRules.Of(toLevel.Id, [Event(4, IncidentEventKinds.Dispatched)], toLevel, Options));
        Assert.Empty(AlertRules.Of(toDepartment.Id, [Event(4, IncidentEventKinds.Dispatched)], toDepartment, Options));
    }

    [Theory]
    [InlineData(IncidentEventKinds.Verified)]
    [InlineData(IncidentEventKinds.Accepted)]
    [InlineData(IncidentEventKinds.Taken)]
    [InlineData(IncidentEventKinds.Handled)]
    public void Other_steps_of_the_loop_raise_nothing(string kind)
    {
        var incident = Incident("security", new Assignee(AssigneeKind.Worker, "w-0001", "张三"));

        Assert.Empty(AlertRules.Of(incident.Id, [Event(3, kind)], incident, Options));
    }

    [Fact]
    public void Taking_a_case_signs_the_takers_alerts_of_it_at_the_take_and_nothing_else_signs_any()
    {
        var taken = Incident("security", new Assignee(AssigneeKind.Worker, "w-police-1", "李警官"));

        var signed = Assert.Single(AlertRules.SignedBy(taken.Id, [Event(2, IncidentEventKinds.Taken, 2)], taken));

        Assert.Equal(new AlertRules.Signed(taken.Id, "w-police-1", T0.AddMinutes(2)), signed);
        Assert.Empty(AlertRules.SignedBy(taken.Id, [Event(2, IncidentEventKinds.Accepted, 2)], taken));
        Assert.Empty(AlertRules.SignedBy(taken.Id, [Event(2, IncidentEventKinds.Dispatched, 2)], taken));
    }
}
