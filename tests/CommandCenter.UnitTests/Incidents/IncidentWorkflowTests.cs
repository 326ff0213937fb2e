using CommandCenter.Incidents;
using static CommandCenter.Incidents.IncidentAction;
using static CommandCenter.Incidents.IncidentStatus;

namespace CommandCenter.Tests.Incidents;

/// <summary>The closed loop's rule book, pair by pair: every status against every action.</summary>
public sealed class IncidentWorkflowTests
{
    /// <summary>The loop as the issue and DOMAIN.md describe it, written out independently of the code's table.</summary>
    private static readonly Dictionary<(IncidentStatus, IncidentAction), IncidentStatus> Expected = new()
    {
        [(Reported, Verify)] = Verified,
        [(Reported, Reject)] = Rejected,
        [(Reported, Merge)] = Merged,
        [(Reported, Resolve)] = FedBack,
        [(Reported, Take)] = Accepted,
        [(Reported, Escalate)] = Ticketed,
        [(Verified, Ticket)] = Ticketed,
        [(Verified, Take)] = Accepted,
        [(Verified, Escalate)] = Ticketed,
        [(Ticketed, Dispatch)] = Dispatched,
        [(Ticketed, Take)] = Accepted,
        [(Ticketed, Escalate)] = Ticketed,
        [(Dispatched, Accept)] = Accepted,
        [(Dispatched, Dispatch)] = Dispatched,
        [(Dispatched, Take)] = Accepted,
        [(Dispatched, Escalate)] = Ticketed,
        [(Accepted, Handle)] = Handled,
        [(Accepted, Escalate)] = Ticketed,
        [(Handled, Feedback)] = FedBack,
        [(FedBack, Rate)] = Rated,
        [(FedBack, Assess)] = Assessed,
        [(Rated, Assess)] = Assessed,
    };

    public static TheoryData<IncidentStatus, IncidentAction> EveryPair()
    {
        var pairs = new TheoryData<IncidentStatus, IncidentAction>();
        foreach (var status in Enum.GetValues<IncidentStatus>())
        {
            foreach (var action in Enum.GetValues<IncidentAction>())
                pairs.Add(status, action);
        }
        return pairs;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Each_status_allows_exactly_the_loops_actions(IncidentStatus status, IncidentAction action)
    {
        var expected = Expected.TryGetValue((status, action), out var next) ? next : (IncidentStatus?)null;

        Assert.Equal(expected, IncidentWorkflow.Next(status, action));
        Assert.Equal(expected is not null, IncidentWorkflow.Allowed(status).Contains(action));
    }

    [Theory]
    [InlineData(Assessed)]
    [InlineData(Rejected)]
    [InlineData(Merged)]
    public void Filed_rejected_and_merged_cases_allow_nothing(IncidentStatus status) =>
        Assert.Empty(IncidentWorkflow.Allowed(status));

    [Theory]
    [InlineData(Rating.Satisfied, 0, Rated)]
    [InlineData(Rating.Neutral, 2, Rated)]
    [InlineData(Rating.Dissatisfied, 0, Accepted)]
    [InlineData(Rating.Dissatisfied, 1, Accepted)]
    [InlineData(Rating.Dissatisfied, 2, Ticketed)]
    [InlineData(Rating.Dissatisfied, 5, Ticketed)]
    public void Dissatisfied_reopens_up_to_the_limit_then_goes_up(Rating rating, int reopens, IncidentStatus expected) =>
        Assert.Equal(expected, IncidentWorkflow.AfterRating(rating, reopens, maxReopens: 2));

    [Fact]
    public void Open_means_not_yet_fed_back_rejected_or_merged()
    {
        var open = Enum.GetValues<IncidentStatus>().Where(IncidentWorkflow.IsOpen).ToHashSet();

        Assert.Equal(new HashSet<IncidentStatus> { Reported, Verified, Ticketed, Dispatched, Accepted, Handled }, open);
    }
}
