using System.Text;
using System.Text.RegularExpressions;

namespace WorkflowOrders.Persistence.Queries;

/// <summary>Camunda's <c>$like</c> pattern (<c>*</c>, <c>?</c>, <c>\</c> escapes) as SQL LIKE (escape <c>\</c>) or as a regex.</summary>
public static class LikePattern
{
    public const string SqlEscape = "\\";

    public static string ToSql(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var sb = new StringBuilder(pattern.Length + 4);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length:
                    AppendLiteral(sb, pattern[++i]);
                    break;
                case '*':
                    sb.Append('%');
                    break;
                case '?':
                    sb.Append('_');
                    break;
                default:
                    AppendLiteral(sb, c);
                    break;
            }
        }

        return sb.ToString();
    }

    public static Regex ToRegex(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
    }

    private static void AppendLiteral(StringBuilder sb, char c)
    {
        if (c is '%' or '_' or '\\')
        {
            sb.Append('\\');
        }

        sb.Append(c);
    }
}
