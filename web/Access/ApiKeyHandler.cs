using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Access;

/// <summary>Signs in an intake integration by its <c>X-Api-Key</c> header.</summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IntegrationKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[IntegrationKeys.Header].ToString();
        if (key.Length == 0)
            return AuthenticateResult.NoResult();
        return await keys.Find(key) is { } integration
            ? AuthenticateResult.Success(new AuthenticationTicket(integration.ToCaller().ToPrincipal(SchemeName), SchemeName))
            : AuthenticateResult.Fail("Unknown API key.");
    }
}
