using System.Globalization;
using MiniExcelLibs;

namespace CommandCenter.Web.Application;

/// <summary>The first sheet of an Excel workbook (.xlsx) as a table of text cells, as the imports that read tables take a CSV.</summary>
public static class SpreadsheetTable
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A table file's rows: an Excel workbook's first sheet, or UTF-8 CSV.</summary>
    public static (IReadOnlyList<IReadOnlyList<string>>? Rows, string? Error) Read(byte[] bytes, bool xlsx) =>
        xlsx ? FirstSheet(bytes) : (CsvTable.Parse(System.Text.Encoding.UTF8.GetString(bytes)), null);

    /// <summary>The rows of the first sheet, each cell as text (numbers invariant, dates ISO 8601), or why it is not a workbook.</summary>
    private static (IReadOnlyList<IReadOnlyList<string>>? Rows, string? Error) FirstSheet(byte[] xlsx)
    {
        try
        {
            using var stream = new MemoryStream(xlsx);
            var rows = stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX)
                .Cast<IDictionary<string, object?>>()
                .Select(row => (IReadOnlyList<string>)row.Values.Select(Text).ToList())
                .ToList();
            return (rows, null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException or NotSupportedException)
        {
            return (null, $"Not an Excel workbook (.xlsx): {e.Message}");
        }
    }

    private static string Text(object? cell) => cell switch
    {
        null => "",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        DateTime date => date.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
