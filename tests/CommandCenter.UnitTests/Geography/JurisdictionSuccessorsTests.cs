using System.Text.Json.Nodes;
using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Geography;
using CommandCenter.Incidents;

namespace CommandCenter.Tests.Geography;

/// <summary>
/// Re-importing the tiny county with G1 (西村第1网格, [104.000, 104.005]) split into G1a (west half) and G1b (east
/// half), or with G1 and G2 merged into G12: the successors must name every dropped code, and what was bound to G1
/// goes to the successor at its place.
/// </summary>
public sealed class JurisdictionSuccessorsTests
{
    private static readonly JurisdictionTree Old = TinyCounty.Parse(TinyCounty.Collection()).Tree!;

    private static IReadOnlyDictionary<string, JurisdictionLevel> Current => Old.All.ToDictionary(a => a.Code, a => a.Level);

    private static JurisdictionTree Split()
    {
        var county = TinyCounty.Collection();
        var features = TinyCounty.Features(county);
        features.RemoveAt(TinyCounty.G1);
        features.Add(TinyCounty.Feature("G1a", "西村第1网格(西)", "grid", "V1", TinyCounty.Rect(104.000, 36.00, 104.0025, 36.01)));
        features.Add(TinyCounty.Feature("G1b", "西村第1网格(东)", "grid", "V1", TinyCounty.Rect(104.0025, 36.00, 104.005, 36.01)));
        return Parsed(county);
    }

    private static JurisdictionTree Merged()
    {
        var county = TinyCounty.Collection();
        var features = TinyCounty.Features(county);
        features.RemoveAt(TinyCounty.G2);
        features.RemoveAt(TinyCounty.G1);
        features.Add(TinyCounty.Feature("G12", "西村网格", "grid", "V1", TinyCounty.Rect(104.000, 36.00, 104.01, 36.01)));
        return Parsed(county);
    }

    /// <summary>G2 moved from 西村 (V1) to 东村 (V2), its code kept; the villages' outlines follow it.</summary>
    private static JurisdictionTree Moved()
    {
        var county = TinyCounty.Collection();
        var features = TinyCounty.Features(county);
        TinyCounty.Properties(county, TinyCounty.G2)["parentCode"] = "V2";
        features[TinyCounty.V1]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.000, 36.00, 104.005, 36.01);
        features[TinyCounty.V2]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.005, 36.00, 104.02, 36.01);
        features[TinyCounty.T1]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.000, 36.00, 104.005, 36.01);
        features[TinyCounty.T2]!["geometry"]!["coordinates"] = TinyCounty.Rect(104.005, 36.00, 104.02, 36.01);
        return Parsed(county);
    }

    private static JurisdictionTree Parsed(JsonObject county)
    {
        var result = TinyCounty.Parse(county);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return result.Tree!;
    }

    private static JurisdictionSuccessors Checked(string text, JurisdictionTree next)
    {
        var (pairs, unreadable) = JurisdictionSuccessors.Parse(text);
        Assert.Empty(unreadable);
        var (successors, problems) = JurisdictionSuccessors.Check(pairs!, Current, next);
        Assert.Empty(problems);
        return successors!;
    }

    private static IReadOnlyList<string> Problems(string text, JurisdictionTree next)
    {
        var (pairs, unreadable) = JurisdictionSuccessors.Parse(text);
        if (pairs is null)
            return unreadable.Select(p => p.Message).ToList();
        var (successors, problems) = JurisdictionSuccessors.Check(pairs, Current, next);
        Assert.Null(successors);
        Assert.All(problems, p => Assert.Equal(JurisdictionSuccessors.Field, p.Field));
        return problems.Select(p => p.Message).ToList();
    }

    [Fact]
    public void A_split_grid_is_refused_until_its_successors_are_named_and_each_thing_goes_to_the_half_it_is_in()
    {
        var next = Split();

        var missing = Assert.Single(Problems("", next));
        Assert.Contains("grid G1 is missing from the new tree", missing);
        Assert.Contains("successors=G1=", missing);

        var successors = Checked("G1=G1a, G1=G1b", next);
        Assert.Equal(["G1a", "G1b"], successors.ByCode["G1"]);
        Assert.Equal("G1a", successors.GridFor("G1", 36.005, 104.001, next));
        Assert.Equal("G1b", successors.GridFor("G1", 36.005, 104.004, next));
        // Outside both halves (a home across the county line): the nearer half.
        Assert.Equal("G1b", successors.GridFor("G1", 36.005, 104.030, next));
        Assert.Equal("G2", successors.GridFor("G2", 36.005, 104.001, next));
        Assert.Equal(["G1a", "G1b", "G2"], successors.Scope(["G1", "G2"]));
        Assert.Equal(["V1"], successors.Scope(["V1"]));
    }

    [Fact]
    public void Merged_grids_both_go_to_the_one_that_replaces_them()
    {
        var next = Merged();

        Assert.Contains("grid G2 is missing from the new tree", Assert.Single(Problems("G1=G12", next)));
        var successors = Checked("G1=G12;G2=G12", next);

        Assert.Equal("G12", successors.GridFor("G1", 36.005, 104.001, next));
        Assert.Equal("G12", successors.GridFor("G2", 36.005, 104.009, next));
        Assert.Equal(["G12"], successors.Scope(["G1", "G2"]));
    }

    [Fact]
    public void Successors_must_be_dropped_codes_of_the_current_tree_with_areas_of_the_same_level_in_the_new_one()
    {
        var next = Split();

        Assert.Contains(Problems("G1=G1a,G1=G1b,G2=G1a", next), m => m.Contains("G2 is still in the new tree"));
        Assert.Contains(Problems("G1=G1a,G1=G1b,G9=G1a", next), m => m.Contains("G9 is not an area of the current tree"));
        Assert.Contains(Problems("G1=G1a,G1=G7", next), m => m.Contains("successor G7 is not in the new tree"));
        Assert.Contains(Problems("G1=V1", next), m => m.Contains("G1 is a grid but its successor V1 a village"));
        Assert.Contains(Problems("G1", next), m => m.Contains("'G1' is not a pair old=new"));
        Assert.Contains(Problems("G1=G1a=G1b", next), m => m.Contains("not a pair"));
    }

    [Fact]
    public void A_recorded_chain_of_successors_is_followed_to_a_grid_of_the_tree()
    {
        var next = Merged();
        var recorded = JurisdictionSuccessors.Of([new("G1", "G1a"), new("G1", "G1b"), new("G1a", "G12"), new("G1b", "G12"), new("G2", "G12")]);

        Assert.Equal("G12", recorded.GridFor("G1", 36.005, 104.001, next));
        Assert.Null(recorded.GridFor("G9", 36.005, 104.001, next));
        var circular = JurisdictionSuccessors.Of([new("X", "Y"), new("Y", "X")]);
        Assert.Null(circular.GridFor("X", 36.005, 104.001, next));
    }

    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private static IncidentHistory Reported(string grid, double lng)
    {
        var report = new ReportIncident(IncidentSource.GridWorker, "safety", "电动车楼道充电", "二单元", 36.005, lng, null, grid, Old.PathToRoot(grid),
            "user:wang", "GridWorker");
        return IncidentHistory.Of(Guid.NewGuid(), [IncidentHistory.NewReport(report, Monday)]);
    }

    [Fact]
    public void A_case_moved_to_a_grid_of_another_village_lies_with_its_new_village_and_stays_with_its_person()
    {
        var next = Moved();
        var history = Reported("G2", 104.007);
        var worker = new Assignee(AssigneeKind.Worker, "w-1", "王芳");
        history = history with
        {
            Details = history.Details! with
            {
                Level = "V1", Assignee = new Assignee(AssigneeKind.Jurisdiction, "V1", "西村"), Status = IncidentStatus.Dispatched,
                Supervision = new Supervision("T1", DeadlineStep.Accept, Monday, Monday.AddHours(4), 1),
            },
        };

        var moved = CaseRules.Move(history, "G2", next.PathToRoot("G2"), next.NameOf, Monday.AddDays(1), "user:admin")!;

        Assert.Equal((IncidentEventKinds.Moved, "user:admin"), (moved.Kind, moved.Actor));
        var after = history.Apply(history.Details!.Id, moved).Details!;
        Assert.Equal("G2", after.GridCode);
        Assert.Equal(["G2", "V2", "T2", "C"], after.Path);
        Assert.Equal(("V2", new Assignee(AssigneeKind.Jurisdiction, "V2", "东村"), "T2"), (after.Level, after.Assignee, after.Supervision!.By));
        Assert.Equal((IncidentStatus.Dispatched, history.Details.Deadline), (after.Status, after.Deadline));
        Assert.Null(CaseRules.Move(history.Apply(history.Details.Id, moved), "G2", next.PathToRoot("G2"), next.NameOf, Monday, "user:admin"));

        var withPerson = history with { Details = history.Details with { Level = "G2", Assignee = worker, Supervision = null } };
        var split = Split();
        var toHalf = withPerson.Apply(history.Details.Id,
            CaseRules.Move(withPerson, "G1b", split.PathToRoot("G1b"), split.NameOf, Monday, "user:admin")!).Details!;
        Assert.Equal(("G1b", "G1b", worker), (toHalf.GridCode, toHalf.Level, toHalf.Assignee));
    }

    [Fact]
    public void A_move_takes_the_case_off_the_feeds_it_left_and_adds_it_to_the_feeds_it_joined()
    {
        var history = Reported("G2", 104.007);
        var before = history.Details!;
        var next = Moved();
        var after = history.Apply(before.Id, CaseRules.Move(history, "G2", next.PathToRoot("G2"), next.NameOf, Monday, "user:admin")!).Details!;
        var append = new Feeds.FeedAppend("e", Feeds.FeedKinds.IncidentMoved, Monday, after.ToSummary(), Feeds.FeedCounts.Between(before, after),
            new Feeds.FeedMove(before.Path, Feeds.FeedCounts.Of(before)));

        var feeds = append.Feeds(after.Path).ToDictionary(f => f.Feed);

        var one = new Feeds.FeedCounts(1, 0, 0, 0);
        Assert.Equal(["G2", "V2", "T2", "C", "V1", "T1"], feeds.Keys);
        Assert.Equal((Feeds.FeedKinds.IncidentMoved, Feeds.FeedCounts.Zero), (feeds["G2"].Kind, feeds["G2"].Counts));
        Assert.Equal((Feeds.FeedKinds.IncidentMoved, Feeds.FeedCounts.Zero), (feeds["C"].Kind, feeds["C"].Counts));
        Assert.Equal((Feeds.FeedKinds.IncidentMoved, one), (feeds["V2"].Kind, feeds["V2"].Counts));
        Assert.Equal((Feeds.FeedKinds.IncidentLeft, one.Negated()), (feeds["V1"].Kind, feeds["V1"].Counts));
        Assert.Equal((Feeds.FeedKinds.IncidentLeft, one.Negated()), (feeds["T1"].Kind, feeds["T1"].Counts));
    }
}
