using System.Security.Cryptography;
using CommandCenter.Access;

namespace CommandCenter.Tests.Access;

/// <summary>The keys' certificate: made once in demo mode, required outside it, and every failure names its setting.</summary>
public sealed class KeyCertificateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Demo_mode_makes_the_certificate_once_readable_by_its_owner_only_and_reuses_it()
    {
        var first = KeyCertificate.ForHost(null, null, demo: true, _folder);
        var again = KeyCertificate.ForHost(null, null, demo: true, _folder);
        var file = Path.Combine(_folder, KeyCertificate.DemoFile);

        Assert.Equal(first.Thumbprint, again.Thumbprint);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!));
        var secret = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(secret, again.Decrypt(first.Encrypt(secret)));
    }

    [Fact]
    public void Outside_demo_mode_a_missing_setting_or_file_stops_the_start_naming_the_setting()
    {
        var unset = Assert.Throws<InvalidOperationException>(() => KeyCertificate.ForHost("", null, demo: false, _folder));
        var missing = Assert.Throws<InvalidOperationException>(() => KeyCertificate.ForHost(Path.Combine(_folder, "none.pfx"), null, demo: false, _folder));

        Assert.StartsWith($"{KeyCertificate.FileSetting} is not set.", unset.Message);
        Assert.Contains(KeyCertificate.PasswordSetting, unset.Message);
        Assert.StartsWith($"{KeyCertificate.FileSetting} names ", missing.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "none.pfx")));
    }

    [Fact]
    public void A_wrong_password_or_a_file_that_is_no_certificate_is_refused_without_showing_the_password()
    {
        var file = Path.Combine(_folder, "keys.pfx");
        KeyCertificate.LoadOrMake(file, "right-password");
        var garbage = Path.Combine(_folder, "garbage.pfx");
        File.WriteAllText(garbage, "not a certificate");

        var wrong = Assert.Throws<InvalidOperationException>(() => KeyCertificate.Load(file, "wrong-password"));
        var notOne = Assert.Throws<InvalidOperationException>(() => KeyCertificate.Load(garbage, null));

        Assert.Contains(KeyCertificate.PasswordSetting, wrong.Message);
        Assert.DoesNotContain("wrong-password", wrong.Message);
        Assert.StartsWith($"{KeyCertificate.FileSetting} names {garbage}", notOne.Message);
        Assert.Equal(KeyCertificate.Load(file, "right-password").Thumbprint, KeyCertificate.LoadOrMake(file, "right-password").Thumbprint);
    }
}
