using System.Globalization;
using System.Text;

namespace WorkflowOrders.Email.Tests.Support;

/// <summary>The readable text of a raw MIME message: headers as they are plus every base64 or quoted-printable part decoded.</summary>
public static class MimeText
{
    public static string Decode(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var result = new StringBuilder(raw);
        string? encoding = null;
        var inBody = false;
        var part = new StringBuilder();
        foreach (var line in lines)
        {
            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                Flush();
                encoding = null;
                inBody = false;
                continue;
            }

            if (!inBody)
            {
                if (line.StartsWith("Content-Transfer-Encoding:", StringComparison.OrdinalIgnoreCase))
                {
                    encoding = line["Content-Transfer-Encoding:".Length..].Trim().ToLowerInvariant();
                }
                else if (line.Length == 0 && encoding is not null)
                {
                    inBody = true;
                }

                continue;
            }

            part.Append(line).Append('\n');
        }

        Flush();
        return result.ToString();

        void Flush()
        {
            if (inBody && part.Length > 0)
            {
                result.Append('\n').Append(encoding == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(part.ToString().Replace("\n", "", StringComparison.Ordinal))) : QuotedPrintable(part.ToString()));
            }

            part.Clear();
        }
    }

    private static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var s = text.Replace("=\n", "", StringComparison.Ordinal);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '=' && i + 2 < s.Length && byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
