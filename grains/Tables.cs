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

/// <summary>
/// What is wrong with one row of a table import (1 = the first after the header; 0 = the file as a whole) or one
/// feature of a GeoJSON one (its index + 1): the row's id when known and the field.
/// </summary>
public sealed record ImportProblem(int Row, string? Id, string Field, string Message)
{
    /// <summary>
    /// The problems as a 400's errors by field: a row's as <c>rows[3].grid</c>, a feature's as <c>features[2].geometry</c>
    /// (the index in the file), the file's own under their field; each message led by the row's id.
    /// </summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<ImportProblem> problems, string collection = "rows") =>
        problems
            .GroupBy(p => p.Row == 0 ? p.Field : $"{collection}[{(collection == "features" ? p.Row - 1 : p.Row)}].{p.Field}")
            .ToDictionary(g => g.Key, g => g.Select(p => p.Id is null ? p.Message : $"{p.Id}: {p.Message}").ToArray());

    /// <summary>
    /// What is wrong with an imported row's id, or null: ids are like jurisdiction codes (1 to 32 of 0-9, A-Z, a-z,
    /// '-' and '_') and each appears once in a file (<paramref name="seen"/> holds those before it, and takes this one).
    /// </summary>
    public static string? IdProblem(string? id, HashSet<string> seen) =>
        string.IsNullOrEmpty(id) || id.Length > 32 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? "1 to 32 characters: 0-9, A-Z, a-z, '-' and '_'."
            : !seen.Add(id) ? $"The id {id} appears more than once." : null;
}
