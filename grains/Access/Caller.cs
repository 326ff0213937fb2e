namespace CommandCenter.Access;

/// <summary>
/// An authenticated caller: a person's account or an integration. <see cref="Jurisdictions"/> are the roots of what
/// the caller may see: one area for most accounts, several grids for a worker or officer bound to several grids.
/// </summary>
public sealed record Caller(string Id, string Name, Role Role, IReadOnlyList<string> Jurisdictions, string? WorkerId = null)
{
    public const string UserPrefix = "user:";
    public const string IntegrationPrefix = "integration:";

    public static string UserId(string username) => UserPrefix + username;

    public static string IntegrationId(string name) => IntegrationPrefix + name;
}
