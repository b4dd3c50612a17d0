namespace WorkflowOrders.Web.Tests.Support;

/// <summary>The repository checkout the tests run from: the folder above the test output that holds WorkflowOrders.sln.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkflowOrders.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("WorkflowOrders.sln not found above the test output folder.");
    }
}
