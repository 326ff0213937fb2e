using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Bench;

/// <summary>
/// The floor the product is compared with: an ASP.NET Core app in this process, on a free loopback port, whose
/// <c>POST /api/incidents</c> reads the body, validates and stores nothing, and broadcasts a feed-shaped message to
/// a SignalR group through <see cref="IHubContext{THub}"/> on the same Redis backplane as the product (own channel
/// prefix, so the two never see each other's traffic).
/// </summary>
public sealed class BaselineHost : IAsyncDisposable
{
    public const string HubPath = "/hubs/baseline";
    public const string Group = "feed:baseline";

    private readonly WebApplication _app;

    private BaselineHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<BaselineHost> Start(string redis, CancellationToken cancellationToken)
    {
        var builder = LoopbackApp.Builder(redis, "cc-bench-baseline");
        var app = builder.Build();
        long sequence = 0;
        app.MapHub<BaselineHub>(HubPath);
        app.MapPost("/api/incidents", async (HttpRequest request, IHubContext<BaselineHub> hub) =>
        {
            // Read the report like the product does, then throw it away.
            var buffer = new byte[4096];
            while (await request.Body.ReadAsync(buffer) > 0)
            {
            }
            var id = Guid.NewGuid();
            var incident = new BaselineIncident(id);
            var entry = new BaselineEntry("baseline", Interlocked.Increment(ref sequence), "incident.reported", DateTimeOffset.UtcNow, incident);
            await hub.Clients.Group(Group).SendAsync("entries", new[] { entry });
            return Results.Created($"/api/incidents/{id}", incident);
        });

        return new BaselineHost(app, await LoopbackApp.Start(app, cancellationToken));
    }

    public ValueTask DisposeAsync() => LoopbackApp.Stop(_app);
}

public sealed record BaselineIncident(Guid Id);

public sealed record BaselineEntry(string Jurisdiction, long Sequence, string Kind, DateTimeOffset At, BaselineIncident Incident);

public sealed class BaselineHub : Hub
{
    public Task Subscribe() => Groups.AddToGroupAsync(Context.ConnectionId, BaselineHost.Group, Context.ConnectionAborted);
}
