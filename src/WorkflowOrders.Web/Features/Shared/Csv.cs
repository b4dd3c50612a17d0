using System.Globalization;
using System.Text;

namespace WorkflowOrders.Web.Features.Shared;

/// <summary>
/// CSV exports of the screens (tracking board, reports): RFC 4180 quoting, CRLF lines, UTF-8 with a BOM — without
/// the BOM Excel reads the file in the machine's ANSI code page and the Chinese text turns into mojibake.
/// </summary>
public sealed class Csv
{
    private readonly StringBuilder _text = new();

    public Csv Line(IEnumerable<string> cells)
    {
        _text.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
        return this;
    }

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())];

    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>A leading = + - @ is prefixed with ' so a spreadsheet does not run the cell as a formula (numbers stay numbers).</summary>
    public static string Cell(string? value)
    {
        var v = value ?? "";
        if (v.Length > 0 && "=+-@".Contains(v[0], StringComparison.Ordinal) && !decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            v = "'" + v;
        }

        return v.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
