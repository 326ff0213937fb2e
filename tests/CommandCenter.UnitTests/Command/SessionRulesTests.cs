using CommandCenter.Command;

namespace CommandCenter.Tests.Command;

/// <summary>The shared view's rules: who leads, how changes leave a session, what is shared once, how views are numbered, what a view and markup may be.</summary>
public sealed class SessionRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid Incident = Guid.Parse("9b1a8a52-4a0e-4d49-9a3c-6a1e2f1c0001");

    private static readonly CommandSession Open = new(Guid.Parse("5e55a000-0000-4000-8000-000000000001"), "演练", "620402001", ["620402001", "620402"],
        CommandLevel.General, [Incident], ["620402001"], "user:commander", "指挥长", T0, null, null, null, 1, ["cam-1"]);

    private static readonly MapView View = new(36.5, 104.2, 13, ["incidents", "cameras"]);

    [Fact]
    public void Only_the_one_who_took_the_lead_leads_and_only_while_the_session_is_open()
    {
        Assert.False(SessionRules.Leads(Open, "user:commander"));
        var led = SessionRules.Apply(Open, new TakeLead(Open.Id, "user:commander", "指挥长"));
        Assert.True(SessionRules.Leads(led, "user:commander"));
        Assert.False(SessionRules.Leads(led, "user:duty"));
        Assert.False(SessionRules.Leads(led with { ClosedAt = T0.AddHours(1) }, "user:commander"));
        var released = SessionRules.Apply(led, new TakeLead(Open.Id, null, null));
        Assert.Equal((null, null), (released.Leader, released.LeaderName));
        Assert.False(SessionRules.Leads(released, "user:commander"));
    }

    [Fact]
    public void Sharing_adds_only_what_is_not_shared_yet_and_nothing_new_is_no_change()
    {
        var other = Guid.Parse("9b1a8a52-4a0e-4d49-9a3c-6a1e2f1c0002");
        var shares = SessionRules.NewShares(Open, [Incident, other, other], ["cam-1", "cam-2", "cam-2"])!;
        Assert.Equal([other], shares.Incidents);
        Assert.Equal(["cam-2"], shares.Cameras);
        var after = SessionRules.Apply(Open, shares);
        Assert.Equal([Incident, other], after.Incidents);
        Assert.Equal(["cam-1", "cam-2"], after.Cameras);
        Assert.Null(SessionRules.NewShares(after, [other], ["cam-1"]));
        Assert.Same(Open, SessionRules.Apply(Open, new RemoveMarkup(Open.Id, Guid.NewGuid(), T0)));
    }

    [Fact]
    public void Views_number_on_by_one_and_never_below_the_time_so_a_new_activation_still_numbers_past_the_last()
    {
        var ms = T0.ToUnixTimeMilliseconds();
        Assert.Equal(ms, SessionRules.NextVersion(0, T0));
        Assert.Equal(ms + 1, SessionRules.NextVersion(ms, T0));
        Assert.Equal(ms + 6, SessionRules.NextVersion(ms + 5, T0)); // many views within one millisecond
        Assert.Equal(ms + 1000, SessionRules.NextVersion(ms + 6, T0.AddSeconds(1)));
    }

    [Fact]
    public void A_view_names_each_field_that_is_wrong()
    {
        Assert.Empty(SessionRules.ViewErrors(View));
        Assert.Empty(SessionRules.ViewErrors(View with { Layers = [], SelectedIncident = Incident.ToString(), SelectedCamera = "cam-1", Highlight = "620402" }));
        Assert.Equal(["view"], SessionRules.ViewErrors(null).Keys);
        var errors = SessionRules.ViewErrors(new MapView(91, double.NaN, 30, ["incidents", "<b>x</b>"], "not-an-id", "", new string('x', 65)));
        Assert.Equal(["highlight", "lat", "layers", "lng", "selectedCamera", "selectedIncident", "zoom"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("<b>x</b>", errors["layers"][0]);
        Assert.Equal(["layers"], SessionRules.ViewErrors(View with { Layers = null! }).Keys);
    }

    [Fact]
    public void Markup_has_the_points_its_kind_needs_and_only_a_circle_has_a_radius()
    {
        MarkupPoint[] one = [new(36.5, 104.2)], two = [.. one, new(36.6, 104.3)], three = [.. two, new(36.4, 104.4)];
        Assert.Null(SessionRules.ShapeError(MarkupKind.Line, two, null));
        Assert.Null(SessionRules.ShapeError(MarkupKind.Polygon, three, null));
        Assert.Null(SessionRules.ShapeError(MarkupKind.Circle, one, 500));
        Assert.Equal("points", SessionRules.ShapeError(MarkupKind.Line, one, null)?.Field);
        Assert.Equal("points", SessionRules.ShapeError(MarkupKind.Polygon, two, null)?.Field);
        Assert.Equal("points", SessionRules.ShapeError(MarkupKind.Circle, two, 500)?.Field);
        Assert.Equal("radius", SessionRules.ShapeError(MarkupKind.Circle, one, null)?.Field);
        Assert.Equal("radius", SessionRules.ShapeError(MarkupKind.Circle, one, SessionRules.MaxRadiusMetres + 1)?.Field);
        Assert.Equal("radius", SessionRules.ShapeError(MarkupKind.Line, two, 10)?.Field);
        Assert.Equal("points[1]", SessionRules.ShapeError(MarkupKind.Line, [one[0], new(95, 104)], null)?.Field);
        Assert.Equal("points", SessionRules.ShapeError(MarkupKind.Line, Enumerable.Repeat(one[0], SessionRules.MaxMarkupPoints + 1).ToList(), null)?.Field);
    }
}
