using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// Every test host (web nodes, silos) also writes its log to <c>TestResults/logs/tests-{process}.log</c>, whatever its
/// console shows: every category at Information and CommandCenter's own at Debug, each line naming the host; the
/// problem details the web hosts answer go there too. test.sh greps these files, with the TRX files and the fault runs'
/// logs, for the secrets of the run (<see cref="TestSecrets"/>): none may appear (#20).
/// </summary>
public static class TestLogs
{
    private static readonly Lazy<StreamWriter> Writer = new(() =>
    {
        var file = Path.Combine(TestEnvironment.OutputDirectory("logs"), $"tests-{Environment.ProcessId}.log");
        // Each line at once: a test host that crashes leaves its log whole.
        return new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    });

    /// <summary>Adds the file to a host's logging, named <paramref name="host"/> in each line.</summary>
    public static void AddTo(ILoggingBuilder logging, string host)
    {
        logging.AddProvider(new FileLoggerProvider(host));
        logging.AddFilter<FileLoggerProvider>(null, LogLevel.Information);
        logging.AddFilter<FileLoggerProvider>("CommandCenter", LogLevel.Debug);
    }

    /// <summary>Adds the file to a web host's logging and its problem details (each one answered, as JSON) to the file.</summary>
    public static void AddToWeb(IServiceCollection services, string host)
    {
        services.AddLogging(logging => AddTo(logging, host));
        services.PostConfigure<ProblemDetailsOptions>(o =>
        {
            var customize = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                Write(host, "problem", $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}: "
                    + JsonSerializer.Serialize(context.ProblemDetails, context.ProblemDetails.GetType()));
            };
        });
    }

    /// <summary>Writes what a test saw of a host's answers (e.g. its OpenAPI document) to the file, to be grepped with the logs.</summary>
    public static void Write(string host, string category, string text)
    {
        lock (Writer)
            Writer.Value.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} [{host}] {category}: {text}");
    }

    private sealed class FileLoggerProvider(string host) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new FileLogger(host, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class FileLogger(string host, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            Write(host, $"{logLevel} {category}", exception is null ? message : message + Environment.NewLine + exception);
        }
    }
}
