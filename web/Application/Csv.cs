using System.Text;

namespace CommandCenter.Web.Application;

/// <summary>
/// CSV for export (RFC 4180: every field quoted, quotes doubled, CRLF rows), UTF-8 with a byte-order mark so that
/// Excel reads Chinese right. A field from outside that a spreadsheet would take for a formula (=, +, -, @, tab,
/// carriage return first) gets a leading apostrophe, so it stays text.
/// </summary>
public static class Csv
{
    public const string MediaType = "text/csv; charset=utf-8";

    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        Row(text, header);
        foreach (var row in rows)
            Row(text, row);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>A field as written: quoted, and inert for spreadsheets.</summary>
    public static string Field(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            text = "'" + text;
        return "\"" + text.Replace("\"", "\"\"") + "\"";
    }

    private static void Row(StringBuilder text, IReadOnlyList<string?> fields)
    {
        text.AppendJoin(',', fields.Select(Field));
        text.Append("\r\n");
    }
}
