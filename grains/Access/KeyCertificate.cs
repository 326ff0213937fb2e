using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CommandCenter.Access;

/// <summary>
/// The certificate that encrypts the server's keys at rest (#20): the Data Protection key ring
/// (<c>cc_data_protection_key</c>: sign-in cookies, bearer tokens, antiforgery) and the rating-link key
/// (<c>cc_secret</c>). A PKCS#12 (.pfx) file with an RSA private key, kept outside the repository and the database;
/// every web node of a county uses the same one, since they share the key ring and the rating key. Demo mode makes a
/// self-signed one once and reuses it.
/// </summary>
public sealed class KeyCertificate
{
    public const string FileSetting = "CommandCenter:Keys:CertificateFile";
    public const string PasswordSetting = "CommandCenter:Keys:CertificatePassword";

    /// <summary>Where demo mode keeps the certificate it makes when <see cref="FileSetting"/> is not set, under the content root.</summary>
    public static readonly string DemoFile = Path.Combine(".data", "keys", "demo-keys.pfx");

    private KeyCertificate(X509Certificate2 certificate, RSA privateKey)
    {
        Certificate = certificate;
        _rsa = privateKey;
    }

    private readonly RSA _rsa;

    public X509Certificate2 Certificate { get; }

    /// <summary>Names the certificate in what it encrypted, so that a node with another one can say so.</summary>
    public string Thumbprint => Certificate.Thumbprint;

    /// <summary>A short secret (a key) encrypted with the certificate's public key (RSA-OAEP with SHA-256).</summary>
    public byte[] Encrypt(byte[] secret) => _rsa.Encrypt(secret, RSAEncryptionPadding.OaepSHA256);

    public byte[] Decrypt(byte[] encrypted) => _rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA256);

    /// <summary>
    /// The certificate a web host runs with: <see cref="FileSetting"/> (with <see cref="PasswordSetting"/>); in demo
    /// mode, when that is not set, the one under <paramref name="contentRoot"/>/<see cref="DemoFile"/>, made at first
    /// start. Outside demo mode a missing or unreadable certificate stops the start with a message naming the setting.
    /// </summary>
    public static KeyCertificate ForHost(string? file, string? password, bool demo, string contentRoot)
    {
        if (!string.IsNullOrEmpty(file))
            return demo ? LoadOrMake(file, password) : Load(file, password);
        if (demo)
            return LoadOrMake(Path.Combine(contentRoot, DemoFile), password);
        throw new InvalidOperationException($"{FileSetting} is not set. Outside demo mode the key ring and the rating-link key are "
            + "encrypted at rest with a certificate: a .pfx file with an RSA key, outside the repository, the same on every web node, its "
            + $"password in {PasswordSetting} (README, \"Keys at rest\").");
    }

    /// <summary>The certificate of <paramref name="file"/>, or an error that names the setting and what is wrong (never the password).</summary>
    public static KeyCertificate Load(string file, string? password)
    {
        if (!File.Exists(file))
            throw new InvalidOperationException($"{FileSetting} names {file}, which does not exist (README, \"Keys at rest\").");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{FileSetting} names {file}, which cannot be read as a PKCS#12 (.pfx) file with the password "
                + $"of {PasswordSetting}: {e.Message}", e);
        }
        if (certificate.GetRSAPrivateKey() is not { } rsa)
            throw new InvalidOperationException($"{FileSetting} names {file}, whose certificate has no RSA private key: the keys at rest need one.");
        return new KeyCertificate(certificate, rsa);
    }

    /// <summary>
    /// The certificate of <paramref name="file"/>, made first when there is none (demo mode): self-signed, RSA 2048,
    /// readable by its owner only. Nodes starting together each make one, and the first one written is the one all keep.
    /// </summary>
    public static KeyCertificate LoadOrMake(string file, string? password)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var made = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(made, SelfSigned(password));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(made, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(made, file, overwrite: false);
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(made);
            }
        }
        return Load(file, password);
    }

    private static byte[] SelfSigned(string? password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=CommandCenter demo keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        return certificate.Export(X509ContentType.Pkcs12, password);
    }
}
