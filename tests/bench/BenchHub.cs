using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Bench;

/// <summary>The bench's SignalR clients: how they connect, and how they are let go.</summary>
public static class BenchHub
{
    /// <summary>A connection to <paramref name="hubUrl"/> over WebSockets (signed in with <paramref name="accessToken"/> when given), not started.</summary>
    public static HubConnection Build(Uri hubUrl, string? accessToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (accessToken is not null)
                    o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            })
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        return connection;
    }

    /// <summary>Stops and disposes each connection, each given 5 s (best effort: the process ends right after).</summary>
    public static async Task StopAll(IEnumerable<HubConnection> connections)
    {
        foreach (var connection in connections)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.StopAsync(timeout.Token);
            }
            catch
            {
                // Closing is best effort: the process ends right after.
            }
            await connection.DisposeAsync();
        }
    }
}
