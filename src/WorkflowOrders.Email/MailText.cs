using System.Globalization;
using System.Net;
using System.Text;

namespace WorkflowOrders.Email;

/// <summary>Builds the plain-text and HTML bodies of one message from the same labelled lines.</summary>
internal sealed class MailText
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _html = new();

    public MailText(string lead)
    {
        _text.Append(lead).Append("\n\n");
        _html.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><p>")
            .Append(WebUtility.HtmlEncode(lead)).Append("</p><table cellpadding=\"4\">");
    }

    public MailText Line(string label, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }

        _text.Append(label).Append(": ").Append(value).Append('\n');
        _html.Append("<tr><th align=\"left\">").Append(WebUtility.HtmlEncode(label)).Append("</th><td>")
            .Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        return this;
    }

    public (string Text, string Html) Finish(string linkLabel, string link, string footer)
    {
        _text.Append('\n').Append(linkLabel).Append(": ").Append(link).Append("\n\n-- \n").Append(footer).Append('\n');
        _html.Append("</table><p><a href=\"").Append(WebUtility.HtmlEncode(link)).Append("\">")
            .Append(WebUtility.HtmlEncode(linkLabel)).Append("</a></p><hr><p style=\"color:#888\">")
            .Append(WebUtility.HtmlEncode(footer)).Append("</p></body></html>");
        return (_text.ToString(), _html.ToString());
    }

    public static bool IsChinese(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string Link(string baseUrl, string path) => baseUrl.TrimEnd('/') + path;

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
