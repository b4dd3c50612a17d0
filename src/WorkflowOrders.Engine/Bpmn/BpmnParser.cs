using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace WorkflowOrders.Engine.Bpmn;

/// <summary>
/// The outcome of reading a definitions file. <see cref="Document"/> is null when the file could not be read at all
/// (not XML, too large, not BPMN); then <see cref="Problems"/> holds the one reason. Otherwise the problems are those the
/// parser noticed while reading (the same as the document's and its processes' ParseProblems); run
/// <see cref="BpmnValidator"/> for the full list.
/// </summary>
public sealed record BpmnParseResult(BpmnDocument? Document, IReadOnlyList<BpmnProblem> Problems);

/// <summary>Reads BPMN 2.0 XML in the Camunda 8 dialect (zeebe: extensions) into the immutable model.</summary>
public static partial class BpmnParser
{
    public const string BpmnNamespace = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public const string ZeebeNamespace = "http://camunda.org/schema/zeebe/1.0";

    /// <summary>
    /// Upper bound on a definition's size in characters. The largest real procedure is far below 1 MB; the bound keeps a
    /// careless or hostile upload from tying up memory and CPU.
    /// </summary>
    public const int MaxDefinitionCharacters = 5 * 1024 * 1024;

    public static BpmnParseResult Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxDefinitionCharacters)
        {
            return Fatal(string.Create(
                CultureInfo.InvariantCulture,
                $"The file is too large ({xml.Length:N0} characters): a definition may have at most {MaxDefinitionCharacters:N0} characters (5 MB). Remove embedded content or split the process into called processes."));
        }

        XDocument xdoc;
        try
        {
            xdoc = LoadSafely(xml);
        }
        catch (XmlException e)
        {
            return Fatal(DescribeXmlError(xml, e));
        }

        var root = xdoc.Root;
        if (root is null || root.Name != Bpmn + "definitions")
        {
            var found = root is null ? "nothing" : $"'{root.Name.LocalName}' in namespace '{root.Name.NamespaceName}'";
            return Fatal($"The file is not a BPMN 2.0 definitions file: its root element is {found}, expected 'definitions' in namespace '{BpmnNamespace}'. Save the diagram from a BPMN modeler (Camunda Modeler) as .bpmn.");
        }

        var document = new DocumentReader(xml).Read(root);
        var problems = document.ParseProblems.Concat(document.Processes.SelectMany(p => p.ParseProblems)).ToList();
        return new BpmnParseResult(document, problems);
    }

    internal static readonly XNamespace Bpmn = BpmnNamespace;
    internal static readonly XNamespace Zeebe = ZeebeNamespace;

    private static BpmnParseResult Fatal(string message) =>
        new(null, [BpmnProblem.Error(null, null, null, message)]);

    private static XDocument LoadSafely(string xml)
    {
        var settings = new XmlReaderSettings
        {
            // No DTD means no entity declarations: no XXE, no entity-expansion bombs.
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            // In .NET 0 would mean "unlimited"; with DTDs prohibited only the five predefined entities remain.
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = MaxDefinitionCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, settings);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }

    private static string DescribeXmlError(string xml, XmlException e)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"at line {e.LineNumber}, position {e.LinePosition}");
        if (xml.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            return $"The file contains a document type declaration (<!DOCTYPE …>) {where}, which is refused for security (it can pull in external files or expand entities without bound): remove the DOCTYPE; BPMN files never need one.";
        }

        var reason = TrailingPosition().Replace(e.Message, "").TrimEnd('.', ' ');
        return $"The file is not well-formed XML: {reason} {where}. Open it in the modeler or an XML editor and fix the markup.";
    }

    [GeneratedRegex(@"\s*Line \d+, position \d+\.?\s*$")]
    private static partial Regex TrailingPosition();
}
