using System.Globalization;

namespace WorkflowOrders.Engine.Feel;

internal enum TokenKind
{
    Number,
    String,
    Name,
    Punct,
    End,
}

/// <summary>A token; <see cref="Quoted"/> marks a backtick name, which is never a keyword.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Start, FeelValue? Value = null, bool Quoted = false)
{
    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;

    public bool IsWord(string word) => Kind == TokenKind.Name && !Quoted && Text == word;

    public string Describe() => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.String => "string \"" + Text + "\"",
        _ => "'" + Text + "'",
    };
}

internal static class FeelLexer
{
    private static readonly string[] Puncts = ["**", "..", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "+", "-", "*", "/", "=", "<", ">", "@", "?"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var p = 0;
        while (true)
        {
            p = SkipSpaceAndComments(text, p);
            if (p >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", text.Length));
                return tokens;
            }
            var c = text[p];
            var start = p;
            if (char.IsAsciiDigit(c) || (c == '.' && p + 1 < text.Length && char.IsAsciiDigit(text[p + 1])))
            {
                while (p < text.Length && char.IsAsciiDigit(text[p])) p++;
                if (p + 1 < text.Length && text[p] == '.' && char.IsAsciiDigit(text[p + 1]))
                {
                    p++;
                    while (p < text.Length && char.IsAsciiDigit(text[p])) p++;
                }
                var literal = text[start..p];
                if (!decimal.TryParse(literal, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                {
                    throw Error(text, start, $"The number {literal} is too large");
                }
                tokens.Add(new Token(TokenKind.Number, literal, start, new FeelNumber(number)));
                continue;
            }
            if (c == '"')
            {
                var value = ReadString(text, ref p);
                tokens.Add(new Token(TokenKind.String, value, start, new FeelString(value)));
                continue;
            }
            if (c == '`')
            {
                var close = text.IndexOf('`', p + 1);
                if (close < 0) throw Error(text, start, "The name quoted with ` is not closed");
                tokens.Add(new Token(TokenKind.Name, text[(p + 1)..close], start, Quoted: true));
                p = close + 1;
                continue;
            }
            if (IsNameStart(c))
            {
                while (p < text.Length && IsNamePart(text[p])) p++;
                tokens.Add(new Token(TokenKind.Name, text[start..p], start));
                continue;
            }
            var matched = false;
            foreach (var punct in Puncts)
            {
                if (string.CompareOrdinal(text, p, punct, 0, punct.Length) == 0)
                {
                    tokens.Add(new Token(TokenKind.Punct, punct, start));
                    p += punct.Length;
                    matched = true;
                    break;
                }
            }
            if (!matched) throw Error(text, start, $"Unexpected character '{c}'");
        }
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static int SkipSpaceAndComments(string text, int p)
    {
        while (p < text.Length)
        {
            if (char.IsWhiteSpace(text[p]))
            {
                p++;
            }
            else if (p + 1 < text.Length && text[p] == '/' && text[p + 1] == '/')
            {
                while (p < text.Length && text[p] != '\n') p++;
            }
            else if (p + 1 < text.Length && text[p] == '/' && text[p + 1] == '*')
            {
                var end = text.IndexOf("*/", p + 2, StringComparison.Ordinal);
                if (end < 0) throw Error(text, p, "The comment is not closed");
                p = end + 2;
            }
            else
            {
                break;
            }
        }
        return p;
    }

    private static string ReadString(string text, ref int p)
    {
        var start = p;
        p++;
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (p >= text.Length) throw Error(text, start, "The string is not closed");
            var c = text[p++];
            if (c == '"') return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (p >= text.Length) throw Error(text, start, "The string is not closed");
            var e = text[p++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case '\\': sb.Append('\\'); break;
                case 'u':
                    if (p + 4 > text.Length || !int.TryParse(text.AsSpan(p, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error(text, p - 2, "Invalid \\u escape: four hex digits were expected");
                    }
                    sb.Append((char)code);
                    p += 4;
                    break;
                default:
                    // Kept as written, so regular expressions like "\d+" read naturally.
                    sb.Append('\\').Append(e);
                    break;
            }
        }
    }

    public static FeelParseException Error(string text, int position, string message) => new(FeelSource.ErrorAt(text, position, message));
}
