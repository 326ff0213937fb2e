namespace CommandCenter.Web.Api;

/// <summary>The conventions every API route group shares, set once per group.</summary>
public static class ApiGroups
{
    /// <summary>
    /// A group of API endpoints under <paramref name="prefix"/>, tagged for the OpenAPI document. API clients send bearer
    /// tokens or API keys, not forms: antiforgery is for the pages' form posts, so it is off for the API.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix).WithTags(tag).DisableAntiforgery();
}
