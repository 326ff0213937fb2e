using System.Text;

namespace CommandCenter;

/// <summary>CSV as a table of text cells (UTF-8 text, a leading byte-order mark skipped), for the imports that read tables.</summary>
public static class CsvTable
{
    /// <summary>RFC 4180 records: fields separated by commas, quoted with " (a doubled "" inside), records by CRLF or LF.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Parse(string text) => Records(text).ToList();

    private static IEnumerable<List<string>> Records(string text)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                record.Add(field.ToString());
                field.Clear();
                yield return record;
                record = [];
            }
            else
                field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}

/// <summary>The columns a table import reads (a CSV's or a spreadsheet's first row names them), found by any of their headers.</summary>
public static class TableColumns
{
    /// <summary>Each column's index in <paramref name="header"/> (-1 when absent) and the names of the required ones missing.</summary>
    public static (int[] Indexes, IReadOnlyList<string> Missing) Find(IReadOnlyList<string> header,
        IReadOnlyList<(string Name, string[] Headers, bool Required)> columns)
    {
        var trimmed = header.Select(h => h.Trim()).ToList();
        var indexes = columns
            .Select(c => trimmed.FindIndex(h => c.Headers.Any(name => string.Equals(h, name, StringComparison.OrdinalIgnoreCase))))
            .ToArray();
        return (indexes, columns.Where((c, i) => c.Required && indexes[i] < 0).Select(c => c.Name).ToList());
    }

    /// <summary>The rows after the header with their numbers (1 = the first row after it), blank rows left out.</summary>
    public static IEnumerable<(IReadOnlyList<string> Cells, int Row)> Rows(IReadOnlyList<IReadOnlyList<string>> lines) =>
        lines.Skip(1).Select((cells, i) => (cells, i + 1)).Where(r => r.cells.Any(cell => cell.Trim().Length > 0));

    /// <summary>A row's cell of a column, trimmed; null for a column the table does not have or a row too short.</summary>
    public static string? Cell(IReadOnlyList<string> cells, int column) => column >= 0 && column < cells.Count ? cells[column].Trim() : null;
}
