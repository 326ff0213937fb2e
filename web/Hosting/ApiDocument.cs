using CommandCenter.Access;
using CommandCenter.Web.Access;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CommandCenter.Web.Hosting;

/// <summary>The OpenAPI document (/openapi/v1.json, browsable at /scalar): titles, how to sign in, and each operation's access rule.</summary>
public static class ApiDocument
{
    private const string Bearer = "bearer";
    private const string ApiKey = "apiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CommandCenter API · 网格化社会治理指挥中心";
            document.Info.Description = "Report intake, the jurisdiction tree, feeds and the people and cameras of the county. "
                + "Errors are RFC 7807 problem+json naming the field at fault. Walls follow feeds over the SignalR hub /hubs/wall. "
                + "Sign in with POST /api/auth/token and send the token as a bearer token; integrations send their X-Api-Key.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A token from POST /api/auth/token (SignalR: ?access_token=).",
                },
                [ApiKey] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = IntegrationKeys.Header,
                    Description = "An intake integration's key (POST /api/integrations), for /api/intake/*.",
                },
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AccessRule>().FirstOrDefault() is not { } rule)
                return Task.CompletedTask;
            var scheme = AccessPolicy.RoleMay(Role.Integration, rule.Action) ? ApiKey : Bearer;
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
            var roles = Enum.GetValues<Role>().Where(role => AccessPolicy.RoleMay(role, rule.Action)).Select(role => role.ToString());
            var access = $"Access: {rule.Action}, for {string.Join(", ", roles)}"
                + (rule.Target == AccessTarget.County ? "." : ", within the caller's jurisdiction.");
            operation.Description = string.IsNullOrEmpty(operation.Description) ? access : operation.Description + "\n\n" + access;
            return Task.CompletedTask;
        });
    }
}
