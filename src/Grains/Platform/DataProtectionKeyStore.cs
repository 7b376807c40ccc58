using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Actors.Grains.Platform;

/// <summary>
/// The Data Protection key ring in PostgreSQL (<c>data_protection_keys</c>), so that every silo
/// replica encrypts and decrypts with the same keys and a restart loses none.
/// </summary>
public sealed class DataProtectionKeyStore(NpgsqlDataSource db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = db.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        using var reader = cmd.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = db.CreateCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)");
        cmd.Parameters.AddWithValue("name", friendlyName);
        cmd.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }
}
