using System.Reflection;

namespace CommandCenter.Access;

/// <summary>
/// What a new password must be (an administrator's new account or reset, one's own change, <c>create-admin</c>): at
/// least <see cref="MinLength"/> characters, not the username nor built around it, not one character repeated, and not
/// in the list of common passwords shipped with the product (<c>grains/Access/common-passwords.txt</c>).
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxLength = 256;

    private static readonly HashSet<string> Common = LoadCommon();

    /// <summary>Null when the password may be used, else what is wrong with it (for the problem's <c>password</c> field).</summary>
    public static string? Problem(string username, string password)
    {
        if (password.Length < MinLength)
            return $"At least {MinLength} characters.";
        if (password.Length > MaxLength)
            return $"At most {MaxLength} characters.";
        var lower = password.ToLowerInvariant();
        var name = AccountNames.Normalize(username);
        if (name.Length >= 3 && lower.Contains(name, StringComparison.Ordinal))
            return "Must not contain the username.";
        if (lower.Distinct().Count() == 1)
            return "Must not be one character repeated.";
        if (Common.Contains(lower))
            return "Too common: it is in the list of passwords tried first. Choose another.";
        return null;
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        var common = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
                common.Add(line.Trim().ToLowerInvariant());
        }
        return common;
    }
}
