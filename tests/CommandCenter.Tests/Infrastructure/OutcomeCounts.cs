using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>What a counter of the product meter (<see cref="ProductMeter"/>) counts by its <c>outcome</c> tag, from creation until disposed.</summary>
public sealed class OutcomeCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public OutcomeCounts(string instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == ProductMeter.Meter.Name && published.Name == instrument)
                listener.EnableMeasurementEvents(published);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                    _counts.AddOrUpdate((string)tag.Value!, value, (_, n) => n + value);
            }
        });
        _listener.Start();
    }

    public long this[string outcome] => _counts.GetValueOrDefault(outcome);

    public long Total => _counts.Values.Sum();

    public void Dispose() => _listener.Dispose();
}
