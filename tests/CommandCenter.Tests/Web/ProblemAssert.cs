using System.Net;
using System.Text.Json;

namespace CommandCenter.Tests.Web;

/// <summary>Checks an RFC 7807 answer: status, media type, and an entry in <c>errors</c> for the field at fault.</summary>
public static class ProblemAssert
{
    public static async Task Is(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {text}");
    }
}
