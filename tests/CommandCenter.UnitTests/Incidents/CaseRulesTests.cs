using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Tests.Geography;
using static CommandCenter.Incidents.IncidentAction;

namespace CommandCenter.Tests.Incidents;

/// <summary>The rules of one case on the tiny county: a report in grid G1, whose path is G1 → V1 → T1 → C.</summary>
public sealed class CaseRulesTests
{
    private static readonly Guid Id = Guid.Parse("0d9c1f52-7a3e-4b8c-9e1d-5a6b7c8d9e0f");
    private static readonly JurisdictionTree Tree = TinyCounty.Parse(TinyCounty.Collection()).Tree!;
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly WorkingCalendar Calendar = new(CalendarYear.Shipped());
    private static readonly SlaTable Sla = new(new WorkflowOptions());
    private static readonly Dictionary<string, string> WorkerGrids = new() { ["w-g1"] = "G1", ["w-g3"] = "G3" };

    private static readonly ReportIncident Report = new(IncidentSource.GridWorker, "safety", "电动车楼道充电", "二单元",
        36.005, 104.002, null, "G1", Tree.PathToRoot("G1"), "user:wang", "GridWorker");

    private static readonly Caller Administrator = new("user:admin", "管理员", Role.Administrator, []);

    private static IncidentHistory Case(IncidentStatus status, string level = "G1", Assignee? assignee = null)
    {
        var reported = IncidentHistory.Of(Id, [IncidentHistory.NewReport(Report, Monday)]);
        return reported with { Details = reported.Details! with { Status = status, Level = level, Assignee = assignee } };
    }

    private static Caller At(string jurisdiction, Role role = Role.TownshipStation, string? worker = null) =>
        new($"user:{jurisdiction}", jurisdiction, role, [jurisdiction], worker);

    private static CasePlan Plan(IncidentHistory history, IncidentCommand command) =>
        CaseRules.Plan(history, command, Monday, Calendar, Sla, maxReopens: 2, WorkerGrids.GetValueOrDefault);

    private static IncidentCommand Command(IncidentAction action, Caller caller) => new(action, caller, "request");

    /// <summary>The case after the planned events, to see where they leave it.</summary>
    private static IncidentDetails After(IncidentHistory history, CasePlan plan)
    {
        Assert.Null(plan.Refusal);
        return plan.Events.Aggregate(history, (h, e) => h.Apply(Id, e)).Details!;
    }

    private static void AssertRefused(CasePlan plan, ActionOutcome outcome, string field, string message)
    {
        Assert.Empty(plan.Events);
        Assert.Equal(new CaseRefusal(outcome, field, message), plan.Refusal);
    }

    [Fact]
    public void An_action_the_status_does_not_allow_is_refused_with_what_it_allows()
    {
        var incident = Case(IncidentStatus.Reported).Details!;

        Assert.Equal(new CaseRefusal(ActionOutcome.NotAllowedNow, "action", "The incident is reported; allowed now: verify, reject, merge, resolve, take, escalate."),
            CaseRules.NotNow(incident, Accept));
        Assert.Null(CaseRules.NotNow(incident, Verify));
    }

    [Fact]
    public void A_refusal_answers_with_the_case_as_it_stands()
    {
        var incident = Case(IncidentStatus.Reported).Details!;

        var refusal = new CaseRefusal(ActionOutcome.Invalid, "into", "Name it.");

        Assert.Equal(new ActionResult(ActionOutcome.Invalid, incident, "into", "Name it."), refusal.For(incident));
    }

    [Fact]
    public void A_case_above_the_callers_level_is_refused_on_the_level()
    {
        var history = Case(IncidentStatus.Ticketed, level: "T1");
        var dispatch = Command(Dispatch, At("V1", Role.VillageStation)) with { Target = new Assignee(AssigneeKind.Jurisdiction, "V1", "西村") };

        AssertRefused(Plan(history, dispatch), ActionOutcome.NotYours, "level", "The case lies with T1, above your jurisdiction.");
    }

    [Fact]
    public void A_station_of_another_branch_is_refused_on_the_level_even_below_its_own()
    {
        var history = Case(IncidentStatus.Reported);

        AssertRefused(Plan(history, Command(Verify, At("T2"))), ActionOutcome.NotYours, "level", "The case lies with G1, above your jurisdiction.");
    }

    [Theory]
    [InlineData("G1", false)]
    [InlineData("V1", true)]
    [InlineData("T1", true)]
    [InlineData("C", true)]
    [InlineData("T2", false)]
    [InlineData("G3", false)]
    public void A_caller_covers_the_level_and_those_below_it_on_the_path(string callerJurisdiction, bool covers) =>
        Assert.Equal(covers, CaseRules.Covers(At(callerJurisdiction), Case(IncidentStatus.Ticketed).Details!, "V1"));

    [Fact]
    public void An_administrator_covers_every_level_and_a_level_off_the_path_is_covered_by_no_one_else()
    {
        var incident = Case(IncidentStatus.Ticketed).Details!;

        Assert.True(CaseRules.Covers(Administrator, incident, "C"));
        Assert.True(CaseRules.Covers(Administrator, incident, "T2"));
        Assert.False(CaseRules.Covers(At("C"), incident, "T2"));
    }

    [Theory]
    [InlineData(Accept, false)]
    [InlineData(Handle, false)]
    [InlineData(Resolve, false)]
    [InlineData(Rate, false)]
    [InlineData(Verify, true)]
    [InlineData(Reject, true)]
    [InlineData(Merge, true)]
    [InlineData(Ticket, true)]
    [InlineData(Dispatch, true)]
    [InlineData(Take, true)]
    [InlineData(Feedback, true)]
    [InlineData(Assess, true)]
    [InlineData(Escalate, true)]
    public void The_assignees_the_grid_persons_and_the_citizens_actions_are_not_the_levels(IncidentAction action, bool levelAction) =>
        Assert.Equal(levelAction, CaseRules.IsLevelAction(action));

    [Fact]
    public void Someone_not_the_assignee_is_refused_on_the_assignee()
    {
        var history = Case(IncidentStatus.Dispatched, assignee: new Assignee(AssigneeKind.Worker, "w-g1", "张网格"));

        AssertRefused(Plan(history, Command(Accept, At("G1", Role.GridWorker, worker: "w-other"))),
            ActionOutcome.NotYours, "assignee", "The case is assigned to 张网格, not to you.");
    }

    [Fact]
    public void A_case_without_an_assignee_names_its_level_in_the_refusal()
    {
        var history = Case(IncidentStatus.Accepted, level: "V1");

        AssertRefused(Plan(history, Command(Handle, At("V1"))), ActionOutcome.NotYours, "assignee", "The case is assigned to V1, not to you.");
    }

    [Theory]
    [InlineData("w-g1", true)]
    [InlineData("w-g3", false)]
    [InlineData(null, false)]
    public void A_worker_assignee_is_the_grid_person_with_that_id(string? callerWorker, bool assignee)
    {
        var incident = Case(IncidentStatus.Dispatched, assignee: new Assignee(AssigneeKind.Worker, "w-g1", "张网格")).Details!;

        Assert.Equal(assignee, CaseRules.IsAssignee(At("G1", Role.GridWorker, callerWorker), incident));
    }

    [Fact]
    public void A_department_assignee_is_the_departments_account()
    {
        var incident = Case(IncidentStatus.Dispatched, level: "C", assignee: new Assignee(AssigneeKind.Department, "water", "水务局")).Details!;

        Assert.True(CaseRules.IsAssignee(new Caller(Caller.UserId("water"), "水务局", Role.Department, []), incident));
        Assert.False(CaseRules.IsAssignee(new Caller(Caller.UserId("roads"), "交通局", Role.Department, []), incident));
        Assert.False(CaseRules.IsAssignee(At("C"), incident));
    }

    [Theory]
    [InlineData("V1", true)]
    [InlineData("T1", true)]
    [InlineData("G1", false)]
    [InlineData("T2", false)]
    public void A_jurisdiction_assignee_is_anyone_covering_that_level(string callerJurisdiction, bool assignee)
    {
        var incident = Case(IncidentStatus.Dispatched, level: "V1", assignee: new Assignee(AssigneeKind.Jurisdiction, "V1", "西村")).Details!;

        Assert.Equal(assignee, CaseRules.IsAssignee(At(callerJurisdiction), incident));
    }

    [Fact]
    public void A_case_without_an_assignee_has_none_not_even_for_an_administrator() =>
        Assert.False(CaseRules.IsAssignee(Administrator, Case(IncidentStatus.Dispatched).Details!));

    [Theory]
    [InlineData(AssigneeKind.Worker, "w-g1", "G1")]
    [InlineData(AssigneeKind.Worker, "w-g3", "V1")]
    [InlineData(AssigneeKind.Jurisdiction, "V1", "V1")]
    [InlineData(AssigneeKind.Jurisdiction, "G1", "G1")]
    [InlineData(AssigneeKind.Department, "water", "C")]
    public void A_dispatch_leaves_the_case_with_the_persons_grid_the_level_named_or_the_county(AssigneeKind kind, string id, string level)
    {
        var incident = Case(IncidentStatus.Ticketed, level: "V1").Details!;

        Assert.Equal(level, CaseRules.DispatchLevel(incident, new Assignee(kind, id, "某"), WorkerGrids.GetValueOrDefault));
    }

    [Theory]
    [InlineData(AssigneeKind.Jurisdiction, "T1")]
    [InlineData(AssigneeKind.Jurisdiction, "C")]
    [InlineData(AssigneeKind.Jurisdiction, "T2")]
    [InlineData(AssigneeKind.Jurisdiction, "G2")]
    [InlineData(AssigneeKind.Worker, "w-unknown")]
    public void A_dispatch_above_the_case_off_its_path_or_to_no_known_person_is_refused_on_the_target(AssigneeKind kind, string id)
    {
        var history = Case(IncidentStatus.Ticketed, level: "V1");
        var dispatch = Command(Dispatch, At("V1")) with { Target = new Assignee(kind, id, "某") };

        Assert.Null(CaseRules.DispatchLevel(history.Details!, dispatch.Target, WorkerGrids.GetValueOrDefault));
        AssertRefused(Plan(history, dispatch), ActionOutcome.Invalid, "target",
            "Dispatch to a person of the grids, a level on the case's path at or below where it lies, or a department.");
    }

    [Fact]
    public void A_dispatch_without_a_target_is_refused_on_the_target() =>
        Assert.Equal("target", Plan(Case(IncidentStatus.Ticketed), Command(Dispatch, At("G1"))).Refusal?.Field);

    [Fact]
    public void A_dispatch_records_the_assignee_its_level_and_the_accept_deadline()
    {
        var history = Case(IncidentStatus.Ticketed, level: "V1");
        var target = new Assignee(AssigneeKind.Worker, "w-g1", "张网格");

        var after = After(history, Plan(history, Command(Dispatch, At("V1")) with { Target = target }));

        Assert.Equal((IncidentStatus.Dispatched, target, "G1"), (after.Status, after.Assignee, after.Level));
        Assert.Equal(Sla.Due(DeadlineStep.Accept, null, Monday, Calendar), after.Deadline);
    }

    [Theory]
    [InlineData(IncidentStatus.Reported)]
    [InlineData(IncidentStatus.Verified)]
    [InlineData(IncidentStatus.Ticketed)]
    public void A_person_of_the_grid_takes_a_case_nobody_has_and_is_handling_it_with_the_handle_deadline(IncidentStatus status)
    {
        var history = Case(status);
        var officer = At("G1", Role.PatrolPolice, worker: "w-g1") with { Name = "李警官" };

        var after = After(history, Plan(history, Command(Take, officer)));

        Assert.Equal((IncidentStatus.Accepted, new Assignee(AssigneeKind.Worker, "w-g1", "李警官"), "G1"), (after.Status, after.Assignee, after.Level));
        var handlingClass = Sla.DefaultClassFor(IncidentSource.GridWorker);
        Assert.Equal(handlingClass, after.HandlingClass);
        Assert.Equal(Sla.Due(DeadlineStep.Handle, handlingClass, Monday, Calendar), after.Deadline);
    }

    [Fact]
    public void A_case_dispatched_to_a_level_the_person_covers_may_be_taken_one_dispatched_elsewhere_not()
    {
        var toGrid = Case(IncidentStatus.Dispatched, assignee: new Assignee(AssigneeKind.Jurisdiction, "G1", "一网格"));
        var toVillage = Case(IncidentStatus.Dispatched, level: "V1", assignee: new Assignee(AssigneeKind.Jurisdiction, "V1", "西村"));
        var toPerson = Case(IncidentStatus.Dispatched, assignee: new Assignee(AssigneeKind.Worker, "w-g3", "赵网格"));
        var officer = At("G1", Role.PatrolPolice, worker: "w-g1");

        Assert.Equal(new Assignee(AssigneeKind.Worker, "w-g1", "G1"), After(toGrid, Plan(toGrid, Command(Take, officer))).Assignee);
        AssertRefused(Plan(toVillage, Command(Take, officer)), ActionOutcome.NotYours, "level", "The case lies with V1, above your jurisdiction.");
        AssertRefused(Plan(toPerson, Command(Take, officer)), ActionOutcome.NotYours, "assignee",
            "The case is dispatched to 赵网格; the dispatcher may dispatch it to you.");
        AssertRefused(Plan(toPerson, Command(Take, At("G1", Role.GridWorker, worker: "w-g3"))), ActionOutcome.Invalid, "action",
            "The case is dispatched to you already: accept it.");
    }

    [Fact]
    public void Only_a_person_of_the_grids_takes_a_case()
    {
        AssertRefused(Plan(Case(IncidentStatus.Reported), Command(Take, At("G1"))), ActionOutcome.NotYours, "account",
            "Only a person of the grids takes a case; dispatch it instead.");
    }

    [Fact]
    public void A_taken_case_keeps_the_handling_class_of_its_ticket()
    {
        var chosen = Sla.Classes.First(c => c != Sla.DefaultClassFor(IncidentSource.GridWorker));
        var ticketed = Case(IncidentStatus.Ticketed);
        ticketed = ticketed with { Details = ticketed.Details! with { HandlingClass = chosen } };

        var after = After(ticketed, Plan(ticketed, Command(Take, At("G1", Role.PatrolPolice, worker: "w-g1"))));

        Assert.Equal(chosen, after.HandlingClass);
        Assert.Equal(Sla.Due(DeadlineStep.Handle, chosen, Monday, Calendar), after.Deadline);
    }

    [Theory]
    [InlineData("G1", "V1")]
    [InlineData("V1", "T1")]
    [InlineData("T1", "C")]
    [InlineData("C", "C")]
    [InlineData("T2", "C")]
    public void Up_is_the_next_level_on_the_path_and_the_county_above_itself(string code, string up) =>
        Assert.Equal(up, CaseRules.Up(Case(IncidentStatus.Ticketed).Details!, code));

    [Fact]
    public void An_escalation_goes_one_level_up_with_a_new_ticket_deadline()
    {
        var history = Case(IncidentStatus.Accepted, level: "V1", assignee: new Assignee(AssigneeKind.Jurisdiction, "V1", "西村"));

        var after = After(history, Plan(history, Command(Escalate, At("V1"))));

        Assert.Equal((IncidentStatus.Ticketed, "T1", (Assignee?)null), (after.Status, after.Level, after.Assignee));
        Assert.Equal(Sla.Due(DeadlineStep.Ticket, null, Monday, Calendar), after.Deadline);
    }

    [Fact]
    public void An_escalation_at_the_county_root_is_refused()
    {
        AssertRefused(Plan(Case(IncidentStatus.Ticketed, level: "C"), Command(Escalate, At("C"))), ActionOutcome.Invalid, "action",
            "The case already lies with the county center; dispatch it to a department instead.");
    }

    [Fact]
    public void An_attachment_not_uploaded_to_the_case_is_refused()
    {
        var foreign = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var resolve = Command(Resolve, At("G1", Role.GridWorker)) with { Note = "已劝离", Attachments = [foreign] };

        AssertRefused(Plan(Case(IncidentStatus.Reported), resolve), ActionOutcome.Invalid, "attachments",
            $"Attachment {foreign} was not uploaded to this incident.");
    }

    [Fact]
    public void An_attachment_on_the_timeline_may_be_named()
    {
        var photo = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var reported = Case(IncidentStatus.Reported);
        var history = reported.Apply(Id, reported.Next(IncidentEventKinds.Attached, Monday, "user:wang", "GridWorker",
            new IncidentChange(Attachment: photo, MediaType: "image/jpeg")));

        var after = After(history, Plan(history, Command(Resolve, At("G1", Role.GridWorker)) with { Note = "已劝离", Attachments = [photo] }));

        Assert.Equal(IncidentStatus.FedBack, after.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_merge_names_another_incident(bool itself)
    {
        var merge = Command(Merge, At("G1")) with { Into = itself ? Id : null };

        AssertRefused(Plan(Case(IncidentStatus.Reported), merge), ActionOutcome.Invalid, "into", "Name the other incident this report duplicates.");
    }

    [Fact]
    public void A_ticket_names_a_known_handling_class_or_gets_the_sources_default()
    {
        var history = Case(IncidentStatus.Verified);

        AssertRefused(Plan(history, Command(Ticket, At("G1")) with { HandlingClass = "urgent" }), ActionOutcome.Invalid, "handlingClass",
            "Handling classes: easy, ordinary, hard, petitionSimple, petitionComplex.");
        Assert.Equal("ordinary", After(history, Plan(history, Command(Ticket, At("G1")))).HandlingClass);
    }

    [Theory]
    [InlineData(Rating.Satisfied, 0, IncidentStatus.Rated, "G1")]
    [InlineData(Rating.Dissatisfied, 1, IncidentStatus.Accepted, "G1")]
    [InlineData(Rating.Dissatisfied, 2, IncidentStatus.Ticketed, "V1")]
    public void A_dissatisfied_rating_is_followed_by_the_systems_reopening_or_escalation(Rating rating, int reopens, IncidentStatus status, string level)
    {
        var fedBack = Case(IncidentStatus.FedBack);
        var history = fedBack with { Details = fedBack.Details! with { Reopens = reopens } };
        var citizen = new Caller("citizen", "群众", Role.Citizen, []);

        var plan = Plan(history, Command(Rate, citizen) with { Rating = rating });
        var after = After(history, plan);

        Assert.Equal((status, level), (after.Status, after.Level));
        Assert.Equal(rating == Rating.Dissatisfied ? new[] { citizen.Id, CaseRules.SystemActor } : new[] { citizen.Id }, plan.Events.Select(e => e.Actor));
    }

    [Fact]
    public void A_missed_step_is_supervised_from_above_the_case_and_a_missed_supervision_from_above_the_supervisor()
    {
        var incident = Case(IncidentStatus.Dispatched, level: "G1").Details!;
        var supervised = incident with { Supervision = new Supervision("T1", DeadlineStep.Accept, Monday, Monday.AddDays(1), 2) };

        Assert.Equal("V1", Deadlines.Supervisor(incident, new Deadlines.Missed(IncidentEventKinds.Overdue, DeadlineStep.Accept)));
        Assert.Equal("C", Deadlines.Supervisor(supervised, new Deadlines.Missed(IncidentEventKinds.SupervisionEscalated, DeadlineStep.Accept)));
    }
}
