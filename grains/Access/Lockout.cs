namespace CommandCenter.Access;

/// <summary>
/// Repeated failed sign-ins lock an account for a while: <see cref="MaxFailures"/> failures in a row lock it for
/// <see cref="Duration"/>, after which the count starts again. <see cref="AccountStore.RecordFailure"/> applies it
/// in one statement, so concurrent failures all count.
/// </summary>
public sealed record LockoutPolicy(int MaxFailures, TimeSpan Duration)
{
    public static readonly LockoutPolicy Default = new(5, TimeSpan.FromMinutes(15));

    public static bool IsLocked(Account account, DateTimeOffset now) => account.LockedUntil is { } until && now < until;
}
