using System.Diagnostics;

namespace CommandCenter;

/// <summary>
/// The product's spans (ActivitySource <c>CommandCenter</c>), beside those of ASP.NET Core, Orleans and Npgsql: group
/// commit rounds and feed pushes. Nothing is made while nobody listens (the web host listens when an OTLP endpoint is
/// configured).
/// </summary>
public static class Tracing
{
    public static readonly ActivitySource Source = new("CommandCenter");

    /// <summary>
    /// A span for work done for many callers at once (a commit round, a push of many entries): the root of a trace of
    /// its own, linked to each caller's span, so that a trace tool follows every one of them into it. Null while
    /// nobody listens.
    /// </summary>
    public static Activity? Round(string name, IEnumerable<ActivityContext> callers)
    {
        if (!Source.HasListeners())
            return null;
        var links = callers.Where(c => c != default).Distinct().Select(c => new ActivityLink(c)).ToList();
        // A round is the child of none of its callers: without a current activity it starts a trace of its own.
        Activity.Current = null;
        return Source.StartActivity(name, ActivityKind.Internal, parentContext: default, links: links);
    }
}
