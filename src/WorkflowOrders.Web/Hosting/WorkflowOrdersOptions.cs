namespace WorkflowOrders.Web.Hosting;

/// <summary>The "WorkflowOrders" configuration section (appsettings.json, environment WorkflowOrders__…).</summary>
public sealed class WorkflowOrdersOptions
{
    public const string Section = "WorkflowOrders";

    public DatabaseSection Database { get; set; } = new();

    public JobsSection Jobs { get; set; } = new();

    /// <summary>Folder with *.bpmn, forms/*.form and calendars/*.json; relative paths are from the content root.</summary>
    public string WorkflowsDirectory { get; set; } = "workflows";

    /// <summary>Seeds the demo company (departments, managers, staff with demo passwords). Only for the embedded default.</summary>
    public bool DemoData { get; set; }

    /// <summary>
    /// Password of the administrator <c>admin</c>, used once: on the first start outside demo mode, while no user exists.
    /// Outside demo mode there is no default password; without this setting that first start stops and says so.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// Company setting of procedures.md §2.3: an order amount (CNY) at or above it goes to the director and the general
    /// manager; below it the department manager approves. Passed to each order procedure at its start.
    /// </summary>
    public decimal ApprovalThreshold { get; set; } = 100_000m;

    /// <summary>Largest file (bytes) that may be attached to an order; 10 MB by default (the documents live in the database).</summary>
    public long MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Name of this node in logs and audit entries (defaults to machine:process).</summary>
    public string? NodeName { get; set; }

    public sealed class DatabaseSection
    {
        public string Provider { get; set; } = "Sqlite";

        public string ConnectionString { get; set; } = "Data Source=data/workflow.db";
    }

    public sealed class JobsSection
    {
        public int WorkerCount { get; set; } = 4;

        public int PollIntervalMilliseconds { get; set; } = 500;

        public int MinPollIntervalMilliseconds { get; set; } = 50;

        public int BatchSize { get; set; } = 32;

        public int GroupSize { get; set; } = 8;

        public int LeaseSeconds { get; set; } = 60;
    }
}
