namespace CommandCenter.Access;

/// <summary>
/// An authenticated caller: a person's account or an integration. <see cref="Jurisdictions"/> are the roots of what
/// the caller may see: one area for most accounts, several grids for a worker or officer bound to several grids.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Caller(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Role Role,
    [property: Id(3)] IReadOnlyList<string> Jurisdictions,
    [property: Id(4)] string? WorkerId = null)
{
    public const string UserPrefix = "user:";
    public const string IntegrationPrefix = "integration:";

    public static string UserId(string username) => UserPrefix + username;

    public static string IntegrationId(string name) => IntegrationPrefix + name;

    /// <summary>The account's username for a person; null for an integration.</summary>
    public string? Username => Id.StartsWith(UserPrefix, StringComparison.Ordinal) ? Id[UserPrefix.Length..] : null;
}
