namespace WorkflowOrders.Engine.Feel;

/// <summary>
/// Recursive-descent parser of the FEEL subset. Precedence, loosest first: if/for/some/every/function, or, and,
/// comparison (= != &lt; &lt;= &gt; &gt;= between in instance of), + -, * /, **, unary -, postfix (. [] ()), primary.
/// </summary>
internal sealed class FeelParser
{
    public const int MaxLength = 20_000;
    public const int MaxNesting = 64;
    public const int MaxTreeDepth = 200;

    private static readonly string[] Keywords =
        ["true", "false", "null", "and", "or", "if", "then", "else", "for", "in", "return", "some", "every", "satisfies", "between", "instance", "of", "function"];

    private static readonly Dictionary<string, string[][]> MultiWord = BuildMultiWord();

    private static readonly string[][] TypeNames =
        [["date", "and", "time"], ["days", "and", "time", "duration"], ["years", "and", "months", "duration"]];

    private static readonly string[][] PropertyNames = [["time", "offset"], ["start", "included"], ["end", "included"]];

    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly List<string> _bound = [];
    private int _pos;
    private int _nesting;

    private FeelParser(string text)
    {
        _text = text;
        _tokens = FeelLexer.Tokenize(text);
    }

    public HashSet<string> Variables { get; } = new(StringComparer.Ordinal);

    public static (Node Root, HashSet<string> Variables) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw FeelLexer.Error(text, MaxLength, $"The expression is longer than {MaxLength} characters");
        }
        var parser = new FeelParser(text);
        var root = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Unexpected("the expression should end here");
        }
        return (root, parser.Variables);
    }

    private static Dictionary<string, string[][]> BuildMultiWord()
    {
        var byFirst = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        foreach (var name in FeelBuiltins.MultiWordNames)
        {
            var words = name.Split(' ');
            if (!byFirst.TryGetValue(words[0], out var list)) byFirst[words[0]] = list = [];
            list.Add(words);
        }
        var result = new Dictionary<string, string[][]>(StringComparer.Ordinal);
        foreach (var (first, list) in byFirst)
        {
            // Longest first: "round half up" before "round up".
            list.Sort((a, b) => b.Length.CompareTo(a.Length));
            result[first] = [.. list];
        }
        return result;
    }

    // ---------- tokens ----------

    private Token Current => _tokens[_pos];

    private Token Peek(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private Token Next() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private bool TakePunct(string punct)
    {
        if (!Current.Is(punct)) return false;
        _pos++;
        return true;
    }

    private bool TakeWord(string word)
    {
        if (!Current.IsWord(word)) return false;
        _pos++;
        return true;
    }

    private void ExpectPunct(string punct)
    {
        if (!TakePunct(punct)) throw Unexpected($"'{punct}' was expected");
    }

    private void ExpectWord(string word)
    {
        if (!TakeWord(word)) throw Unexpected($"'{word}' was expected");
    }

    private FeelParseException Unexpected(string expectation) =>
        FeelLexer.Error(_text, Current.Start, $"Unexpected {Current.Describe()}: {expectation}");

    private FeelParseException ErrorAt(int position, string message) => FeelLexer.Error(_text, position, message);

    private static bool IsKeyword(Token token) => token.Kind == TokenKind.Name && !token.Quoted && Array.IndexOf(Keywords, token.Text) >= 0;

    /// <summary>Counts the words of <paramref name="words"/> present from the current token on (0 when they do not all match).</summary>
    private int MatchWords(string[] words, int offset = 0)
    {
        for (var i = 0; i < words.Length; i++)
        {
            var t = Peek(offset + i);
            if (t.Kind != TokenKind.Name || t.Quoted || t.Text != words[i]) return 0;
        }
        return words.Length;
    }

    private T Made<T>(T node) where T : Node
    {
        if (node.Depth > MaxTreeDepth)
        {
            throw ErrorAt(node.Position, $"The expression is nested more than {MaxTreeDepth} levels deep");
        }
        return node;
    }

    private void Enter()
    {
        if (++_nesting > MaxNesting)
        {
            throw ErrorAt(Current.Start, $"The expression is nested more than {MaxNesting} levels deep");
        }
    }

    // ---------- expressions ----------

    private Node ParseExpression()
    {
        Enter();
        try
        {
            var t = Current;
            if (t.IsWord("if")) return ParseIf();
            if (t.IsWord("for")) return ParseFor();
            if (t.IsWord("some") || t.IsWord("every")) return ParseQuantified();
            if (t.IsWord("function") && Peek(1).Is("(")) return ParseFunctionDefinition();
            return ParseDisjunction();
        }
        finally
        {
            _nesting--;
        }
    }

    private IfNode ParseIf()
    {
        var start = Next().Start;
        var condition = ParseExpression();
        ExpectWord("then");
        var then = ParseExpression();
        ExpectWord("else");
        var otherwise = ParseExpression();
        return Made(new IfNode(start, condition, then, otherwise));
    }

    private Iteration[] ParseIterations(string terminator)
    {
        var iterations = new List<Iteration>();
        do
        {
            var name = Current;
            if (name.Kind != TokenKind.Name || IsKeyword(name)) throw Unexpected("a name was expected");
            _pos++;
            ExpectWord("in");
            var source = ParseExpression();
            Node? end = null;
            if (TakePunct("..")) end = ParseExpression();
            iterations.Add(new Iteration(name.Text, source, end));
            // Each name is visible to the following sources and to the body.
            _bound.Add(name.Text);
        }
        while (TakePunct(","));
        if (!Current.IsWord(terminator)) throw Unexpected($"'{terminator}' or ',' was expected");
        _pos++;
        return [.. iterations];
    }

    private ForNode ParseFor()
    {
        var start = Next().Start;
        var bound = _bound.Count;
        var iterations = ParseIterations("return");
        var body = ParseExpression();
        _bound.RemoveRange(bound, _bound.Count - bound);
        return Made(new ForNode(start, iterations, body));
    }

    private QuantifiedNode ParseQuantified()
    {
        var keyword = Next();
        var bound = _bound.Count;
        var iterations = ParseIterations("satisfies");
        var condition = ParseExpression();
        _bound.RemoveRange(bound, _bound.Count - bound);
        return Made(new QuantifiedNode(keyword.Start, keyword.Text == "every", iterations, condition));
    }

    private FunctionDefinitionNode ParseFunctionDefinition()
    {
        var start = Next().Start;
        ExpectPunct("(");
        var parameters = new List<string>();
        var bound = _bound.Count;
        if (!Current.Is(")"))
        {
            do
            {
                var name = Current;
                if (name.Kind != TokenKind.Name || IsKeyword(name)) throw Unexpected("a parameter name was expected");
                _pos++;
                parameters.Add(name.Text);
                _bound.Add(name.Text);
            }
            while (TakePunct(","));
        }
        ExpectPunct(")");
        var body = ParseExpression();
        _bound.RemoveRange(bound, _bound.Count - bound);
        return Made(new FunctionDefinitionNode(start, [.. parameters], body));
    }

    private Node ParseDisjunction()
    {
        var left = ParseConjunction();
        while (Current.IsWord("or"))
        {
            var at = Next().Start;
            left = Made(new OrNode(at, left, ParseConjunction()));
        }
        return left;
    }

    private Node ParseConjunction()
    {
        var left = ParseComparison();
        while (Current.IsWord("and"))
        {
            var at = Next().Start;
            left = Made(new AndNode(at, left, ParseComparison()));
        }
        return left;
    }

    private static CompareOp? CompareOperator(Token t) => t.Kind != TokenKind.Punct ? null : t.Text switch
    {
        "=" => CompareOp.Equal,
        "!=" => CompareOp.NotEqual,
        "<" => CompareOp.Less,
        "<=" => CompareOp.LessOrEqual,
        ">" => CompareOp.Greater,
        ">=" => CompareOp.GreaterOrEqual,
        _ => null,
    };

    private Node ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            var t = Current;
            if (CompareOperator(t) is { } op)
            {
                _pos++;
                left = Made(new CompareNode(t.Start, op, left, ParseAdditive()));
            }
            else if (t.IsWord("between"))
            {
                _pos++;
                var low = ParseAdditive();
                ExpectWord("and");
                var high = ParseAdditive();
                left = Made(new BetweenNode(t.Start, left, low, high));
            }
            else if (t.IsWord("in"))
            {
                _pos++;
                left = Made(new InNode(t.Start, left, ParseUnaryTests()));
            }
            else if (t.IsWord("instance") && Peek(1).IsWord("of"))
            {
                _pos += 2;
                left = Made(new InstanceOfNode(t.Start, left, ParseTypeName()));
            }
            else
            {
                return left;
            }
        }
    }

    private string ParseTypeName()
    {
        foreach (var words in TypeNames)
        {
            if (MatchWords(words) > 0)
            {
                _pos += words.Length;
                return string.Join(' ', words);
            }
        }
        var t = Current;
        if (t.Kind != TokenKind.Name) throw Unexpected("a type name was expected");
        _pos++;
        // Parameterised types (list<number>, context<…>) are checked by their outer kind only.
        if (Current.Is("<"))
        {
            var depth = 0;
            do
            {
                if (Current.Is("<")) depth++;
                else if (Current.Is(">")) depth--;
                else if (Current.Kind == TokenKind.End) throw Unexpected("'>' was expected");
                _pos++;
            }
            while (depth > 0);
        }
        return t.Text;
    }

    private UnaryTest[] ParseUnaryTests()
    {
        if (Current.IsWord("not") && Peek(1).Is("("))
        {
            _pos += 2;
            var inner = ParseUnaryTestList();
            return [new UnaryTest { Kind = UnaryTestKind.Not, Inner = inner }];
        }
        if (Current.Is("("))
        {
            _pos++;
            var first = ParseUnaryTest();
            if (first.Kind == UnaryTestKind.Value && TakePunct(".."))
            {
                var end = ParseAdditive();
                return [new UnaryTest { Kind = UnaryTestKind.Range, Operand = first.Operand, StartIncluded = false, Extra = end, EndIncluded = CloseRange() }];
            }
            var tests = new List<UnaryTest> { first };
            while (TakePunct(",")) tests.Add(ParseUnaryTest());
            ExpectPunct(")");
            return [.. tests];
        }
        return [ParseUnaryTest()];
    }

    /// <summary>Tests up to and including ')', the '(' already taken.</summary>
    private UnaryTest[] ParseUnaryTestList()
    {
        var tests = new List<UnaryTest> { ParseUnaryTest() };
        while (TakePunct(",")) tests.Add(ParseUnaryTest());
        ExpectPunct(")");
        return [.. tests];
    }

    private UnaryTest ParseUnaryTest()
    {
        if (CompareOperator(Current) is { } op)
        {
            _pos++;
            return new UnaryTest { Kind = UnaryTestKind.Compare, Op = op, Operand = ParseAdditive() };
        }
        return new UnaryTest { Kind = UnaryTestKind.Value, Operand = ParseAdditive() };
    }

    /// <summary>Reads the closing bracket of a range: ']' includes the end, ')' or '[' excludes it.</summary>
    private bool CloseRange()
    {
        if (TakePunct("]")) return true;
        if (TakePunct(")") || TakePunct("[")) return false;
        throw Unexpected("']' or ')' was expected to close the range");
    }

    private Node ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Is("+") || Current.Is("-"))
        {
            var t = Next();
            var right = ParseMultiplicative();
            left = Made(new ArithNode(t.Start, t.Text == "+" ? ArithOp.Add : ArithOp.Subtract, left, right));
        }
        return left;
    }

    private Node ParseMultiplicative()
    {
        var left = ParsePower();
        while (Current.Is("*") || Current.Is("/"))
        {
            var t = Next();
            var right = ParsePower();
            left = Made(new ArithNode(t.Start, t.Text == "*" ? ArithOp.Multiply : ArithOp.Divide, left, right));
        }
        return left;
    }

    private Node ParsePower()
    {
        var left = ParseUnary();
        while (Current.Is("**"))
        {
            var t = Next();
            left = Made(new ArithNode(t.Start, ArithOp.Power, left, ParseUnary()));
        }
        return left;
    }

    private Node ParseUnary()
    {
        if (!Current.Is("-")) return ParsePostfix();
        var at = Next().Start;
        Enter();
        try
        {
            var operand = ParseUnary();
            if (operand is LiteralNode { Value: FeelNumber n }) return new LiteralNode(at, new FeelNumber(-n.Value));
            return Made(new NegateNode(at, operand));
        }
        finally
        {
            _nesting--;
        }
    }

    private Node ParsePostfix()
    {
        var node = ParsePrimary();
        while (true)
        {
            if (Current.Is("."))
            {
                var at = Next().Start;
                var key = ParsePropertyName();
                node = Made(new PathNode(at, node, key));
            }
            else if (Current.Is("["))
            {
                var at = Next().Start;
                var bound = _bound.Count;
                _bound.Add("item");
                Enter();
                var filter = ParseExpression();
                _nesting--;
                _bound.RemoveRange(bound, _bound.Count - bound);
                ExpectPunct("]");
                node = Made(new FilterNode(at, node, filter));
            }
            else
            {
                return node;
            }
        }
    }

    private string ParsePropertyName()
    {
        foreach (var words in PropertyNames)
        {
            if (MatchWords(words) > 0)
            {
                _pos += words.Length;
                return string.Join(' ', words);
            }
        }
        var t = Current;
        if (t.Kind == TokenKind.Name || t.Kind == TokenKind.String)
        {
            _pos++;
            return t.Text;
        }
        throw Unexpected("a name was expected after '.'");
    }

    private Node ParsePrimary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Number:
            case TokenKind.String:
                _pos++;
                return new LiteralNode(t.Start, t.Value!);
            case TokenKind.Name:
                return ParseName();
            case TokenKind.Punct:
                switch (t.Text)
                {
                    case "(":
                        return ParseParenthesised();
                    case "[":
                        return ParseListOrRange();
                    case "]":
                    {
                        _pos++;
                        var start = ParseExpression();
                        ExpectPunct("..");
                        var end = ParseExpression();
                        return Made(new RangeNode(t.Start, start, false, end, CloseRange()));
                    }
                    case "{":
                        return ParseContext();
                    case "@":
                        return ParseTemporalLiteral();
                }
                break;
        }
        throw Unexpected("an expression was expected");
    }

    private Node ParseParenthesised()
    {
        var open = Next().Start;
        var inner = ParseExpression();
        if (TakePunct(".."))
        {
            var end = ParseExpression();
            return Made(new RangeNode(open, inner, false, end, CloseRange()));
        }
        ExpectPunct(")");
        return inner;
    }

    private Node ParseListOrRange()
    {
        var open = Next().Start;
        if (TakePunct("]")) return new ListNode(open, []);
        var first = ParseExpression();
        if (TakePunct(".."))
        {
            var end = ParseExpression();
            return Made(new RangeNode(open, first, true, end, CloseRange()));
        }
        var items = new List<Node> { first };
        while (TakePunct(",")) items.Add(ParseExpression());
        ExpectPunct("]");
        return Made(new ListNode(open, [.. items]));
    }

    private ContextNode ParseContext()
    {
        var open = Next().Start;
        var keys = new List<string>();
        var values = new List<Node>();
        var bound = _bound.Count;
        if (!Current.Is("}"))
        {
            do
            {
                var keyAt = Current.Start;
                string key;
                if (Current.Kind == TokenKind.String)
                {
                    key = Next().Text;
                }
                else if (Current.Kind == TokenKind.Name)
                {
                    // An unquoted key may have several words ({order date: …}).
                    key = Next().Text;
                    while (Current.Kind == TokenKind.Name && !Current.Quoted) key += " " + Next().Text;
                }
                else
                {
                    throw Unexpected("a context key (a name or a string) was expected");
                }
                if (keys.Contains(key)) throw ErrorAt(keyAt, $"The context key '{key}' appears twice");
                ExpectPunct(":");
                values.Add(ParseExpression());
                keys.Add(key);
                _bound.Add(key);
            }
            while (TakePunct(","));
        }
        ExpectPunct("}");
        _bound.RemoveRange(bound, _bound.Count - bound);
        return Made(new ContextNode(open, [.. keys], [.. values]));
    }

    private LiteralNode ParseTemporalLiteral()
    {
        var at = Next().Start;
        if (Current.Kind != TokenKind.String) throw Unexpected("a string was expected after '@'");
        var text = Next().Text;
        FeelValue? value = FeelTemporal.ParseDateTime(text) ?? (FeelValue?)FeelTemporal.ParseDate(text)
            ?? (FeelValue?)FeelTemporal.ParseTime(text) ?? FeelTemporal.ParseDuration(text);
        return value is null
            ? throw ErrorAt(at, $"\"{text}\" is not a date, time, date and time or duration")
            : new LiteralNode(at, value);
    }

    private Node ParseName()
    {
        var t = Current;
        if (!t.Quoted)
        {
            switch (t.Text)
            {
                case "true":
                    _pos++;
                    return new LiteralNode(t.Start, FeelBoolean.True);
                case "false":
                    _pos++;
                    return new LiteralNode(t.Start, FeelBoolean.False);
                case "null":
                    _pos++;
                    return new LiteralNode(t.Start, FeelNull.Instance);
            }
            if (IsKeyword(t)) throw Unexpected("an expression was expected");
            if (MultiWord.TryGetValue(t.Text, out var candidates) && !_bound.Contains(t.Text))
            {
                foreach (var words in candidates)
                {
                    if (MatchWords(words) > 0 && Peek(words.Length).Is("("))
                    {
                        _pos += words.Length;
                        return ParseCall(t.Start, string.Join(' ', words));
                    }
                }
            }
        }
        _pos++;
        if (Current.Is("(")) return ParseCall(t.Start, t.Text);
        if (!_bound.Contains(t.Text)) Variables.Add(t.Text);
        return new NameNode(t.Start, t.Text);
    }

    private Node ParseCall(int start, string name)
    {
        ExpectPunct("(");
        var args = new List<Node>();
        var names = new List<string>();
        if (!Current.Is(")"))
        {
            do
            {
                var named = NamedArgument();
                if (named is not null) names.Add(named);
                else if (names.Count > 0) throw Unexpected("a named argument was expected (arguments are all named or all positional)");
                args.Add(ParseExpression());
            }
            while (TakePunct(","));
            if (names.Count > 0 && names.Count != args.Count) throw ErrorAt(start, "Arguments are all named or all positional");
        }
        ExpectPunct(")");
        var local = _bound.Contains(name);
        if (!local && FeelBuiltins.TryGet(name, out var builtin))
        {
            var call = Made(new BuiltinCallNode(start, builtin, names.Count == 0 ? [.. args] : PlaceNamed(start, builtin, names, args)));
            return Fold(call, builtin, args);
        }
        return Made(new DynamicCallNode(start, name, [.. args], names.Count == 0 ? null : [.. names]));
    }

    /// <summary>
    /// A pure built-in called with literals only (time("08:30:00"), duration("P7D")) is evaluated once here, so every
    /// evaluation reuses the value. A call that would warn stays a call, so its warning appears where it is evaluated.
    /// </summary>
    private static Node Fold(BuiltinCallNode call, FeelBuiltin builtin, List<Node> args)
    {
        if (!builtin.IsPure) return call;
        foreach (var arg in args)
        {
            if (arg is not LiteralNode) return call;
        }
        var evaluator = new FeelEvaluator("", ConstantEnvironment);
        var value = call.Eval(evaluator);
        return evaluator.WarningCount == 0 ? new LiteralNode(call.Position, value) : call;
    }

    private static readonly FeelEnvironment ConstantEnvironment = new() { Variables = new NoVariables(), Time = TimeProvider.System };

    private sealed class NoVariables : IFeelVariables
    {
        public bool TryGet(string name, out System.Text.Json.Nodes.JsonNode? value)
        {
            value = null;
            return false;
        }
    }

    /// <summary>Reads "name:" (a name may have several words, e.g. "start position:") when it comes next.</summary>
    private string? NamedArgument()
    {
        var words = 0;
        while (Peek(words).Kind == TokenKind.Name) words++;
        if (words == 0 || !Peek(words).Is(":")) return null;
        var parts = new string[words];
        for (var i = 0; i < words; i++) parts[i] = Next().Text;
        _pos++;
        return string.Join(' ', parts);
    }

    private Node[] PlaceNamed(int start, FeelBuiltin builtin, List<string> names, List<Node> args)
    {
        var placed = new Node?[builtin.ParameterCount];
        var last = -1;
        for (var i = 0; i < names.Count; i++)
        {
            var index = builtin.IndexOfParameter(names[i]);
            if (index < 0) throw ErrorAt(start, $"The function '{builtin.Name}' has no parameter '{names[i]}'");
            if (placed[index] is not null) throw ErrorAt(start, $"The parameter '{names[i]}' is given twice");
            placed[index] = args[i];
            last = Math.Max(last, index);
        }
        var result = new Node[last + 1];
        for (var i = 0; i <= last; i++)
        {
            result[i] = placed[i] ?? new LiteralNode(start, FeelNull.Instance);
        }
        return result;
    }
}
