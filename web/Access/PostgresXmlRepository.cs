using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;

namespace CommandCenter.Web.Access;

/// <summary>
/// The Data Protection key ring in PostgreSQL, so every web node reads the cookies, tokens and antiforgery fields
/// another node wrote, and restarts do not sign everyone out. The key manager encrypts each new key with the
/// <see cref="CommandCenter.Access.KeyCertificate"/> before it is stored; a key an earlier version stored in plaintext
/// is encrypted in place when the ring is read, the same way, so the cookies and tokens it protects stay valid.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource db, IXmlEncryptor encryptor) : IXmlRepository
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var rows = new List<(long Id, string Xml)>();
        using (var cmd = db.CreateCommand("SELECT id, xml FROM cc_data_protection_key ORDER BY id"))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        var elements = new List<XElement>();
        foreach (var (id, xml) in rows)
        {
            var element = XElement.Parse(xml);
            if (Encrypted(element) is { } encrypted)
                Seal(id, encrypted, xml);
            elements.Add(element);
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = db.CreateCommand("INSERT INTO cc_data_protection_key (friendly_name, xml) VALUES ($1, $2)");
        cmd.Parameters.AddWithValue(friendlyName);
        cmd.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// <paramref name="element"/> with each secret still in plaintext (marked <c>requiresEncryption</c>) replaced by
    /// its <c>encryptedSecret</c>, as the key manager writes new keys; null when there is none.
    /// </summary>
    public XElement? Encrypted(XElement element)
    {
        var copy = new XElement(element);
        var plain = copy.DescendantsAndSelf().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList();
        if (plain.Count == 0)
            return null;
        foreach (var secret in plain)
        {
            var encrypted = encryptor.Encrypt(new XElement(secret));
            secret.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
        }
        return copy;
    }

    /// <summary>Stores the encrypted form of a row read as <paramref name="plain"/>, unless another node did first.</summary>
    private void Seal(long id, XElement encrypted, string plain)
    {
        using var cmd = db.CreateCommand("UPDATE cc_data_protection_key SET xml = $2 WHERE id = $1 AND xml = $3");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(encrypted.ToString(SaveOptions.DisableFormatting));
        cmd.Parameters.AddWithValue(plain);
        cmd.ExecuteNonQuery();
    }
}
