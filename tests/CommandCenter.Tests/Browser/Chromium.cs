using CommandCenter.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CommandCenter.Tests.Browser;

/// <summary>Debian's Chromium, headless, driven by Playwright (no browser download): one per test class.</summary>
public sealed class Chromium : IAsyncDisposable
{
    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>
    /// For video: Chromium's fake camera (a moving test pattern) and microphone, granted without asking, and host
    /// candidates with their addresses (not mDNS names, which Janus cannot resolve).
    /// </summary>
    private static readonly string[] MediaArgs =
        [.. Args, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--disable-features=WebRtcHideLocalIpsWithMdns",
         "--autoplay-policy=no-user-gesture-required"];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <param name="media">With a fake camera and microphone (<see cref="MediaArgs"/>): the video tests, which run inside test.sh's network namespace with Janus.</param>
    public static async Task<Chromium> Launch(bool media = false)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.Chromium,
            Headless = true,
            Args = media ? MediaArgs : Args,
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>
    /// A page of a new context in Chinese and China's time zone, and the problems it reports (console errors, uncaught
    /// exceptions) as they come.
    /// </summary>
    public async Task<(IPage Page, List<string> Problems)> NewPage(BrowserNewContextOptions options)
    {
        options.Locale = "zh-CN";
        options.TimezoneId = "Asia/Shanghai";
        var page = await (await Browser.NewContextAsync(options)).NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                problems.Add($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => problems.Add("pageerror: " + error);
        return (page, problems);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
