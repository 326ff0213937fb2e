using System.Text.Encodings.Web;
using CommandCenter.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Access;

/// <summary>
/// Signs in an intake integration by its <c>X-Api-Key</c> header, and leaves the <see cref="Integration"/> it found
/// among the request's features for the intake endpoints (its sources, whether it may send positions).
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IntegrationKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[IntegrationKeys.Header].ToString();
        if (key.Length == 0)
            return AuthenticateResult.NoResult();
        if (await keys.Find(key) is not { } integration)
            return AuthenticateResult.Fail("Unknown API key.");
        Context.Features.Set(integration);
        return AuthenticateResult.Success(new AuthenticationTicket(integration.ToCaller().ToPrincipal(SchemeName), SchemeName));
    }
}
