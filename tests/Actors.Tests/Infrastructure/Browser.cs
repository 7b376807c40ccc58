using System.Diagnostics;
using Microsoft.Playwright;

namespace Actors.Tests.Infrastructure;

/// <summary>
/// Headless Debian Chromium driven by Playwright. Nothing is downloaded: the browser is the
/// distribution's package, installed here (apt) when missing, as ./test also does.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/lib/chromium/chromium";
    static readonly SemaphoreSlim InstallLock = new(1, 1);

    readonly IPlaywright _playwright;
    public IBrowser Instance { get; }

    Browser(IPlaywright playwright, IBrowser browser) { _playwright = playwright; Instance = browser; }

    public static async Task<Browser> Launch()
    {
        await EnsureChromium();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A fresh, isolated browser profile (its own cookies) pointed at the API; optionally with JavaScript off.</summary>
    public async Task<IPage> NewPage(Uri baseUrl, bool javaScript = true)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), JavaScriptEnabled = javaScript });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.CloseAsync();
        _playwright.Dispose();
    }

    static async Task EnsureChromium()
    {
        if (File.Exists(ChromiumPath)) return;
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(ChromiumPath)) return;
            var root = Environment.UserName == "root";
            foreach (var args in new[] { "update -qq", "install -y -qq chromium" })
            {
                using var apt = Process.Start(new ProcessStartInfo(root ? "apt-get" : "sudo", root ? args : "apt-get " + args)
                {
                    Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                await apt.StandardOutput.ReadToEndAsync();
                await apt.WaitForExitAsync();
            }
            if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"Chromium is missing at {ChromiumPath} and apt could not install it");
        }
        finally { InstallLock.Release(); }
    }
}
