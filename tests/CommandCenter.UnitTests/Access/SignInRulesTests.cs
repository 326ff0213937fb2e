using CommandCenter.Access;

namespace CommandCenter.UnitTests.Access;

/// <summary>When a sign-in is over, and what a new password must be (#20).</summary>
public sealed class SignInRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T10:00:00+08:00");

    private static SignInRow Session(long stamp = 3, long accountStamp = 3, bool disabled = false, string? ended = null, TimeSpan? left = null) =>
        new(Guid.NewGuid(), "duty", SessionKind.Page, stamp, Now.AddHours(-1), Now.AddMinutes(-1), Now + (left ?? TimeSpan.FromHours(1)),
            "127.0.0.1", "browser", ended, accountStamp, disabled);

    [Fact]
    public void A_session_holds_while_nothing_ended_it_and_says_what_did_first()
    {
        Assert.Null(SignInRules.WhyOver(Session(), Now));
        Assert.Equal(SignInRules.Reasons.Unknown, SignInRules.WhyOver(null, Now));
        Assert.Equal(SignInRules.Reasons.AccountChanged, SignInRules.WhyOver(Session(stamp: 2), Now));
        Assert.Equal(SignInRules.Reasons.AccountDisabled, SignInRules.WhyOver(Session(stamp: 2, disabled: true), Now));
        Assert.Equal(SignInRules.Reasons.Expired, SignInRules.WhyOver(Session(left: TimeSpan.Zero), Now));
        // An ending that was recorded is the reason, whatever else changed after it.
        Assert.Equal(SignInRules.Reasons.EndedByAdministrator,
            SignInRules.WhyOver(Session(stamp: 1, disabled: true, ended: SignInRules.Reasons.EndedByAdministrator), Now));
    }

    [Fact]
    public void Every_reason_reads_as_a_sentence_for_the_person()
    {
        var reasons = typeof(SignInRules.Reasons).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(7, reasons.Count);
        Assert.Equal(reasons.Count, reasons.Select(SignInRules.Describe).Distinct().Count());
        Assert.Equal("登录已失效,请重新登录。", SignInRules.Describe("<script>"));
    }

    [Theory]
    [InlineData("short-1", "At least 10 characters.")]
    [InlineData("duty-officer-2026", "Must not contain the username.")]
    [InlineData("XDUTY-OFFICERx", "Must not contain the username.")]
    [InlineData("aaaaaaaaaaaa", "Must not be one character repeated.")]
    [InlineData("1qaz2wsx3edc", "Too common: it is in the list of passwords tried first. Choose another.")]
    [InlineData("Password123", "Too common: it is in the list of passwords tried first. Choose another.")]
    [InlineData("woaini1314", "Too common: it is in the list of passwords tried first. Choose another.")]
    public void A_password_the_rules_refuse_is_told_why(string password, string problem) =>
        Assert.Equal(problem, PasswordRules.Problem("duty-officer", password));

    [Fact]
    public void A_long_uncommon_password_is_taken_and_a_short_username_is_no_reason_to_refuse()
    {
        Assert.Null(PasswordRules.Problem("duty-officer", "县中心值班-2026-冬"));
        Assert.Null(PasswordRules.Problem("li", "lighthouse-keeper-7"));
        Assert.Equal("At most 256 characters.", PasswordRules.Problem("duty", new string('x', 200) + new string('y', 57)));
    }
}
