using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Bench;

/// <summary>
/// The floor the product is compared with: an ASP.NET Core app in this process, on a free loopback port, whose
/// <c>POST /api/incidents</c> reads the body, validates and stores nothing, and broadcasts a feed-shaped message to
/// a SignalR group through <see cref="IHubContext{THub}"/> on the same Redis backplane as the product (own channel
/// prefix, so the two never see each other's traffic). For the command scenario its hub also relays a view to a
/// session's group (<see cref="BaselineHub.ShareView"/>), and its <c>POST /api/instructions</c> sends an
/// instruction-shaped message to the feed group of each station named, as the product tells the stations of an instruction.
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
        app.MapPost("/api/instructions", async (BaselineInstructionRequest body, IHubContext<BaselineHub> hub) =>
        {
            // Nothing checked or stored: one message to each station's group, all at once, then the answer.
            var id = Guid.NewGuid();
            var at = DateTimeOffset.UtcNow;
            await Task.WhenAll(body.Recipients.Select(code => hub.Clients.Group(FeedGroup(code)).SendAsync("instructionIssued",
                new BaselineNotice(id, null, code, body.Text, "baseline", at, at.AddMinutes(5), at.AddMinutes(30)))));
            return Results.Ok(new { id, recipients = body.Recipients.Count });
        });

        return new BaselineHost(app, await LoopbackApp.Start(app, cancellationToken));
    }

    public static string FeedGroup(string code) => "feed:" + code;

    public static string SessionGroup(string session) => "command:" + session;

    public ValueTask DisposeAsync() => LoopbackApp.Stop(_app);
}

public sealed record BaselineIncident(Guid Id);

public sealed record BaselineEntry(string Jurisdiction, long Sequence, string Kind, DateTimeOffset At, BaselineIncident Incident);

/// <summary>The baseline's instruction: its text and the stations it goes to.</summary>
public sealed record BaselineInstructionRequest(string Text, IReadOnlyList<string> Recipients);

/// <summary>An instruction to one station as the baseline sends it: the product's <c>InstructionNotice</c> fields.</summary>
public sealed record BaselineNotice(Guid Instruction, Guid? Session, string Recipient, string Text, string IssuedByName, DateTimeOffset IssuedAt,
    DateTimeOffset SignDue, DateTimeOffset ReportDue);

/// <summary>A map view: the product's <c>MapView</c> fields.</summary>
public sealed record BaselineMapView(double Lat, double Lng, double Zoom, IReadOnlyList<string> Layers, string? SelectedIncident = null,
    string? SelectedCamera = null, string? Highlight = null);

/// <summary>A shared view as the baseline relays it: the product's <c>LedView</c> fields.</summary>
public sealed record BaselineLedView(string Session, long Version, BaselineMapView View, string Leader, string LeaderName, DateTimeOffset At);

public sealed class BaselineHub : Hub
{
    private static long s_version;

    public Task Subscribe() => Groups.AddToGroupAsync(Context.ConnectionId, BaselineHost.Group, Context.ConnectionAborted);

    /// <summary>Joins the feed group of one station, as a station's wall follows its feed.</summary>
    public Task SubscribeStation(string code) => Groups.AddToGroupAsync(Context.ConnectionId, BaselineHost.FeedGroup(code), Context.ConnectionAborted);

    /// <summary>Joins a session's group, as a follower's wall does.</summary>
    public Task JoinSession(string session) => Groups.AddToGroupAsync(Context.ConnectionId, BaselineHost.SessionGroup(session), Context.ConnectionAborted);

    /// <summary>Relays the view to the session's group as <c>sessionView</c>, numbered, and answers its number; nothing checked or kept.</summary>
    public async Task<long> ShareView(string session, BaselineMapView view)
    {
        var version = Interlocked.Increment(ref s_version);
        await Clients.Group(BaselineHost.SessionGroup(session)).SendAsync("sessionView",
            new BaselineLedView(session, version, view, "baseline", "baseline", DateTimeOffset.UtcNow), Context.ConnectionAborted);
        return version;
    }
}
