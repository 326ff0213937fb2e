using CommandCenter.Access;

namespace CommandCenter.UnitTests.Access;

/// <summary>How a citizen's contact details show outside the case page (#20).</summary>
public sealed class ContactMaskTests
{
    [Theory]
    [InlineData("13812341234", "138****1234")]
    [InlineData("王女士 13812341234", "王女士 138****1234")]
    [InlineData("张三丰,电话138-1234-1234", "张**,电话138-****-1234")]
    [InlineData("李先生 0943-8221234", "李先生 094*-***1234")]
    [InlineData("Li Lei +86 13912345678", "L* L** +86 1******5678")]
    [InlineData("匿名 138 1234 1234", "匿名 138 **** 1234")]
    [InlineData("张网格", "张**")]
    [InlineData("张三丰电话13812341234", "张**电话138****1234")]
    [InlineData("联系人王女士手机13812341234", "联系人王女士手机138****1234")]
    [InlineData("市民李四反映", "市民李***")]
    [InlineData("联系电话", "联系电话")]
    [InlineData("王", "王")]
    [InlineData("12345", "12345")]
    [InlineData("<b>赵</b>", "<b>赵</b>")]
    public void Phones_keep_their_first_three_and_last_four_digits_and_names_their_first_character(string text, string masked) =>
        Assert.Equal(masked, ContactMask.Of(text));

    [Fact]
    public void Nothing_stays_nothing() => Assert.Null(ContactMask.Of(null));
}
