using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace CommandCenter.Web.Access;

/// <summary>
/// The Data Protection key ring in PostgreSQL, so every web node reads the cookies, tokens and antiforgery fields
/// another node wrote, and restarts do not sign everyone out.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource db) : IXmlRepository
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

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = db.CreateCommand("INSERT INTO cc_data_protection_key (friendly_name, xml) VALUES ($1, $2)");
        cmd.Parameters.AddWithValue(friendlyName);
        cmd.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }
}
