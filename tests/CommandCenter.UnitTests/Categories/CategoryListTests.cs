using CommandCenter.Categories;

namespace CommandCenter.UnitTests.Categories;

public sealed class CategoryListTests
{
    private static readonly CategoryList List = new(
    [
        new("dispute.neighbor", "邻里纠纷", 12, true, []),
        new("dispute", "矛盾纠纷", 10, true, [CategoryKind.Dispute]),
        new("dispute.old", "旧类别", 19, false, []),
        new("safety", "安全隐患", 30, true, [CategoryKind.SafetyHazard]),
        new("safety.fire", "消防安全", 31, true, [CategoryKind.SafetyHazard, CategoryKind.PublicSecurity]),
        new("petition", "信访", 50, true, [CategoryKind.Petition]),
    ]);

    [Fact]
    public void The_list_is_in_its_order_and_a_child_is_named_with_its_parent()
    {
        Assert.Equal(["dispute", "dispute.neighbor", "dispute.old", "safety", "safety.fire", "petition"], List.All.Select(c => c.Code));
        Assert.Equal("矛盾纠纷 › 邻里纠纷", List.FullName("dispute.neighbor"));
        Assert.Equal("矛盾纠纷", List.FullName("dispute"));
        Assert.Equal("dispute", List.Find("dispute.neighbor")!.Parent);
        Assert.Null(List.Find("dispute")!.Parent);
        Assert.Equal("unknown", List.FullName("unknown"));
    }

    [Fact]
    public void A_child_counts_as_what_it_or_its_parent_counts_as()
    {
        Assert.True(List.CountsAs("dispute.neighbor", CategoryKind.Dispute));
        Assert.True(List.CountsAs("safety.fire", CategoryKind.PublicSecurity));
        Assert.False(List.CountsAs("safety", CategoryKind.PublicSecurity));
        Assert.False(List.CountsAs("petition", CategoryKind.Dispute));
        Assert.False(List.CountsAs("unknown", CategoryKind.Dispute));
        Assert.Equal(["dispute", "dispute.neighbor", "dispute.old"], List.CodesOf(CategoryKind.Dispute));
        Assert.Equal(["safety", "safety.fire"], List.CodesWithin("safety"));
        Assert.Equal(["safety.fire"], List.CodesWithin("safety.fire"));
    }

    [Fact]
    public void A_report_names_an_active_category_by_its_code()
    {
        Assert.Null(List.RefusalOfReport("dispute.neighbor"));
        Assert.Null(List.RefusalOfReport("dispute"));
        Assert.Contains("is not a category", List.RefusalOfReport("<script>alert(1)</script>"));
        Assert.Contains("'dispute'", List.RefusalOfReport("矛盾纠纷"));
        Assert.Contains("retired", List.RefusalOfReport("dispute.old"));
    }

    [Theory]
    [InlineData("Dispute.x", "code")]
    [InlineData("dispute.neighbor.more", "code")]
    [InlineData("1dispute", "code")]
    [InlineData("dispute..x", "code")]
    [InlineData("missing.child", "code")]
    [InlineData("dispute.family", "name", "")]
    [InlineData("dispute.family", "name", "一二三四五六七八九十一二三四五六七")]
    [InlineData("dispute.family", "name", "邻里纠纷")]
    public void An_edit_is_refused_naming_the_field(string code, string field, string name = "新类别")
    {
        var refusal = List.RefusalOfEdit(new IncidentCategory(code, name, 1, true, []));

        Assert.Equal(field, refusal?.Field);
    }

    [Fact]
    public void An_edit_may_rename_a_category_or_add_a_child_and_the_list_then_holds_it()
    {
        var renamed = new IncidentCategory("dispute.neighbor", "邻里矛盾", 12, true, []);
        var added = new IncidentCategory("petition.group", "集体访", 51, true, []);
        var repeated = new IncidentCategory("petition.other", "其他信访", 52, true, [CategoryKind.Dispute, CategoryKind.Dispute]);

        Assert.Null(List.RefusalOfEdit(renamed));
        Assert.Null(List.RefusalOfEdit(added));
        Assert.Equal("countsAs", List.RefusalOfEdit(repeated)?.Field);
        var edited = List.With(renamed).With(added);
        Assert.Equal("矛盾纠纷 › 邻里矛盾", edited.FullName("dispute.neighbor"));
        Assert.True(edited.CountsAs("petition.group", CategoryKind.Petition));
        Assert.Equal(List.All.Count + 1, edited.All.Count);
    }

    [Theory]
    [InlineData("dispute", "dispute", true)]
    [InlineData("dispute.neighbor", "dispute", true)]
    [InlineData("disputes", "dispute", false)]
    [InlineData("dispute", "dispute.neighbor", false)]
    public void A_code_is_within_itself_and_its_parent(string code, string ancestor, bool within) =>
        Assert.Equal(within, CategoryCodes.Within(code, ancestor));
}
