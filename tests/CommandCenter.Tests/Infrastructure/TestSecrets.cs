namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// The secrets a test run makes or sends (passwords, wrong ones too, API keys, bearer tokens, credentials in camera
/// addresses), one per line in <c>TestResults/secrets.txt</c>. test.sh adds the media server's secrets and the fault
/// runs' passwords, then greps the run's logs, TRX files and problem details (<see cref="TestLogs"/>) for every line.
/// </summary>
public static class TestSecrets
{
    /// <summary>Shorter strings would be found in innocent text.</summary>
    public const int MinLength = 10;

    private static readonly HashSet<string> Recorded = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="secret"/> and returns it.</summary>
    public static string Of(string secret)
    {
        if (secret.Length < MinLength || secret.Contains('\n'))
            throw new ArgumentException($"A secret to look for in the logs is one line of at least {MinLength} characters: '{secret}'", nameof(secret));
        lock (Recorded)
        {
            if (Recorded.Add(secret))
                File.AppendAllText(Path.Combine(TestEnvironment.OutputDirectory("."), "secrets.txt"), secret + "\n");
        }
        return secret;
    }
}
