using CommandCenter.Access;
using CommandCenter.Command;
using CommandCenter.Geography;
using CommandCenter.Tests.Geography;

namespace CommandCenter.Tests.Command;

/// <summary>An instruction's deadlines, where a recipient stands, what it missed, its reminders, and whom a broadcast reaches.</summary>
public sealed class InstructionRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SignDue = T0.AddMinutes(5);
    private static readonly DateTimeOffset ReportDue = T0.AddMinutes(30);

    private static RecipientProgress Fresh => RecipientProgress.New("620402001");

    [Fact]
    public void By_default_a_station_signs_within_five_minutes_and_reports_within_thirty()
    {
        Assert.Equal((SignDue, ReportDue), InstructionRules.Deadlines(T0, null, null));
        Assert.Equal((T0.AddMinutes(1), T0.AddHours(2)), InstructionRules.Deadlines(T0, TimeSpan.FromMinutes(1), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void A_recipient_moves_from_issued_through_delivered_signed_and_reported_to_done()
    {
        var p = Fresh;
        Assert.Equal(RecipientState.Issued, InstructionRules.State(p));
        p = p with { DeliveredAt = T0.AddSeconds(1) };
        Assert.Equal(RecipientState.Delivered, InstructionRules.State(p));
        p = p with { SignedAt = T0.AddMinutes(2), SignedBy = "user:township-1", SignedByName = "乡镇综治中心" };
        Assert.Equal(RecipientState.Signed, InstructionRules.State(p));
        p = p with { ReportedAt = T0.AddMinutes(10) };
        Assert.Equal(RecipientState.Reported, InstructionRules.State(p));
        p = p with { DoneAt = T0.AddMinutes(20) };
        Assert.Equal(RecipientState.Done, InstructionRules.State(p));
    }

    [Fact]
    public void Unsigned_past_its_time_or_signed_after_it_is_a_missed_signing_and_the_same_for_the_report()
    {
        Assert.False(InstructionRules.SignMissed(Fresh, SignDue, SignDue));
        Assert.True(InstructionRules.SignMissed(Fresh, SignDue, SignDue.AddSeconds(1)));
        Assert.False(InstructionRules.SignMissed(Fresh with { SignedAt = SignDue }, SignDue, T0.AddDays(1)));
        Assert.True(InstructionRules.SignMissed(Fresh with { SignedAt = SignDue.AddSeconds(1) }, SignDue, SignDue.AddSeconds(1)));

        Assert.False(InstructionRules.ReportMissed(Fresh, ReportDue, ReportDue));
        Assert.True(InstructionRules.ReportMissed(Fresh, ReportDue, ReportDue.AddSeconds(1)));
        Assert.False(InstructionRules.ReportMissed(Fresh with { ReportedAt = T0.AddMinutes(29) }, ReportDue, T0.AddDays(1)));
        Assert.True(InstructionRules.ReportMissed(Fresh with { ReportedAt = T0.AddMinutes(31) }, ReportDue, T0.AddDays(1)));
    }

    [Fact]
    public void Each_passed_deadline_is_reminded_once_and_not_when_it_was_met()
    {
        Assert.Empty(InstructionRules.RemindersDue(Fresh, SignDue, ReportDue, SignDue));
        Assert.Equal([InstructionReminder.Sign], InstructionRules.RemindersDue(Fresh, SignDue, ReportDue, SignDue.AddSeconds(1)));
        Assert.Equal([InstructionReminder.Sign, InstructionReminder.Report],
            InstructionRules.RemindersDue(Fresh, SignDue, ReportDue, ReportDue.AddSeconds(1)));
        Assert.Equal([InstructionReminder.Report],
            InstructionRules.RemindersDue(Fresh with { SignRemindedAt = SignDue.AddSeconds(1) }, SignDue, ReportDue, ReportDue.AddSeconds(1)));
        Assert.Empty(InstructionRules.RemindersDue(Fresh with { SignedAt = T0.AddMinutes(1), ReportedAt = T0.AddMinutes(9) }, SignDue, ReportDue, T0.AddDays(1)));
    }

    [Fact]
    public void A_broadcast_to_the_county_reaches_every_township_and_village_and_one_to_a_township_it_and_its_villages()
    {
        var tree = DemoCountyData.Tree;
        var townships = DemoCountyData.AtLevel(JurisdictionLevel.Township).Select(j => j.Code).ToList();
        var villages = DemoCountyData.AtLevel(JurisdictionLevel.Village).Select(j => j.Code).ToList();

        var county = InstructionRules.StationsUnder(tree, tree.Root.Code);
        Assert.Equal(townships.Concat(villages).Order(StringComparer.Ordinal), county.Order(StringComparer.Ordinal));
        Assert.Equal(county.Count, county.Distinct().Count());

        var township = InstructionRules.StationsUnder(tree, townships[0]);
        Assert.Equal(townships[0], township[0]);
        Assert.Equal(villages.Where(v => tree.IsWithin(v, townships[0])).Order(StringComparer.Ordinal), township.Skip(1).Order(StringComparer.Ordinal));

        var grid = DemoCountyData.AtLevel(JurisdictionLevel.Grid).First().Code;
        Assert.Empty(InstructionRules.StationsUnder(tree, grid));
        Assert.Empty(InstructionRules.StationsUnder(tree, "999999"));
    }

    [Fact]
    public void A_session_is_followed_by_its_area_s_commanders_and_by_its_participating_stations_only()
    {
        var tree = DemoCountyData.Tree;
        var townships = DemoCountyData.AtLevel(JurisdictionLevel.Township).Select(j => j.Code).ToList();
        var (area, other) = (townships[0], townships[1]);
        var village = DemoCountyData.AtLevel(JurisdictionLevel.Village).First(v => tree.IsWithin(v.Code, other)).Code;
        Caller As(Role role, string code) => new("user:" + role, role.ToString(), role, [code]);

        Assert.Equal(AccessDecision.Allowed, AccessPolicy.DecideSession(As(Role.DutyOfficer, tree.Root.Code), area, [], tree));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.DecideSession(As(Role.TownshipStation, area), area, [], tree));
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.DecideSession(As(Role.TownshipStation, other), area, [], tree));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.DecideSession(As(Role.TownshipStation, other), area, [other], tree));
        Assert.Equal(AccessDecision.Allowed, AccessPolicy.DecideSession(As(Role.VillageStation, village), area, [village], tree));
        // A township whose village takes part does not follow the session for it; only the named station does.
        Assert.Equal(AccessDecision.OutOfScope, AccessPolicy.DecideSession(As(Role.TownshipStation, other), area, [village], tree));
        // Taking part is for station accounts: a grid worker of the area follows nothing.
        Assert.Equal(AccessDecision.RoleForbidden, AccessPolicy.DecideSession(As(Role.GridWorker, area), area, [area], tree));
        Assert.Equal(AccessDecision.Unauthenticated, AccessPolicy.DecideSession(null, area, [area], tree));
    }

    [Fact]
    public void A_recipient_is_escalated_only_after_it_missed_a_deadline_and_until_it_reports_back_and_says_what_it_owes()
    {
        var p = Fresh;
        Assert.False(InstructionRules.MayEscalate(p, SignDue, ReportDue, T0.AddMinutes(4)));
        Assert.True(InstructionRules.MayEscalate(p, SignDue, ReportDue, T0.AddMinutes(6)));
        Assert.Equal(InstructionReminder.Sign, InstructionRules.Missing(p));
        var signedLate = p with { SignedAt = T0.AddMinutes(7) };
        Assert.True(InstructionRules.MayEscalate(signedLate, SignDue, ReportDue, T0.AddMinutes(8)));
        Assert.Equal(InstructionReminder.Report, InstructionRules.Missing(signedLate));
        var signedInTime = p with { SignedAt = T0.AddMinutes(1) };
        Assert.False(InstructionRules.MayEscalate(signedInTime, SignDue, ReportDue, T0.AddMinutes(20)));
        Assert.True(InstructionRules.MayEscalate(signedInTime, SignDue, ReportDue, T0.AddMinutes(31)));
        Assert.False(InstructionRules.MayEscalate(signedLate with { ReportedAt = T0.AddMinutes(40) }, SignDue, ReportDue, T0.AddMinutes(41)));
    }

    [Fact]
    public void A_village_is_sent_up_to_its_township_and_a_township_to_the_county()
    {
        var tree = DemoCountyData.Tree;
        var township = DemoCountyData.AtLevel(JurisdictionLevel.Township).First().Code;
        var village = tree.ChildrenOf(township)[0].Code;
        Assert.Equal(township, InstructionRules.SuperiorOf(tree, village));
        Assert.Equal(tree.Root.Code, InstructionRules.SuperiorOf(tree, township));
    }
}
