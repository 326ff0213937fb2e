namespace CommandCenter;

/// <summary>
/// Grain calls that the cluster refused to deliver because a silo is gone. Until membership declares a killed silo dead
/// (seconds), the grains it hosted and its share of the grain directory cannot be reached, and Orleans answers such a
/// call at once with a rejection; asked again a moment later, the cluster has usually moved on. The calls retried here
/// are safe to repeat: reports and workflow actions carry their idempotency key (the grain finds a change already made
/// in its log), reads change nothing.
/// </summary>
public static class ClusterRetry
{
    /// <summary>How long a call keeps being retried: below the 10 s a phone or an integration typically waits.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    /// <summary>Whether <paramref name="e"/> says the call could not reach a silo (and may reach one if tried again).</summary>
    public static bool IsTransient(Exception e) => e is OrleansMessageRejectionException or SiloUnavailableException;

    /// <summary>The pause before try <paramref name="attempt"/> + 1: 100 ms, doubling, at most 1 s.</summary>
    public static TimeSpan Delay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1000, 100 * Math.Pow(2, Math.Min(attempt, 10))));

    /// <summary>
    /// Runs <paramref name="call"/>, and again after each transient failure (<see cref="IsTransient"/>) while the next try
    /// would start within <paramref name="budget"/> of the first; the last failure, or any other, is thrown.
    /// </summary>
    public static async Task<T> Run<T>(Func<Task<T>> call, TimeProvider clock, TimeSpan budget, CancellationToken cancellationToken = default)
    {
        var started = clock.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && clock.GetElapsedTime(started) + Delay(attempt) < budget)
            {
                await Task.Delay(Delay(attempt), clock, cancellationToken);
            }
        }
    }

    /// <inheritdoc cref="Run{T}(Func{Task{T}}, TimeProvider, TimeSpan, CancellationToken)"/>
    public static Task<T> Run<T>(Func<Task<T>> call, TimeProvider clock, CancellationToken cancellationToken = default) =>
        Run(call, clock, Budget, cancellationToken);
}
