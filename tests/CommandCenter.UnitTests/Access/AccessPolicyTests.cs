using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Tests.Geography;

namespace CommandCenter.Tests.Access;

public sealed class AccessPolicyTests
{
    private const string Unknown = "620402999999999";

    private static JurisdictionTree Tree => DemoCountyData.Tree;

    private static Jurisdiction Root => Tree.Root;

    private static Jurisdiction TownshipA => Tree.ChildrenOf(Root.Code)[0];

    private static Jurisdiction TownshipB => Tree.ChildrenOf(Root.Code)[1];

    private static Jurisdiction VillageInA => Tree.ChildrenOf(TownshipA.Code)[0];

    private static Jurisdiction GridInA => Tree.ChildrenOf(VillageInA.Code)[0];

    private static Jurisdiction GridInB => Tree.ChildrenOf(Tree.ChildrenOf(TownshipB.Code)[0].Code)[0];

    private static Jurisdiction VillageWithThreeGrids =>
        Tree.All.First(a => a.Level == JurisdictionLevel.Village && Tree.ChildrenOf(a.Code).Count >= 3);

    private static Caller Make(Role role, params string[] jurisdictions) =>
        new(Caller.UserId(role.ToString().ToLowerInvariant()), role.ToString(), role, jurisdictions);

    private static Caller Administrator => Make(Role.Administrator, Root.Code);

    private static Caller Duty => Make(Role.DutyOfficer, Root.Code);

    private static Caller StationA => Make(Role.TownshipStation, TownshipA.Code);

    public static TheoryData<Role, AccessAction> AllPairs()
    {
        var data = new TheoryData<Role, AccessAction>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                data.Add(role, action);
            }
        }

        return data;
    }

    [Fact]
    public void Decide_returns_Unauthenticated_for_a_null_caller_whatever_the_action_or_target()
    {
        foreach (var action in Enum.GetValues<AccessAction>())
        {
            Assert.Equal(AccessDecision.Unauthenticated, AccessPolicy.Decide(null, action, GridInA.Code, Tree));
            Assert.Equal(AccessDecision.Unauthenticated, AccessPolicy.Decide(null, action, null, Tree));
            Assert.Equal(AccessDecision.Unauthenticated, AccessPolicy.Decide(null, action, null, null));
        }
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Decide_agrees_with_RoleMay_for_a_target_inside_the_callers_scope(Role role, AccessAction action)
    {
        var caller = Make(role, TownshipA.Code);
        var expected = AccessPolicy.RoleMay(role, action) ? AccessDecision.Allowed : AccessDecision.RoleForbidden;

        var actual = AccessPolicy.Decide(caller, action, GridInA.Code, Tree);

        Assert.True(expected == actual, $"{role} / {action} on {GridInA.Code}: expected {expected}, got {actual}");
        Assert.Equal(AccessPolicy.RoleMay(role, action), AccessPolicy.ActionsOf(role).Contains(action));
    }

    [Fact]
    public void Every_role_but_the_citizen_may_do_something_and_every_action_is_allowed_to_some_role()
    {
        foreach (var role in Enum.GetValues<Role>().Where(r => r != Role.Citizen))
        {
            Assert.True(AccessPolicy.ActionsOf(role).Count > 0, $"{role} may do nothing");
        }
        // A citizen only rates through a rating link, which is checked by its token, not by this table.
        Assert.Empty(AccessPolicy.ActionsOf(Role.Citizen));

        foreach (var action in Enum.GetValues<AccessAction>())
        {
            Assert.True(Enum.GetValues<Role>().Any(r => AccessPolicy.RoleMay(r, action)), $"no role may {action}");
        }
    }

    [Theory]
    [InlineData(AccessAction.ImportJurisdictions)]
    [InlineData(AccessAction.ReadAudit)]
    [InlineData(AccessAction.ManageAccess)]
    [InlineData(AccessAction.ManageCalendar)]
    [InlineData(AccessAction.ManageCameras)]
    [InlineData(AccessAction.ManagePeople)]
    [InlineData(AccessAction.ManageCategories)]
    public void Only_Administrator_may_import_jurisdictions_read_the_audit_log_and_manage_access_the_calendar_cameras_people_and_categories(AccessAction action)
    {
        Assert.Equal([Role.Administrator], RolesThatMay(action));
    }

    [Fact]
    public void Integration_may_only_intake_incidents_and_positions_and_read_the_categories_it_reports_in()
    {
        Assert.Equal(
            new[] { AccessAction.IntakeIncidents, AccessAction.IntakePositions, AccessAction.ReadCategories }.Order(),
            AccessPolicy.ActionsOf(Role.Integration).Order());
        Assert.Equal([Role.Integration], RolesThatMay(AccessAction.IntakeIncidents));
        Assert.Equal([Role.Integration], RolesThatMay(AccessAction.IntakePositions));
    }

    [Theory]
    [InlineData(AccessAction.ReadFeeds)]
    [InlineData(AccessAction.ReadPeople)]
    [InlineData(AccessAction.ReadCameras)]
    public void Department_may_not_read_feeds_people_or_cameras(AccessAction action)
    {
        Assert.False(AccessPolicy.RoleMay(Role.Department, action));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.Decide(Make(Role.Department, Root.Code), action, Root.Code, Tree));
    }

    [Fact]
    public void Department_may_view_jurisdictions_the_calendar_and_the_categories_and_read_report_and_handle_incidents()
    {
        Assert.Equal(
            new[] { AccessAction.ViewJurisdictions, AccessAction.ReadIncidents, AccessAction.ReportIncidents, AccessAction.ViewCalendar,
                AccessAction.HandleIncidents, AccessAction.ReadCategories, AccessAction.ManageOwnAccount }.Order(),
            AccessPolicy.ActionsOf(Role.Department).Order());
    }

    [Fact]
    public void Every_person_manages_their_own_account_and_no_integration_has_one()
    {
        Assert.All(Enum.GetValues<Role>().Where(r => r is not (Role.Integration or Role.Citizen)),
            role => Assert.True(AccessPolicy.RoleMay(role, AccessAction.ManageOwnAccount), role.ToString()));
        Assert.False(AccessPolicy.RoleMay(Role.Integration, AccessAction.ManageOwnAccount));
        Assert.False(AccessPolicy.RoleMay(Role.Citizen, AccessAction.ManageOwnAccount));
    }

    [Fact]
    public void The_closed_loop_is_split_between_dispatchers_handlers_and_assessors()
    {
        Assert.Equal(
            new[] { Role.Commander, Role.DutyOfficer, Role.TownshipStation, Role.VillageStation, Role.GridChief }.Order(),
            RolesThatMay(AccessAction.DispatchIncidents).Order());
        Assert.Equal(
            new[] { Role.TownshipStation, Role.VillageStation, Role.GridChief, Role.GridWorker, Role.PatrolPolice, Role.Department }.Order(),
            RolesThatMay(AccessAction.HandleIncidents).Order());
        Assert.Equal(
            new[] { Role.Commander, Role.DutyOfficer, Role.TownshipStation, Role.VillageStation }.Order(),
            RolesThatMay(AccessAction.AssessIncidents).Order());
    }

    [Fact]
    public void Only_grid_chiefs_grid_workers_and_patrol_police_report_their_own_position()
    {
        Assert.Equal(
            new[] { Role.GridChief, Role.GridWorker, Role.PatrolPolice }.Order(),
            RolesThatMay(AccessAction.ReportOwnPosition).Order());
    }

    [Fact]
    public void Only_grid_chiefs_grid_workers_and_patrol_police_receive_alerts_and_dispatchers_list_them()
    {
        Assert.Equal(
            new[] { Role.GridChief, Role.GridWorker, Role.PatrolPolice }.Order(),
            RolesThatMay(AccessAction.ReceiveAlerts).Order());
        Assert.DoesNotContain(Role.PatrolPolice, RolesThatMay(AccessAction.DispatchIncidents));
    }

    [Fact]
    public void Dispatchers_and_a_grids_own_people_read_its_patrols_and_only_grid_people_patrol()
    {
        Assert.Equal(
            new[] { Role.GridChief, Role.GridWorker, Role.PatrolPolice }.Order(),
            RolesThatMay(AccessAction.PatrolOwnGrid).Order());
        Assert.Equal(
            new[] { Role.Administrator, Role.Commander, Role.DutyOfficer, Role.TownshipStation, Role.VillageStation, Role.GridChief,
                Role.GridWorker, Role.PatrolPolice }.Order(),
            RolesThatMay(AccessAction.ReadPatrols).Order());
        var worker = Make(Role.GridWorker, GridInA.Code);
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(worker, AccessAction.ReadPatrols, GridInA.Code, Tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(worker, AccessAction.ReadPatrols, VillageInA.Code, Tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(StationA, AccessAction.ReadPatrols, GridInB.Code, Tree));
    }

    [Fact]
    public void Administrator_may_not_report_incidents()
    {
        Assert.False(AccessPolicy.RoleMay(Role.Administrator, AccessAction.ReportIncidents));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.Decide(Administrator, AccessAction.ReportIncidents, GridInA.Code, Tree));
    }

    [Fact]
    public void RoleForbidden_comes_before_scope_so_an_out_of_scope_target_does_not_change_the_answer()
    {
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.Decide(StationA, AccessAction.ReadAudit, TownshipB.Code, Tree));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.Decide(StationA, AccessAction.ReadAudit, Unknown, Tree));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.Decide(Duty, AccessAction.ManageAccess, null, null));
    }

    [Fact]
    public void Township_station_is_allowed_in_its_township_its_villages_and_its_grids()
    {
        foreach (var code in new[] { TownshipA.Code, VillageInA.Code, GridInA.Code })
        {
            Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(StationA, AccessAction.ReadFeeds, code, Tree));
            Assert.True(AccessPolicy.IsWithinScope(StationA, code, Tree), code);
        }
    }

    [Fact]
    public void Township_station_is_out_of_scope_in_another_township_its_grids_and_the_county_root()
    {
        foreach (var code in new[] { TownshipB.Code, GridInB.Code, Root.Code })
        {
            Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(StationA, AccessAction.ReadFeeds, code, Tree));
            Assert.False(AccessPolicy.IsWithinScope(StationA, code, Tree), code);
        }
    }

    [Fact]
    public void Duty_officer_bound_to_the_county_is_allowed_everywhere()
    {
        foreach (var area in Tree.All)
        {
            Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(Duty, AccessAction.ReadIncidents, area.Code, Tree));
        }
    }

    [Fact]
    public void Patrol_police_bound_to_several_grids_is_allowed_in_each_but_not_in_their_village_or_a_sibling_grid()
    {
        var village = VillageWithThreeGrids;
        var grids = Tree.ChildrenOf(village.Code);
        var police = Make(Role.PatrolPolice, grids[0].Code, grids[1].Code);

        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(police, AccessAction.ReportOwnPosition, grids[0].Code, Tree));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(police, AccessAction.ReportOwnPosition, grids[1].Code, Tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(police, AccessAction.ReportOwnPosition, village.Code, Tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(police, AccessAction.ReportOwnPosition, grids[2].Code, Tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(police, AccessAction.ReadFeeds, null, Tree));
    }

    [Fact]
    public void Administrator_with_no_jurisdictions_is_allowed_everywhere()
    {
        var admin = Make(Role.Administrator);

        foreach (var area in Tree.All)
        {
            Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(admin, AccessAction.ReadCameras, area.Code, Tree));
        }

        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(admin, AccessAction.ReadAudit, null, Tree));
    }

    [Fact]
    public void An_unknown_code_is_NotFound_for_county_wide_callers()
    {
        Assert.Equal(AccessDecision.NotFound, AccessPolicy.Decide(Duty, AccessAction.ReadFeeds, Unknown, Tree));
        Assert.Equal(AccessDecision.NotFound, AccessPolicy.Decide(Administrator, AccessAction.ReadFeeds, Unknown, Tree));
        Assert.Equal(AccessDecision.NotFound, AccessPolicy.Decide(Make(Role.Administrator), AccessAction.ViewJurisdictions, "nope", Tree));
    }

    [Fact]
    public void An_unknown_code_is_OutOfScope_for_a_township_station_so_existence_does_not_leak()
    {
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(StationA, AccessAction.ReadFeeds, Unknown, Tree));
        Assert.Equal(
            AccessPolicy.Decide(StationA, AccessAction.ReadFeeds, TownshipB.Code, Tree),
            AccessPolicy.Decide(StationA, AccessAction.ReadFeeds, Unknown, Tree));
        Assert.False(AccessPolicy.IsWithinScope(StationA, Unknown, Tree));
        Assert.False(AccessPolicy.IsWithinScope(Administrator, Unknown, Tree));
    }

    [Fact]
    public void A_null_target_means_the_whole_county()
    {
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(Administrator, AccessAction.ReadAudit, null, Tree));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(Duty, AccessAction.ReadFeeds, null, Tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(StationA, AccessAction.ReadFeeds, null, Tree));
    }

    [Fact]
    public void Without_a_tree_an_administrator_is_allowed_and_a_duty_officer_is_out_of_scope()
    {
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(Administrator, AccessAction.ImportJurisdictions, null, null));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(Make(Role.Administrator), AccessAction.ViewJurisdictions, Root.Code, null));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(Duty, AccessAction.ReadFeeds, null, null));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.Decide(Duty, AccessAction.ReadFeeds, Root.Code, null));
    }

    [Fact]
    public void ScopeRoots_drops_codes_nested_in_another_of_the_callers_codes_and_unknown_codes()
    {
        var caller = Make(Role.VillageStation, GridInA.Code, Unknown, TownshipA.Code, GridInB.Code, VillageInA.Code, TownshipA.Code);

        var roots = AccessPolicy.ScopeRoots(caller, Tree);

        Assert.Equal([TownshipA.Code, GridInB.Code], roots.Select(j => j.Code));
    }

    [Fact]
    public void ScopeRoots_keeps_sibling_grids_in_code_order_and_is_empty_when_no_code_is_known()
    {
        var grids = Tree.ChildrenOf(VillageWithThreeGrids.Code);
        var police = Make(Role.PatrolPolice, grids[2].Code, grids[0].Code);

        Assert.Equal([grids[0].Code, grids[2].Code], AccessPolicy.ScopeRoots(police, Tree).Select(j => j.Code));
        Assert.Empty(AccessPolicy.ScopeRoots(Make(Role.TownshipStation, Unknown, "nope"), Tree));
    }

    [Fact]
    public void ScopeRoots_of_an_administrator_is_the_root_whatever_the_jurisdictions()
    {
        Assert.Equal([Root], AccessPolicy.ScopeRoots(Make(Role.Administrator), Tree));
        Assert.Equal([Root], AccessPolicy.ScopeRoots(Make(Role.Administrator, GridInA.Code, Unknown), Tree));
    }

    [Fact]
    public void Lockout_holds_strictly_before_LockedUntil_and_not_at_or_after_it_or_without_it()
    {
        var until = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
        var locked = Account(until);

        Assert.True(LockoutPolicy.IsLocked(locked, until.AddTicks(-1)));
        Assert.True(LockoutPolicy.IsLocked(locked, until.AddMinutes(-15)));
        Assert.False(LockoutPolicy.IsLocked(locked, until));
        Assert.False(LockoutPolicy.IsLocked(locked, until.AddTicks(1)));
        Assert.False(LockoutPolicy.IsLocked(Account(null), until));
        Assert.False(LockoutPolicy.IsLocked(Account(null), DateTimeOffset.MinValue));
    }

    [Fact]
    public void AccountNames_Normalize_trims_and_lowercases()
    {
        Assert.Equal("station-1", AccountNames.Normalize("  Station-1\t"));
        Assert.Equal("admin", AccountNames.Normalize("ADMIN"));
        Assert.True(AccountNames.IsValid(AccountNames.Normalize(" Worker_2 ")));
    }

    [Theory]
    [InlineData("station-1")]
    [InlineData("worker_2")]
    [InlineData("a.b")]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void AccountNames_accepts_short_lowercase_ascii_names(string name)
    {
        Assert.True(AccountNames.IsValid(name), name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("_x")]
    [InlineData(".x")]
    [InlineData("x y")]
    [InlineData("用户")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("<script>")]
    [InlineData("Admin")]
    public void AccountNames_refuses_empty_punctuation_led_spaced_non_ascii_long_and_markup_names(string name)
    {
        Assert.False(AccountNames.IsValid(name), name);
    }

    [Fact]
    public void The_longest_name_AccountNames_accepts_has_MaxLength_characters()
    {
        Assert.Equal(32, AccountNames.MaxLength);
        Assert.True(AccountNames.IsValid(new string('a', AccountNames.MaxLength)));
        Assert.False(AccountNames.IsValid(new string('a', AccountNames.MaxLength + 1)));
    }

    [Fact]
    public void A_zero_report_is_submitted_by_the_units_own_station_or_for_a_village_by_its_township_and_by_nobody_else()
    {
        var village = Make(Role.VillageStation, VillageInA.Code);
        var otherVillage = Tree.ChildrenOf(TownshipA.Code)[1];
        Assert.True(AccessPolicy.MayReportFor(StationA, TownshipA.Code, Tree));
        Assert.True(AccessPolicy.MayReportFor(StationA, VillageInA.Code, Tree));
        Assert.True(AccessPolicy.MayReportFor(village, VillageInA.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(village, otherVillage.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(village, TownshipA.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(StationA, TownshipB.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(StationA, Tree.ChildrenOf(TownshipB.Code)[0].Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(StationA, GridInA.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(Duty, TownshipA.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(Make(Role.GridChief, VillageInA.Code), VillageInA.Code, Tree));
        Assert.False(AccessPolicy.MayReportFor(StationA, Unknown, Tree));
        Assert.Equal([Role.Commander, Role.DutyOfficer], RolesThatMay(AccessAction.ConfigureSensitivePeriods));
        Assert.Equal([Role.TownshipStation, Role.VillageStation], RolesThatMay(AccessAction.SubmitZeroReports));
        Assert.Equal([Role.Commander, Role.DutyOfficer, Role.TownshipStation, Role.VillageStation], RolesThatMay(AccessAction.ReadZeroReports));
    }

    [Fact]
    public void The_county_center_calls_stations_by_video_and_a_station_answers_only_its_own_roll_calls()
    {
        Assert.Equal([Role.Commander, Role.DutyOfficer], RolesThatMay(AccessAction.StartRollCalls));
        Assert.Equal([Role.Commander, Role.DutyOfficer, Role.TownshipStation, Role.VillageStation], RolesThatMay(AccessAction.ReadRollCalls));
        Assert.Equal([Role.TownshipStation, Role.VillageStation], RolesThatMay(AccessAction.AnswerRollCalls));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.Decide(Duty, AccessAction.StartRollCalls, TownshipA.Code, Tree));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.Decide(StationA, AccessAction.StartRollCalls, VillageInA.Code, Tree));
        Assert.True(AccessPolicy.MayAnswerRollCall(StationA, TownshipA.Code));
        Assert.False(AccessPolicy.MayAnswerRollCall(StationA, VillageInA.Code));
        Assert.False(AccessPolicy.MayAnswerRollCall(StationA, TownshipB.Code));
        Assert.False(AccessPolicy.MayAnswerRollCall(Duty, Tree.Root.Code));
    }

    private static Role[] RolesThatMay(AccessAction action) =>
        Enum.GetValues<Role>().Where(r => AccessPolicy.RoleMay(r, action)).ToArray();

    private static Account Account(DateTimeOffset? lockedUntil) =>
        new("someone", "某人", Role.GridWorker, ["620402"], null, "hash", 5, lockedUntil);

    [Theory]
    [InlineData(Role.Administrator, AccessDecision.Allowed)]
    [InlineData(Role.Commander, AccessDecision.Allowed)]
    [InlineData(Role.DutyOfficer, AccessDecision.Allowed)]
    [InlineData(Role.TownshipStation, AccessDecision.RoleForbidden)]
    [InlineData(Role.VillageStation, AccessDecision.RoleForbidden)]
    [InlineData(Role.GridChief, AccessDecision.RoleForbidden)]
    [InlineData(Role.GridWorker, AccessDecision.RoleForbidden)]
    [InlineData(Role.PatrolPolice, AccessDecision.RoleForbidden)]
    [InlineData(Role.Department, AccessDecision.RoleForbidden)]
    [InlineData(Role.Integration, AccessDecision.RoleForbidden)]
    [InlineData(Role.Citizen, AccessDecision.RoleForbidden)]
    public void By_default_only_administrators_and_the_county_center_have_photos_as_uploaded(Role role, AccessDecision expected) =>
        Assert.Equal(expected, AccessPolicy.DecideOriginalPhoto(Make(role, Root.Code), [.. AccessPolicy.DefaultOriginalPhotoRoles]));

    [Fact]
    public void The_roles_with_originals_are_those_configured_and_never_an_integration_or_a_citizen()
    {
        Role[] configured = [Role.GridChief, Role.Integration, Role.Citizen];

        Assert.Equal(AccessDecision.Allowed, AccessPolicy.DecideOriginalPhoto(Make(Role.GridChief, GridInA.Code), configured));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.DecideOriginalPhoto(Duty, configured));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.DecideOriginalPhoto(Make(Role.Integration, Root.Code), configured));
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.DecideOriginalPhoto(Make(Role.Citizen), configured));
        Assert.Equal(AccessDecision.Unauthenticated, AccessPolicy.DecideOriginalPhoto(null, configured));
    }
}
