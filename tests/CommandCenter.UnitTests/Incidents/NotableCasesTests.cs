using CommandCenter.Incidents;

namespace CommandCenter.Tests.Incidents;

/// <summary>A period's notable cases are read by China days; every status and rating has a Chinese name for pages and exports.</summary>
public sealed class NotableCasesTests
{
    [Fact]
    public void A_period_of_china_days_runs_from_the_first_midnight_to_the_midnight_after_the_last()
    {
        var period = NotableWithin.Days(NotableEvent.Dissatisfied, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 7));

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero), period.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 16, 0, 0, TimeSpan.Zero), period.To);
        Assert.Equal(NotableEvent.Dissatisfied, period.Event);
    }

    [Fact]
    public void Every_status_and_rating_has_a_chinese_name_of_its_own()
    {
        var statuses = Enum.GetValues<IncidentStatus>().Select(IncidentNames.Of).ToList();
        var ratings = Enum.GetValues<Rating>().Select(IncidentNames.Of).ToList();

        Assert.All(statuses.Concat(ratings), name => Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}+$", name));
        Assert.Equal(statuses.Count, statuses.Distinct().Count());
        Assert.Equal(ratings.Count, ratings.Distinct().Count());
        Assert.Equal("处置中", IncidentNames.Of(IncidentStatus.Accepted));
        Assert.Equal("不满意", IncidentNames.Of(Rating.Dissatisfied));
    }
}
