using CommandCenter.Incidents;

namespace CommandCenter.Tests.Incidents;

/// <summary>What a rating link can do, by the case's events and the clock: once per feedback, within its lifetime.</summary>
public sealed class RatingLinkStateTests
{
    private static readonly Guid Id = Guid.Parse("0b7d2c7e-9a51-4c1f-8f0e-3d2a1b4c5d6e");
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private static readonly DateTimeOffset ReportedAt = DateTimeOffset.Parse("2026-11-02T09:00:00+08:00");
    private static readonly DateTimeOffset FedBackAt = ReportedAt.AddHours(2);

    private static readonly ReportIncident Report = new(IncidentSource.GridWorker, "facility", "路灯不亮", "",
        36.55, 104.17, "", "620402001001001", ["620402001001001", "620402001001", "620402001", "620402"], "user:worker-1", "GridWorker");

    private static IncidentHistory Then(IncidentHistory history, string kind, DateTimeOffset at, IncidentChange? change = null) =>
        history.Apply(Id, history.Next(kind, at, "user:worker-1", "GridWorker", change ?? new IncidentChange(Note: "已修复")));

    private static IncidentHistory FedBack() =>
        Then(IncidentHistory.Of(Id, [IncidentHistory.NewReport(Report, ReportedAt)]), IncidentEventKinds.Resolved, FedBackAt);

    private static RatingLinkState At(IncidentHistory history, DateTimeOffset now) => RatingLinks.State(history.Details!, now, Lifetime);

    [Fact]
    public void A_link_rates_from_the_feedback_until_its_lifetime_has_passed()
    {
        var fedBack = FedBack();

        Assert.Equal(RatingLinkState.Open, At(fedBack, FedBackAt));
        Assert.Equal(RatingLinkState.Open, At(fedBack, FedBackAt + Lifetime - TimeSpan.FromSeconds(1)));
        Assert.Equal(RatingLinkState.Expired, At(fedBack, FedBackAt + Lifetime));
    }

    [Fact]
    public void A_case_not_fed_back_yet_is_not_open_and_one_filed_without_a_rating_neither()
    {
        var reported = IncidentHistory.Of(Id, [IncidentHistory.NewReport(Report, ReportedAt)]);
        var assessed = Then(FedBack(), IncidentEventKinds.Assessed, FedBackAt.AddDays(1),
            new IncidentChange(Assessment: new Assessment(true, false, true)));

        Assert.Equal(RatingLinkState.NotOpen, At(reported, ReportedAt));
        Assert.Equal(RatingLinkState.NotOpen, At(assessed, FedBackAt.AddDays(2)));
    }

    [Fact]
    public void A_link_rates_once_per_feedback_and_again_after_a_reopening_is_fed_back_measured_from_that_feedback()
    {
        var rated = Then(FedBack(), IncidentEventKinds.Rated, FedBackAt.AddDays(1), new IncidentChange(Rating: Rating.Dissatisfied));
        var reopened = Then(rated, IncidentEventKinds.Reopened, FedBackAt.AddDays(1));
        var secondFeedbackAt = FedBackAt.AddDays(40);
        var handled = Then(reopened, IncidentEventKinds.Handled, secondFeedbackAt.AddHours(-1));
        var fedBackAgain = Then(handled, IncidentEventKinds.FedBack, secondFeedbackAt);
        var satisfied = Then(fedBackAgain, IncidentEventKinds.Rated, secondFeedbackAt.AddDays(1), new IncidentChange(Rating: Rating.Satisfied));

        Assert.Equal(RatingLinkState.Used, At(rated, FedBackAt.AddDays(1)));
        Assert.Equal(RatingLinkState.Used, At(reopened, FedBackAt.AddDays(2)));
        Assert.Equal(RatingLinkState.Open, At(fedBackAgain, secondFeedbackAt.AddDays(29)));
        Assert.Equal(RatingLinkState.Expired, At(fedBackAgain, secondFeedbackAt + Lifetime));
        Assert.Equal(RatingLinkState.Used, At(satisfied, secondFeedbackAt.AddDays(2)));
    }
}
