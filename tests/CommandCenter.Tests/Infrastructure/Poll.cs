namespace CommandCenter.Tests.Infrastructure;

/// <summary>Waiting for what background work leaves behind, by reading it again until it is there (or failing after a while).</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds for the value read; fails saying <paramref name="what"/> after 20 seconds.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }
}
