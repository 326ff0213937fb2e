using System.Text.Json;
using CommandCenter.Incidents;
using CommandCenter.Web.Api;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http;

namespace CommandCenter.Tests.Web;

/// <summary>The request records read and check themselves; refusals become the status their kind names.</summary>
public sealed class RequestContractTests
{
    private static (T Value, JsonFields Fields) Read<T>(string json) where T : class, IRequestContract<T>
    {
        var fields = new JsonFields(JsonDocument.Parse(json).RootElement.Clone());
        return (T.Read(fields), fields);
    }

    [Fact]
    public void A_report_names_every_bad_field()
    {
        var (_, fields) = Read<ReportIncidentRequest>("""{"source": "fax", "category": 7, "title": " ", "lat": 91, "lng": "east"}""");

        Assert.Equal(["category", "lat", "lng", "source", "title"], fields.Errors.Keys.Order());
        Assert.Contains("hotline12345", fields.Errors["source"][0]);
    }

    [Fact]
    public void A_good_report_reads_trimmed_with_its_enum_and_without_an_empty_reporter()
    {
        var (report, fields) = Read<ReportIncidentRequest>(
            """{"source": "hotline12345", "category": " dispute ", "title": "邻里纠纷", "lat": 36.5, "lng": 104.1, "reporter": ""}""");

        Assert.True(fields.IsValid);
        Assert.Equal(new ReportIncidentRequest(IncidentSource.Hotline12345, "dispute", "邻里纠纷", "", 36.5, 104.1, null), report);
    }

    [Fact]
    public void An_action_checks_only_the_fields_present()
    {
        var (empty, none) = Read<ActionRequest>("{}");
        Assert.True(none.IsValid);
        Assert.Equal(new ActionRequest(null, null, null, null, null, null, null), empty);

        var (_, bad) = Read<ActionRequest>("""{"attachments": ["x"], "targetKind": "team", "into": "y", "effective": "yes"}""");
        Assert.Equal(["attachments", "effective", "into", "targetKind"], bad.Errors.Keys.Order());
    }

    [Fact]
    public void A_dissatisfied_rating_needs_its_reason()
    {
        var (_, fields) = Read<RatingRequest>("""{"token": "t", "rating": "dissatisfied"}""");
        Assert.Equal(["note"], fields.Errors.Keys);

        var (rating, ok) = Read<RatingRequest>("""{"token": "t", "rating": "satisfied", "note": ""}""");
        Assert.True(ok.IsValid);
        Assert.Null(rating.Note);
    }

    [Fact]
    public void The_one_enum_parser_takes_json_words_only()
    {
        Assert.True(EnumWords.TryParse<IncidentStatus>("fedBack", out var status));
        Assert.Equal(IncidentStatus.FedBack, status);
        Assert.False(EnumWords.TryParse<IncidentStatus>("FedBack", out _));
        Assert.False(EnumWords.TryParse<IncidentStatus>("1", out _));
    }

    [Theory]
    [InlineData(RefusalKind.Invalid, StatusCodes.Status400BadRequest)]
    [InlineData(RefusalKind.Unauthenticated, StatusCodes.Status401Unauthorized)]
    [InlineData(RefusalKind.Forbidden, StatusCodes.Status403Forbidden)]
    [InlineData(RefusalKind.NotFound, StatusCodes.Status404NotFound)]
    [InlineData(RefusalKind.Conflict, StatusCodes.Status409Conflict)]
    [InlineData(RefusalKind.Gone, StatusCodes.Status410Gone)]
    [InlineData(RefusalKind.TooLarge, StatusCodes.Status413PayloadTooLarge)]
    [InlineData(RefusalKind.UnsupportedMediaType, StatusCodes.Status415UnsupportedMediaType)]
    [InlineData(RefusalKind.Unprocessable, StatusCodes.Status422UnprocessableEntity)]
    [InlineData(RefusalKind.BadGateway, StatusCodes.Status502BadGateway)]
    [InlineData(RefusalKind.Unavailable, StatusCodes.Status503ServiceUnavailable)]
    [InlineData(RefusalKind.GatewayTimeout, StatusCodes.Status504GatewayTimeout)]
    public void Each_refusal_kind_answers_its_status(RefusalKind kind, int status)
    {
        var result = new Refusal(kind, "t", Errors: new Dictionary<string, string[]> { ["f"] = ["m"] }).ToHttp();

        Assert.Equal(status, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    [Fact]
    public void A_refusal_in_the_wrong_status_names_the_status_and_the_allowed_actions()
    {
        var refusal = Refusal.NotNow(IncidentStatus.Verified, [IncidentAction.Ticket, IncidentAction.Escalate], "Not now.");

        Assert.Equal(RefusalKind.Conflict, refusal.Kind);
        Assert.Equal("verified", refusal.Extensions!["incidentStatus"]);
        Assert.Equal(["ticket", "escalate"], (string[])refusal.Extensions["allowed"]!);
        Assert.Equal(["action"], refusal.Errors!.Keys);
    }
}
