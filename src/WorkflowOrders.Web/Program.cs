using WorkflowOrders.Web.Api;
using WorkflowOrders.Web.Hosting;

// WorkflowOrders: the web app, the REST API and a job executor node, in one host.
var builder = WebApplication.CreateBuilder(args);

builder.AddWorkflowEngine();          // database, engine, job executor, workflows folder (Hosting/EngineHosting.cs)
builder.AddPeople();                  // Identity, cookie + Basic + Bearer sign-in, role policies (Hosting/PeopleHosting.cs)
builder.Services.AddCamundaApi();     // REST API v2 subset: queries, access rules, OpenAPI (Api/CamundaApi.cs)
builder.Services.AddRazorPages();

var app = builder.Build();

await app.InitializeWorkflowsAsync(); // migrate, deploy workflows/
await app.InitializePeopleAsync();    // people migrations, demo company or first administrator

app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapRazorPages();
app.MapCamundaApi();                  // /v2/…, /openapi/v1.json, /swagger

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the web tests.</summary>
public partial class Program;
