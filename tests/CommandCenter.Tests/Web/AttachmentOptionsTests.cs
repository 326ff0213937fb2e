using CommandCenter.Access;
using CommandCenter.Web.Api;
using Microsoft.Extensions.Configuration;

namespace CommandCenter.Tests.Web;

/// <summary>The roles with photos as uploaded, as <c>CommandCenter:Attachments</c> binds them.</summary>
public sealed class AttachmentOptionsTests
{
    [Fact]
    public void Unset_they_are_the_policys_default() =>
        Assert.Equal(AccessPolicy.DefaultOriginalPhotoRoles.Order(), Bind([]).RolesWithOriginals.Order());

    [Fact]
    public void Configured_they_replace_the_default_rather_than_add_to_it() =>
        Assert.Equal([Role.Administrator, Role.GridChief], Bind(new()
        {
            ["CommandCenter:Attachments:OriginalRoles:0"] = "Administrator",
            ["CommandCenter:Attachments:OriginalRoles:1"] = "GridChief",
        }).RolesWithOriginals);

    private static AttachmentOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("CommandCenter:Attachments").Get<AttachmentOptions>()
        ?? new AttachmentOptions();
}
