using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Email;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Hosting;

public sealed class MailHostingTests
{
    [Fact]
    public async Task AddWorkflowMail_DockerComposeKeys_SelectSmtpTransportHostAndPort()
    {
        // The keys docker-compose.yml sets as WorkflowOrders__Mail__… environment variables.
        await using var app = WebAppFactory.OnSqlite(new Dictionary<string, string?>
        {
            ["WorkflowOrders:Mail:Transport"] = "Smtp",
            ["WorkflowOrders:Mail:Smtp:Host"] = "mailpit",
            ["WorkflowOrders:Mail:Smtp:Port"] = "1025",
            ["WorkflowOrders:Escalation:Level1Delay"] = "PT2H",
        });

        var options = app.Services.GetRequiredService<MailOptions>();

        Assert.Equal(MailTransportKind.Smtp, options.Transport);
        Assert.Equal("mailpit", options.Smtp.Host);
        Assert.Equal(1025, options.Smtp.Port);
        Assert.Equal("PT2H", app.Services.GetRequiredService<EscalationOptions>().Level1Delay);
        Assert.Contains(app.Services.GetServices<IJobHandler>(), h => h.Kind == "email");
        Assert.Contains(app.Services.GetServices<IJobHandler>(), h => h.Kind == "escalation");
        Assert.Contains(app.Services.GetServices<ITaskHandler>(), h => h.Type == "notify.email");
        Assert.Contains(app.Services.GetServices<IUserTaskObserver>(), o => o is EscalationLadder);
    }

    [Fact]
    public async Task AddWorkflowMail_NoSettings_WritesEmlFilesToAPickupFolder()
    {
        await using var app = WebAppFactory.OnSqlite();

        var options = app.Services.GetRequiredService<MailOptions>();

        Assert.Equal(MailTransportKind.Pickup, options.Transport);
        Assert.True(Path.IsPathRooted(options.PickupDirectory));
    }
}
