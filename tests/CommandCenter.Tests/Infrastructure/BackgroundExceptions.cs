using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("CommandCenter.Tests.Infrastructure.BackgroundExceptionsLast", "CommandCenter.Tests")]

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// "No background work can end the process" (#13), held for the whole test run. From the moment this assembly is
/// first used (a module initializer: before any fixture or test runs) every exception that reaches
/// <see cref="AppDomain.UnhandledException"/> or <see cref="TaskScheduler.UnobservedTaskException"/> is recorded,
/// written to standard error at once and appended to <c>TestResults/background-exceptions.log</c>. An unhandled one
/// ends the test host (the run aborts, and the log says what did it); test.sh fails a run that leaves that file.
/// An unobserved one (a task that failed with nobody awaiting it) is raised only when the GC finalizes the task:
/// <see cref="BackgroundExceptionsTests"/>, which <see cref="BackgroundExceptionsLast"/> orders after every other
/// collection (every fixture disposed by then), collects the garbage, waits for the finalizers and fails when anything
/// was recorded.
/// </summary>
public static class BackgroundExceptions
{
    private static readonly ConcurrentQueue<string> Recorded = new();

    public static IReadOnlyCollection<string> All => Recorded;

    [ModuleInitializer]
    internal static void Watch()
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Record("unhandled", e.ExceptionObject.ToString() ?? "?");
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            if (!e.Exception.InnerExceptions.All(OrleansDisposedMarker))
                Record("unobserved task", e.Exception.ToString());
        };
    }

    /// <summary>
    /// The one exception let through: Orleans' internal <c>AsyncEnumerable&lt;T&gt;</c> (cluster membership and manifest
    /// updates), when a silo stops, ends its chain with an element whose task holds an
    /// <c>ObjectDisposedException("This instance has been disposed")</c> set, never thrown (so without a stack trace),
    /// for readers that have all stopped already. Nothing of ours made it and nothing of it can end the process.
    /// </summary>
    private static bool OrleansDisposedMarker(Exception e) =>
        e is ObjectDisposedException { ObjectName: "This instance has been disposed", StackTrace: null };

    private static void Record(string kind, string exception)
    {
        var entry = $"{kind} at {DateTimeOffset.UtcNow:O}: {exception}";
        Recorded.Enqueue(entry);
        Console.Error.WriteLine("cc: background exception, " + entry);
        if (Environment.GetEnvironmentVariable("CC_TEST_RESULTS") is { Length: > 0 } results)
        {
            lock (Recorded)
                File.AppendAllText(Path.Combine(results, "background-exceptions.log"), entry + Environment.NewLine);
        }
    }
}

/// <summary>Runs the test collections in xunit's own order (by unique id), with <see cref="BackgroundExceptionsCollection"/> last.</summary>
public sealed class BackgroundExceptionsLast : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName == BackgroundExceptionsCollection.Name).ThenBy(c => c.UniqueID);
}

[CollectionDefinition(Name)]
public sealed class BackgroundExceptionsCollection
{
    public const string Name = "background exceptions";
}

[Collection(BackgroundExceptionsCollection.Name)]
public sealed class BackgroundExceptionsTests
{
    [Fact]
    public void No_exception_escaped_background_work_during_the_run()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(BackgroundExceptions.All.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, BackgroundExceptions.All));
    }
}
