using System.Reflection;

namespace WorkflowOrders.Engine.Tests.Architecture;

public class EngineDependencyTests
{
    [Fact]
    public void EngineAssembly_ReferencedAssemblies_IncludeNoWebDataOrMailFramework()
    {
        var engine = typeof(WorkflowOrders.Engine.EngineAssembly).Assembly;
        var forbidden = new[] { "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Npgsql", "System.Net.Mail", "Microsoft.Data.Sqlite" };

        var offending = engine.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => forbidden.Any(f => name.StartsWith(f, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void EngineAssembly_Types_UseNoTypeFromSystemNetMail()
    {
        var engine = typeof(WorkflowOrders.Engine.EngineAssembly).Assembly;
        // System.Net.Mail lives in an assembly the engine may reference for other reasons; check member signatures too.
        var mailTypes = engine.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f.FieldType.Namespace == "System.Net.Mail")
            .ToList();
        Assert.Empty(mailTypes);
    }
}
