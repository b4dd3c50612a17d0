using WorkflowOrders.Web.Api;
using WorkflowOrders.Web.Features.Designer;
using WorkflowOrders.Web.Features.Orders;
using WorkflowOrders.Web.Features.Procedures;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.Security;

// WorkflowOrders: the web app, the REST API and a job executor node, in one host.
var builder = WebApplication.CreateBuilder(args);

builder.AddWorkflowEngine();          // database, engine, job executor, workflows folder (Hosting/EngineHosting.cs)
builder.AddPeople();                  // Identity, cookie + Basic + Bearer sign-in, role policies (Hosting/PeopleHosting.cs)
builder.AddWebUi();                   // Razor Pages under Features/, zh-CN and en (Hosting/WebUiHosting.cs)
builder.AddOrders();                  // order service, order-desk policy (Features/Orders/OrderEndpoints.cs)
builder.AddWorkScreens();             // inbox, task forms, instance page (Hosting/WorkHosting.cs)
builder.AddProcedures();              // procedures page, version diffs, form editor, reader policy (Features/Procedures/ProcedureHosting.cs)
builder.AddDesigner();                // the designer's draft, validate and deploy service (Features/Designer/DesignerEndpoints.cs)
builder.Services.AddCamundaApi();     // REST API v2 subset: queries, access rules, OpenAPI (Api/CamundaApi.cs)

var app = builder.Build();

await app.InitializeWorkflowsAsync(); // migrate, deploy workflows/
await app.InitializeDigestAsync();    // the daily digest job, once per database (Hosting/MailHosting.cs)
await app.InitializePeopleAsync();    // people migrations, demo company or first administrator
await app.SeedDemoInstancesAsync();   // demo mode on an empty database: two orders on the review procedure

app.UseWebUi();                       // status pages, static files, authentication, request culture, authorization
app.MapHealthChecks("/health", HealthReportWriter.Options).AllowAnonymous();  // database reachable, lateness of the oldest due job
app.MapRazorPages();
app.MapPeopleEndpoints();             // GET /api/me (Security/PeopleEndpoints.cs)
app.MapOrderEndpoints();              // POST /api/orders, GET /api/orders/{orderNo} (Features/Orders/OrderEndpoints.cs)
app.MapDesignerEndpoints();           // /designer/api/…: templates, draft, validate, deploy (Features/Designer/DesignerEndpoints.cs)
app.MapCamundaApi();                  // /v2/…, /openapi/v1.json, /swagger

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the web tests.</summary>
public partial class Program;
