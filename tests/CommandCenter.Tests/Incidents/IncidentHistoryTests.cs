using CommandCenter.Incidents;

namespace CommandCenter.Tests.Incidents;

/// <summary>An incident's state as the fold of its event log.</summary>
public sealed class IncidentHistoryTests
{
    private static readonly Guid Id = Guid.Parse("6f1c4a52-4f7e-8a3b-9c1d-2e3f4a5b6c7d");

    private static readonly ReportIncident Report = new(IncidentSource.Hotline12345, "民生服务", "小区供暖不热", "三号楼",
        36.55, 104.17, "王女士", "620402001001001", ["620402001001001", "620402001001", "620402001", "620402"], "integration:hotline", "Integration");

    [Fact]
    public void The_reported_event_makes_the_incident_with_the_time_of_the_event()
    {
        var at = DateTimeOffset.Parse("2026-11-23T08:30:00+08:00");
        var reported = IncidentHistory.NewReport(Report, at);

        var history = IncidentHistory.Of(Id, [reported]);

        Assert.Equal(1, reported.Sequence);
        Assert.Equal(IncidentEventKinds.Reported, reported.Kind);
        Assert.Equal("integration:hotline", reported.Actor);
        Assert.Equal(1, history.LastSequence);
        var details = history.Details!;
        Assert.Equal((Id, "小区供暖不热", "王女士", IncidentStatus.Reported, at), (details.Id, details.Title, details.Reporter, details.Status, details.ReportedAt));
        Assert.Equal(Report.Path, details.Path);
        Assert.Equal(IncidentHistory.Fingerprint(Report), history.ReportFingerprint);
    }

    [Fact]
    public void The_fingerprint_ignores_the_derived_path_but_not_the_content()
    {
        Assert.Equal(IncidentHistory.Fingerprint(Report), IncidentHistory.Fingerprint(Report with { Path = ["elsewhere"] }));
        Assert.NotEqual(IncidentHistory.Fingerprint(Report), IncidentHistory.Fingerprint(Report with { Title = "别的事" }));
    }

    [Fact]
    public void A_gap_a_repeat_or_an_unknown_kind_in_the_log_is_refused()
    {
        var reported = IncidentHistory.NewReport(Report, DateTimeOffset.UnixEpoch);

        Assert.Throws<InvalidOperationException>(() => IncidentHistory.Of(Id, [reported with { Sequence = 2 }]));
        Assert.Throws<InvalidOperationException>(() => IncidentHistory.Of(Id, [reported, reported]));
        Assert.Throws<InvalidOperationException>(() => IncidentHistory.Of(Id, [reported with { Kind = "teleported" }]));
        Assert.Null(IncidentHistory.Of(Id, []).Details);
    }
}
