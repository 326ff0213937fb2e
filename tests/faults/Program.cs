using System.Globalization;
using System.Text;
using CommandCenter.Faults;

// Fault test client (#14). The first argument names the scenario a script under tests/faults/ runs; see FaultOptions.Usage.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = Encoding.UTF8;

FaultOptions options;
try
{
    options = FaultOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"faults: {e.Message}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(FaultOptions.Usage);
    return 0;
}
if (Environment.GetEnvironmentVariable("CC_DEMO_PASSWORD") is not { Length: > 0 } password)
{
    Console.Error.WriteLine("faults: set CC_DEMO_PASSWORD to the demo accounts' password of the product (the scripts do)");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));

using var http = FaultSession.Client();
FaultSession session;
try
{
    session = await FaultSession.Open(http, options.Urls[0], password, stop.Token);
}
catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException
    or KeyNotFoundException or OperationCanceledException)
{
    Console.Error.WriteLine($"faults: cannot reach the product at {options.Urls[0]}: {e.Message}");
    return 1;
}

return options.Scenario switch
{
    FaultOptions.Kill or FaultOptions.PostgresDown or FaultOptions.RedisDown => await FaultScenario.Run(options, session, stop.Token),
    FaultOptions.Deadlines => await DeadlineScenario.Run(options, session, stop.Token),
    _ => throw new InvalidOperationException($"scenario {options.Scenario} has no runner"),
};
