using System.Collections.Concurrent;

namespace CommandCenter;

/// <summary>
/// Work done once per key at a time: whoever asks for a key while its work runs shares that work's task, and the key
/// is free again as soon as the work ends (the result is not kept: a later call starts the work anew).
/// </summary>
public sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _running = new(StringComparer.Ordinal);

    /// <summary>The work running for <paramref name="key"/>, or null when none runs.</summary>
    public Task<T>? Running(string key) => _running.TryGetValue(key, out var running) ? running.Value : null;

    /// <summary>The work running for <paramref name="key"/>, or <paramref name="work"/> started now.</summary>
    public Task<T> Run(string key, Func<Task<T>> work) => Run(key, work, out _);

    /// <param name="key">What the work is for.</param>
    /// <param name="work">The work, started only when none runs for the key.</param>
    /// <param name="started">Whether this call's <paramref name="work"/> is the one that runs (false: it joined another).</param>
    public Task<T> Run(string key, Func<Task<T>> work, out bool started)
    {
        var mine = false;
        Lazy<Task<T>>? entry = null;
        entry = new Lazy<Task<T>>(() =>
        {
            mine = true;
            return Forgotten(key, entry!, work);
        });
        // Lazy runs the work once, under its lock: whoever gets this entry from the dictionary shares that one task.
        var task = _running.GetOrAdd(key, entry).Value;
        started = mine;
        return task;
    }

    private async Task<T> Forgotten(string key, Lazy<Task<T>> entry, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, entry));
        }
    }
}
