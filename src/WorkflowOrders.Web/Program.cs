using WorkflowOrders.Web.Hosting;

// WorkflowOrders: the web app, the REST API and a job executor node, in one host.
var builder = WebApplication.CreateBuilder(args);

builder.AddWorkflowEngine();          // database, engine, job executor, workflows folder (Hosting/EngineHosting.cs)
builder.Services.AddRazorPages();

var app = builder.Build();

await app.InitializeWorkflowsAsync(); // migrate, deploy workflows/

app.UseStaticFiles();
app.MapHealthChecks("/health");
app.MapRazorPages();

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the web tests.</summary>
public partial class Program;
