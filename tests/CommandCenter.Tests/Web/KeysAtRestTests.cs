using System.Diagnostics;
using System.Xml.Linq;
using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Access;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Tests.Web;

/// <summary>
/// The keys at rest (#20): a host outside demo mode without the keys' certificate does not start, and says which
/// setting is missing; nor does one with another certificate than the county's keys were encrypted with; a key ring an
/// earlier version stored in plaintext is encrypted in place and keeps what it protected.
/// </summary>
public sealed class KeysAtRestTests
{
    /// <summary>
    /// The web host's own build, started as a county's installation would start it (a process of its own: a host that
    /// refuses in its entry point leaves a test host's waiting task faulted), outside demo mode, with the settings of
    /// the tests and <paramref name="settings"/>; returns its exit code and everything it wrote.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunWebHost(IDictionary<string, string?> settings)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(root, "web", "bin", bin.Parent.Name, bin.Name, "CommandCenter.Web.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in TestEnvironment.Settings(settings))
            start.Environment[name.Replace(":", "__")] = value;
        start.Environment["CommandCenter__DemoCounty"] = "false";
        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var web = Process.Start(start)!;
        var output = web.StandardOutput.ReadToEndAsync();
        var errors = web.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await web.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            web.Kill(entireProcessTree: true);
            throw new TimeoutException("The web host did not end within 2 minutes: " + await errors + await output);
        }
        return (web.ExitCode, await errors + await output);
    }

    [Fact]
    public async Task A_host_outside_demo_mode_without_the_certificate_refuses_to_start_naming_the_setting()
    {
        var (exitCode, output) = await RunWebHost(new Dictionary<string, string?> { [KeyCertificate.FileSetting] = "" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"{KeyCertificate.FileSetting} is not set.", output);
    }

    /// <summary>
    /// Every web node must have the same certificate: one given another than the one the county's rating-link key was
    /// encrypted with (by the tests' certificate, here) stops at start, naming both, before its silo joins.
    /// </summary>
    [Fact]
    public async Task A_host_with_another_certificate_than_the_keys_were_encrypted_with_refuses_to_start_naming_both()
    {
        var postgres = await TestEnvironment.FreshDatabase("commandcenter_other_keys");
        await using (var db = NpgsqlDataSource.Create(postgres))
        {
            var links = new RatingLinks(db, TestEnvironment.Keys, Options.Create(new RatingOptions()), TimeProvider.System);
            await links.Check();
        }
        var other = Path.Combine(Path.GetTempPath(), $"cc-other-keys-{Guid.NewGuid():N}.pfx");
        try
        {
            var thumbprint = KeyCertificate.LoadOrMake(other, null).Thumbprint;

            var (exitCode, output) = await RunWebHost(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = postgres,
                [KeyCertificate.FileSetting] = other,
                ["Orleans:ClusterId"] = "other-keys-" + Guid.NewGuid().ToString("N")[..8],
                ["Orleans:SiloPort"] = TestEnvironment.FreeTcpPort().ToString(),
                ["Orleans:GatewayPort"] = TestEnvironment.FreeTcpPort().ToString(),
                ["Urls"] = $"http://127.0.0.1:{TestEnvironment.FreeTcpPort()}",
            });

            Assert.NotEqual(0, exitCode);
            Assert.Contains($"encrypted with the certificate {TestEnvironment.Keys.Thumbprint}", output);
            Assert.Contains($"{KeyCertificate.FileSetting} is {thumbprint}", output);
        }
        finally
        {
            File.Delete(other);
        }
    }

    /// <summary>The key ring as versions before #20 kept it: in PostgreSQL, in plaintext.</summary>
    private sealed class EarlierRepository(NpgsqlDataSource db) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var cmd = db.CreateCommand("SELECT xml FROM cc_data_protection_key ORDER BY id");
            using var reader = cmd.ExecuteReader();
            var elements = new List<XElement>();
            while (reader.Read())
                elements.Add(XElement.Parse(reader.GetString(0)));
            return elements;
        }

        /// <summary>Stored as today (the key manager encrypts before it stores; there was nothing to encrypt with).</summary>
        public void StoreElement(XElement element, string friendlyName) =>
            new PostgresXmlRepository(db, new NullXmlEncryptor()).StoreElement(element, friendlyName);
    }

    private static IDataProtector Protector(NpgsqlDataSource db, bool encrypted)
    {
        var services = new ServiceCollection().AddLogging();
        var protection = services.AddDataProtection().SetApplicationName("CommandCenter");
        if (encrypted)
            protection.ProtectKeysWithCertificate(TestEnvironment.Keys.Certificate).UnprotectKeysWithAnyCertificate(TestEnvironment.Keys.Certificate);
        services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((o, logs) => o.XmlRepository = encrypted
            ? new PostgresXmlRepository(db, new CertificateXmlEncryptor(TestEnvironment.Keys.Certificate, logs))
            : new EarlierRepository(db));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("keys-at-rest-test");
    }

    [Fact]
    public async Task A_key_ring_stored_in_plaintext_is_encrypted_in_place_and_still_unprotects_what_it_protected()
    {
        await using var db = NpgsqlDataSource.Create(await TestEnvironment.FreshDatabase("commandcenter_key_ring"));
        var protectedEarlier = Protector(db, encrypted: false).Protect("已登录");
        Assert.All(await KeyRing(db), xml => Assert.Contains("<masterKey", xml));

        Assert.Equal("已登录", Protector(db, encrypted: true).Unprotect(protectedEarlier));

        Assert.All(await KeyRing(db), xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("masterKey", xml);
        });
        Assert.Equal("已登录", Protector(db, encrypted: true).Unprotect(protectedEarlier));
    }

    /// <summary>The rows of the key ring as stored.</summary>
    public static async Task<List<string>> KeyRing(NpgsqlDataSource db)
    {
        await using var read = db.CreateCommand("SELECT xml FROM cc_data_protection_key ORDER BY id");
        await using var rows = await read.ExecuteReaderAsync();
        var ring = new List<string>();
        while (await rows.ReadAsync())
            ring.Add(rows.GetString(0));
        Assert.NotEmpty(ring);
        return ring;
    }
}
