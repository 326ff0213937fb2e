using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Orleans.Concurrency;

namespace CommandCenter.Bench;

/// <summary>
/// The positions scenario's baseline: what the Orleans GPSTracker sample does, in this process on free loopback ports.
/// <c>POST /api/positions</c> takes the same batches the product's intake takes and hands each position to a grain
/// per device, which keeps the last one and forwards a moved position to a stateless-worker push notifier; that
/// queues them and flushes every 15 ms in batches of 100 to the walls' SignalR group (on the same Redis backplane as
/// the product, own channel prefix). No storage, no rules, no jurisdictions: the floor a position's way to a wall has.
/// </summary>
public sealed class GpsTrackerBaseline : IAsyncDisposable
{
    public const string HubPath = "/hubs/gps-baseline";
    public const string Group = "positions";

    private readonly WebApplication _app;

    private GpsTrackerBaseline(WebApplication app, Uri url) => (_app, Url) = (app, url);

    public Uri Url { get; }

    public static async Task<GpsTrackerBaseline> Start(string redis, CancellationToken cancellationToken)
    {
        var builder = LoopbackApp.Builder(redis, "cc-bench-gps-baseline");
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()));

        var app = builder.Build();
        app.MapHub<GpsBaselineHub>(HubPath);
        app.MapPost("/api/positions", async (HttpRequest request, IGrainFactory grains) =>
        {
            var positions = await JsonSerializer.DeserializeAsync<DeviceMessage[]>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
            await Task.WhenAll((positions ?? []).Select(p => grains.GetGrain<IDeviceGrain>(p.WorkerId).ProcessMessage(p).AsTask()));
            return Results.NoContent();
        });

        return new GpsTrackerBaseline(app, await LoopbackApp.Start(app, cancellationToken));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => LoopbackApp.Stop(_app);
}

[GenerateSerializer, Immutable]
public sealed record DeviceMessage([property: Id(0)] string WorkerId, [property: Id(1)] double Lat, [property: Id(2)] double Lng,
    [property: Id(3)] DateTimeOffset At);

/// <summary>A position as the baseline's walls get it: the product's field names.</summary>
public sealed record BaselinePosition(string WorkerId, double Latitude, double Longitude, DateTimeOffset At);

public sealed record BaselinePositionBatch(string Jurisdiction, IReadOnlyList<BaselinePosition> Positions);

public interface IDeviceGrain : IGrainWithStringKey
{
    ValueTask ProcessMessage(DeviceMessage message);
}

public interface IPushNotifierGrain : IGrainWithIntegerKey
{
    ValueTask SendMessage(DeviceMessage message);
}

/// <summary>GPSTracker's device grain: the last position, and a moved one forwarded to the push notifier.</summary>
[Reentrant]
public sealed class DeviceGrain : Grain, IDeviceGrain
{
    private DeviceMessage? _last;

    public async ValueTask ProcessMessage(DeviceMessage message)
    {
        var moved = _last is null || _last.Lat != message.Lat || _last.Lng != message.Lng;
        _last = message;
        if (moved)
            await GrainFactory.GetGrain<IPushNotifierGrain>(0).SendMessage(message);
    }
}

/// <summary>GPSTracker's push notifier: a queue flushed every 15 ms, in batches of 100, to the walls.</summary>
[Reentrant]
[StatelessWorker(maxLocalWorkers: 12)]
public sealed class PushNotifierGrain(IHubContext<GpsBaselineHub> hub) : Grain, IPushNotifierGrain
{
    private const int MaxPerBatch = 100;
    private readonly Queue<DeviceMessage> _queue = new();
    private Task _flushing = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => Flush(), TimeSpan.FromMilliseconds(15), TimeSpan.FromMilliseconds(15));
        return base.OnActivateAsync(cancellationToken);
    }

    public ValueTask SendMessage(DeviceMessage message)
    {
        _queue.Enqueue(message);
        return new(Flush());
    }

    private Task Flush()
    {
        if (_flushing.IsCompleted)
            _flushing = FlushAll();
        return _flushing;

        async Task FlushAll()
        {
            while (_queue.Count > 0)
            {
                var batch = new List<BaselinePosition>(Math.Min(_queue.Count, MaxPerBatch));
                while (batch.Count < MaxPerBatch && _queue.TryDequeue(out var m))
                    batch.Add(new BaselinePosition(m.WorkerId, m.Lat, m.Lng, m.At));
                await hub.Clients.Group(GpsTrackerBaseline.Group).SendAsync("positions", new BaselinePositionBatch("baseline", batch));
            }
        }
    }
}

public sealed class GpsBaselineHub : Hub
{
    public Task Subscribe() => Groups.AddToGroupAsync(Context.ConnectionId, GpsTrackerBaseline.Group, Context.ConnectionAborted);
}
