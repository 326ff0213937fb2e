namespace CommandCenter.Web.Access;

/// <summary>Configuration section <c>CommandCenter:Access</c>.</summary>
public sealed class AccessOptions
{
    /// <summary>How long a bearer token from <c>POST /api/auth/token</c> is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the sign-in cookie of the pages lasts (sliding: renewed while in use).</summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long what a node found about a session holds before it asks PostgreSQL again: an account changed, disabled or
    /// signed out on another node loses its requests there within this time.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each node checks the sessions of its hub connections and closes those that are over.</summary>
    public TimeSpan SessionSweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The reverse proxies (addresses, or networks as 10.0.0.0/8) whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed: the client's address then is the one the proxy saw (rate limits, the audit log), and a request the
    /// proxy took over TLS counts as HTTPS (secure cookies, HSTS). Empty: forwarded headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Sign-in attempts (page or token) per client address per minute.</summary>
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>Citizens' rating posts (page or API, no account) per client address per minute.</summary>
    public int RatingsPerMinute { get; set; } = 30;

    /// <summary>Reports per second each intake integration may send (bursts up to twice this).</summary>
    public int IntakePerSecond { get; set; } = 1000;

    /// <summary>Demo mode: the password of every demo account (from CC_DEMO_PASSWORD); no demo accounts when empty.</summary>
    public string? DemoPassword { get; set; }
}
